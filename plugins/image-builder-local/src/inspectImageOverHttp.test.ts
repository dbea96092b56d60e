import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImageOverHttp } from './inspectImageOverHttp.js';
import { resolveEngineAddress } from './resolveEngineAddress.js';

const ID = `sha256:${'1'.repeat(64)}`;

// A stand-in for the engine's `GET /images/{name}/json` on loopback: `app:1` names image ID.
const server = createServer((req, res) => {
  if (req.url === `/images/${encodeURIComponent('app:1')}/json`) return res.end(JSON.stringify({ Id: ID }));
  if (req.url === `/images/${encodeURIComponent('broken:1')}/json`) return res.end('{not json');
  res.statusCode = 404;
  res.end('{"message":"No such image"}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const engine = resolveEngineAddress(`tcp://127.0.0.1:${(server.address() as AddressInfo).port}`, {});

describe('inspectImageOverHttp', () => {
  it.each([
    ['app:1', undefined, 'present'],
    ['app:1', ID, 'present'],
    ['app:1', `sha256:${'2'.repeat(64)}`, 'absent'],
    ['gone:1', ID, 'absent'],
    ['broken:1', ID, 'unknown'],
  ])('%s with id %s → %s', async (name, id, expected) => {
    await expect(inspectImageOverHttp(engine, name, id)).resolves.toBe(expected);
  });
});
