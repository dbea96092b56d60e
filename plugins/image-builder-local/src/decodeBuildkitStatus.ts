/** The parts of a BuildKit `moby.buildkit.v1.StatusResponse` that progress output needs. */
export interface BuildkitStatus {
  vertexes: BuildkitVertex[];
  logs: BuildkitLog[];
  warnings: string[];
}

export interface BuildkitVertex {
  digest: string;
  name: string;
  cached: boolean;
  started: boolean;
  completed: boolean;
  error: string;
}

export interface BuildkitLog {
  vertex: string;
  msg: Buffer;
}

/**
 * Decodes the base64 protobuf that the engine sends as `{id: "moby.buildkit.trace", aux}` during
 * BuildKit builds. Hand-rolled (proto3 wire format, a handful of fields) because dockerode's own
 * decoder turns RUN output into base64 text (`bytes: String`) and protobufjs is not our dependency.
 * Field numbers from moby/buildkit api/services/control/control.proto.
 */
export function decodeBuildkitStatus(base64: string): BuildkitStatus {
  const status: BuildkitStatus = { vertexes: [], logs: [], warnings: [] };
  for (const field of fields(Buffer.from(base64, 'base64'))) {
    if (!(field.value instanceof Buffer)) continue;
    if (field.number === 1) status.vertexes.push(vertex(field.value));
    else if (field.number === 3) status.logs.push(log(field.value));
    else if (field.number === 4) status.warnings.push(warning(field.value));
  }
  return status;
}

function vertex(bytes: Buffer): BuildkitVertex {
  const v: BuildkitVertex = { digest: '', name: '', cached: false, started: false, completed: false, error: '' };
  for (const { number, value } of fields(bytes)) {
    if (number === 1) v.digest = String(value);
    else if (number === 3) v.name = String(value);
    else if (number === 4) v.cached = value === 1;
    else if (number === 5) v.started = true;
    else if (number === 6) v.completed = true;
    else if (number === 7) v.error = String(value);
  }
  return v;
}

function log(bytes: Buffer): BuildkitLog {
  const entry: BuildkitLog = { vertex: '', msg: Buffer.alloc(0) };
  for (const { number, value } of fields(bytes)) {
    if (number === 1) entry.vertex = String(value);
    else if (number === 4 && value instanceof Buffer) entry.msg = value;
  }
  return entry;
}

function warning(bytes: Buffer): string {
  for (const { number, value } of fields(bytes)) if (number === 3) return String(value);
  return '';
}

interface WireField {
  number: number;
  /** Varints as numbers, length-delimited fields as Buffers (strings decode with String()). */
  value: number | Buffer;
}

function* fields(bytes: Buffer): Generator<WireField> {
  let pos = 0;
  while (pos < bytes.length) {
    const [key, afterKey] = varint(bytes, pos);
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    pos = afterKey;
    if (wireType === 0) {
      const [value, next] = varint(bytes, pos);
      pos = next;
      yield { number, value };
    } else if (wireType === 2) {
      const [length, start] = varint(bytes, pos);
      pos = start + length;
      if (pos > bytes.length) throw new RangeError('truncated BuildKit status message');
      yield { number, value: bytes.subarray(start, pos) };
    } else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else throw new RangeError(`unsupported protobuf wire type ${wireType}`);
  }
}

// Plain numbers are exact up to 2^53, plenty for field keys, lengths and timestamps.
function varint(bytes: Buffer, start: number): [number, number] {
  let result = 0;
  let scale = 1;
  for (let pos = start; pos < bytes.length; pos++) {
    const byte = bytes[pos]!;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) return [result, pos + 1];
    scale *= 128;
  }
  throw new RangeError('truncated varint in BuildKit status message');
}
