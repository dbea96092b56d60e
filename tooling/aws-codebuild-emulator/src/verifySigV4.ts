import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** The credentials an emulator knows: requests signed with anything else are rejected, as AWS does. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An AWS JSON error: HTTP status, `__type` and message, as the service answers it. */
export interface AwsJsonError {
  status: number;
  type: string;
  message: string;
}

export interface SignedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

/** node:crypto as the signer's hash constructor (HMAC when given a secret). */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function toBuffer(value: string | Uint8Array | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

// AWS's own messages for these failures (JSON 1.1 services answer HTTP 400 with them).
const MISSING = 'Missing Authentication Token';
const UNKNOWN_KEY = 'The security token included in the request is invalid.';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * Recomputes the request's SigV4 signature with `@smithy/signature-v4` from the headers the client
 * says it signed, and compares. Undefined when it matches; AWS's error otherwise.
 */
export async function verifySigV4(request: SignedRequest, service: string, known: TestCredentials, now = new Date()): Promise<AwsJsonError | undefined> {
  const match = AUTH.exec(header(request, 'authorization') ?? '');
  if (!match) return { status: 400, type: 'MissingAuthenticationTokenException', message: MISSING };
  const [, keyId, , region, signedService, signedHeaders, signature] = match as unknown as string[];
  if (keyId !== known.accessKeyId) return { status: 400, type: 'UnrecognizedClientException', message: UNKNOWN_KEY };
  if (signedService !== service) {
    return { status: 400, type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'.` };
  }
  const signed = signedHeaders!.split(';');
  const refused = checkRequest(request, signed, now);
  if (refused) return refused;
  const expected = await expectedSignature(request, signed, region!, service, known);
  const same = expected.length === signature!.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature!));
  return same ? undefined : { status: 400, type: 'InvalidSignatureException', message: MISMATCH };
}

const SKEW_MS = 5 * 60_000;

/**
 * What the signer alone does not prove: `host` and `x-amz-date` are signed, the date is within
 * AWS's five minutes, and the body is the one whose hash was signed (the signer takes a signed
 * `x-amz-content-sha256` at its word).
 */
function checkRequest(request: SignedRequest, signed: readonly string[], now: Date): AwsJsonError | undefined {
  if (!signed.includes('host') || !signed.includes('x-amz-date')) return { status: 400, type: 'InvalidSignatureException', message: MISMATCH };
  const at = amzDate(header(request, 'x-amz-date') ?? '').getTime();
  if (!Number.isFinite(at) || Math.abs(now.getTime() - at) > SKEW_MS) {
    return { status: 400, type: 'InvalidSignatureException', message: 'Signature expired: the request date is not within 5 minutes of the server time.' };
  }
  const claimed = header(request, 'x-amz-content-sha256');
  const actual = createHash('sha256').update(request.body).digest('hex');
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== actual) return { status: 400, type: 'InvalidSignatureException', message: MISMATCH };
  if (header(request, 'x-amz-security-token') !== undefined) return { status: 400, type: 'UnrecognizedClientException', message: UNKNOWN_KEY };
  return undefined;
}

async function expectedSignature(request: SignedRequest, signed: string[], region: string, service: string, known: TestCredentials): Promise<string> {
  const url = new URL(request.url, 'http://emulator');
  const headers = Object.fromEntries(signed.map((name) => [name, header(request, name) ?? '']));
  const signer = new SignatureV4({ credentials: known, region, service, sha256: NodeSha256, applyChecksum: false });
  const signedRequest = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: request.body },
    { signingDate: amzDate(headers['x-amz-date'] ?? ''), signingRegion: region, signingService: service, signableHeaders: new Set(signed) },
  );
  return /Signature=([0-9a-f]{64})/.exec(String(signedRequest.headers['authorization']))?.[1] ?? '';
}

function amzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(NaN);
}

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
