import { describe, expect, it } from 'vitest';
import { BuildLogTail, TAIL_LINES } from './BuildLogTail.js';

/** A log object that grows, read the way GCS answers ranged media reads. */
function growingObject(ignoreRange = false) {
  let content = Buffer.alloc(0);
  const reads: string[] = [];
  return {
    reads,
    write: (text: string | Buffer) => (content = Buffer.concat([content, Buffer.from(text)])),
    read: async (bucket: string, name: string, offset: number) => {
      reads.push(`gs://${bucket}/${name}@${offset}`);
      if (content.length === 0) return { status: 404, bytes: Buffer.alloc(0) };
      if (ignoreRange) return { status: 200, bytes: content };
      if (offset >= content.length) return { status: 416, bytes: Buffer.alloc(0) };
      return { status: 206, bytes: content.subarray(offset) };
    },
  };
}

describe('BuildLogTail', () => {
  it('reads <logsBucket>/log-<id>.txt from where it stopped, passing whole lines on, across reads and UTF-8 characters', async () => {
    const object = growingObject();
    const lines: string[] = [];
    const tail = new BuildLogTail(object.read, { buildId: 'b-1', logsBucket: 'gs://logs/cloud-build/' }, (l) => lines.push(l));
    expect(await tail.drain()).toBeUndefined();
    object.write('starting build\nStep #0: caf');
    await tail.drain();
    object.write(Buffer.from('é\r\n'));
    await tail.drain();
    await tail.drain();
    object.write('DONE');
    await tail.drain();
    tail.flush();
    expect(lines).toEqual(['starting build', 'Step #0: café', 'DONE']);
    expect(object.reads).toEqual(['gs://logs/cloud-build/log-b-1.txt@0', 'gs://logs/cloud-build/log-b-1.txt@0', 'gs://logs/cloud-build/log-b-1.txt@27', 'gs://logs/cloud-build/log-b-1.txt@31', 'gs://logs/cloud-build/log-b-1.txt@31']);
  });

  it('copes with a server that ignores Range, and keeps the last lines', async () => {
    const object = growingObject(true);
    const tail = new BuildLogTail(object.read, { buildId: 'b', logsBucket: 'gs://logs' }, () => undefined);
    for (let i = 0; i < TAIL_LINES + 5; i++) {
      object.write(`line ${i}\n`);
      await tail.drain();
    }
    expect(tail.last).toHaveLength(TAIL_LINES);
    expect(tail.last.at(-1)).toBe(`line ${TAIL_LINES + 4}`);
    expect(new Set(tail.last).size).toBe(TAIL_LINES);
  });

  it('says once that the log cannot be read, then stops reading it', async () => {
    let reads = 0;
    const tail = new BuildLogTail(async () => (reads++, { status: 403, bytes: Buffer.alloc(0) }), { buildId: 'b', logsBucket: 'gs://logs' }, () => undefined);
    expect(await tail.drain()).toBe('cannot read the build log gs://logs/log-b.txt: HTTP 403');
    expect(await tail.drain()).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('has nothing to read without a logs bucket', async () => {
    const tail = new BuildLogTail(() => Promise.reject(new Error('no read expected')), { buildId: 'b' }, () => undefined);
    expect(tail.object).toBeUndefined();
    expect(await tail.drain()).toBeUndefined();
  });
});
