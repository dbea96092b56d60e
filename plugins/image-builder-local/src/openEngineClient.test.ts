import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openEngineClient } from './openEngineClient.js';
import { resolveEngineAddress } from './resolveEngineAddress.js';

/** The `debug` registry docker-modem traces through (what `DEBUG=…` configures). */
const modemDebug = createRequire(createRequire(createRequire(import.meta.url).resolve('dockerode')).resolve('docker-modem'))('debug') as {
  namespaces?: string;
  enable(namespaces: string): void;
  enabled(namespace: string): boolean;
};
const AUTH = { username: 'ciuser', password: 'ci-pass-123', serveraddress: '127.0.0.1:5001' };
// The header value as docker-modem encodes it (base64url of the JSON).
const AUTH_HEADER = Buffer.from(JSON.stringify(AUTH)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

describe('openEngineClient', () => {
  const debugEnv = process.env['DEBUG'];
  const debugNamespaces = modemDebug.namespaces ?? '';
  afterEach(() => {
    modemDebug.enable(debugNamespaces);
    if (debugEnv === undefined) delete process.env['DEBUG'];
    else process.env['DEBUG'] = debugEnv;
  });

  it('keeps DEBUG=modem from printing the X-Registry-Auth header, leaving other namespaces on', async () => {
    // What `DEBUG=modem,stowage:*` in the shell does when docker-modem loads.
    modemDebug.enable('modem,stowage:*');
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const docker = await openEngineClient(resolveEngineAddress('unix:///nonexistent.sock', {}));
      // docker-modem traces the request, headers included, before it finds no socket there.
      const push = docker.getImage('127.0.0.1:5001/app').push({ tag: '1', authconfig: AUTH });
      await expect(push).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      stderr.mockRestore();
    }
    const output = written.join('');
    expect(output).not.toContain('X-Registry-Auth');
    expect(output).not.toContain(AUTH_HEADER);
    expect(modemDebug.enabled('modem')).toBe(false);
    expect(modemDebug.enabled('stowage:build')).toBe(true);
  });
});
