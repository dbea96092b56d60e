/**
 * `stowage doctor` against the e2e harness (tooling/e2e/scripts/up.sh): the real Docker engine and
 * Debian's docker-registry with htpasswd basic auth on loopback.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';
import { harnessEnv } from '@stowage/testing';


const env = harnessEnv();
const AUTH = env['STOWAGE_E2E_AUTH_REGISTRY'] || '127.0.0.1:5001';
const USER = env['STOWAGE_E2E_REGISTRY_USER'] || 'ciuser';
const PASSWORD = env['STOWAGE_E2E_REGISTRY_PASSWORD'] || 'ci-pass-123';

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
}

// STOWAGE_E2E_READY (pnpm test, after up.sh) or CI: the engine and registry must be there, never skip.
const required = Boolean(env['STOWAGE_E2E_READY'] || env['CI']);
const ready = required || ((await status(`http://${AUTH}/v2/`)) === 401 && existsSync('/var/run/docker.sock'));
if (!ready) console.warn(`\n!!!!!!!! SKIPPING the doctor e2e tests: no e2e harness (run tooling/e2e/scripts/up.sh)\n`);

interface Check {
  check: string;
  status: string;
  message: string;
  stack?: string;
}

describe.runIf(ready)('stowage doctor on the real engine and registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-doctor-e2e-'));
  writeFileSync(
    join(dir, 'stowage.yaml'),
    `pipeline: { name: training }
stacks:
  good:
    image_builder: { flavor: local, buildkit: true }
    container_registry: { flavor: oci, uri: ${AUTH}, username: ${USER}, password: "\${REG_PASSWORD}" }
  wrong-password:
    image_builder: { flavor: local }
    container_registry: { flavor: oci, uri: ${AUTH}, username: ${USER}, password: "\${WRONG_PASSWORD}" }
`,
  );
  const runEnv = { ...env, DOCKER_HOST: undefined, REG_PASSWORD: PASSWORD, WRONG_PASSWORD: 'not-the-password-31' };

  it('reports the engine version and BuildKit; a right login passes, a wrong one fails (exit 1), no secret printed', async () => {
    const r = await stowage(dir, ['doctor', '--json'], runEnv);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stdout).not.toContain('not-the-password-31');
    const { ok, checks } = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    expect([r.code, ok]).toEqual([1, false]);
    const engine = checks.find((c) => c.check === 'engine')!;
    expect(engine).toMatchObject({ status: 'ok', message: expect.stringMatching(/^Docker \S+ \(API 1\.\d+, linux\/\w+\) at unix:\/\/\/var\/run\/docker\.sock, used by stacks good, wrong-password$/) });
    expect(checks.find((c) => c.check === 'buildkit')).toMatchObject({ status: 'ok', message: expect.stringContaining('a stack builds with buildkit: true') });
    const registry = checks.filter((c) => c.check === 'registry');
    expect(registry).toEqual([
      expect.objectContaining({ stack: 'good', status: 'ok', message: `good: ${AUTH} answers and accepts the login (user ${USER})` }),
      expect.objectContaining({ stack: 'wrong-password', status: 'fail', message: expect.stringContaining('rejected the credentials (HTTP 401') }),
    ]);
  });

  it('with only the good stack every check passes (exit 0)', async () => {
    const r = await stowage(dir, ['doctor', '--stack', 'good'], runEnv);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toMatch(/^✗/m);
    expect(r.stdout).toMatch(/No problems found\.\n$/);
  });
});
