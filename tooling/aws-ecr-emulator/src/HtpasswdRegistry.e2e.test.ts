import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HtpasswdRegistry } from './HtpasswdRegistry.js';

// STOWAGE_E2E_READY (after tooling/e2e/scripts/up.sh) or CI: docker-registry and htpasswd must be there, never skip.
const required = Boolean(process.env['STOWAGE_E2E_READY'] || process.env['CI']);
const ready = required || (await promisify(execFile)('sh', ['-c', 'command -v docker-registry && command -v htpasswd']).then(() => true, () => false));
if (!ready) console.warn('\n!!! SKIPPED: HtpasswdRegistry e2e — docker-registry or htpasswd missing (bash tooling/e2e/scripts/up.sh installs them)\n');

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe.skipIf(!ready)('HtpasswdRegistry (Debian docker-registry)', () => {
  it('accepts exactly the user AWS with the given token, and is gone after stop', async () => {
    const registry = await HtpasswdRegistry.start({ password: 'tok-e2e-1' });
    const url = `http://${registry.address}/v2/`;
    try {
      expect(registry.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: basic('AWS', 'tok-e2e-1') })).status).toBe(200);
      expect((await fetch(url, { headers: basic('AWS', 'tok-e2e-2') })).status).toBe(401);
      expect((await fetch(url, { headers: basic('aws', 'tok-e2e-1') })).status).toBe(401);
    } finally {
      await registry.stop();
    }
    await expect(fetch(url)).rejects.toThrow();
  }, 30_000);
});
