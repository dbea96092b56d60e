/**
 * The gate every e2e test file goes through: make sure the harness services (Docker engine, the
 * two loopback registries, the python:3.11-slim base image, the local Python index) are up, and
 * hand the test the environment they describe.
 *
 * - `pnpm test` (tooling/e2e/scripts/test-all.sh) has already run up.sh and sets
 *   STOWAGE_E2E_READY=1: then the env file it wrote is only read.
 * - Otherwise (`npx vitest run` in tooling/e2e) up.sh is run here; it is idempotent and takes
 *   about a second when everything already runs.
 * - No engine: in CI (`CI` set) every test of the file FAILS with the reason; elsewhere the file's
 *   tests are skipped, with a loud message on stderr. Never skipped in CI.
 */
import { beforeAll, beforeEach } from 'vitest';
import { dockerAvailable, readE2EEnv, setUpE2E, type E2EEnv } from '../src/harness.js';

export interface E2EGate {
  /** The harness environment; only valid inside tests/hooks (after the gate's beforeAll). */
  readonly env: E2EEnv;
}

let pending: Promise<E2EEnv> | undefined;

async function bringUp(): Promise<E2EEnv> {
  const env = process.env['STOWAGE_E2E_READY']
    ? await readE2EEnv()
    : // Quiet unless it fails (the error then carries up.sh's last lines); one summary line.
      await setUpE2E({ onLine: (line) => void (/\] up in /.test(line) && process.stderr.write(`${line}\n`)) });
  if (!(await dockerAvailable())) throw new Error('no Docker engine answers `docker info` (after up.sh)');
  return env;
}

/** The harness environment, brought up once per test file (memoised). Throws when unavailable. */
export function e2eEnv(): Promise<E2EEnv> {
  pending ??= bringUp();
  return pending;
}

/**
 * Registers the gate's hooks in the current file (call at top level, before `describe`):
 * a beforeAll bringing the services up, and a beforeEach that skips (locally) or lets the
 * failure through (CI).
 */
export function useE2E(suiteName: string): E2EGate {
  let env: E2EEnv | undefined;
  let unavailable: string | undefined;
  beforeAll(async () => {
    try {
      env = await e2eEnv();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (process.env['CI']) {
        throw new Error(`[e2e] ${suiteName}: the e2e services are unavailable in CI, failing (e2e tests never skip in CI): ${reason}`);
      }
      unavailable = reason;
      const bar = '!'.repeat(100);
      process.stderr.write(
        `\n${bar}\n!!! [e2e] ${suiteName}: SKIPPED, no Docker engine / e2e services on this machine.\n` +
          `!!! ${reason.split('\n').join('\n!!! ')}\n` +
          `!!! Run \`bash tooling/e2e/scripts/up.sh\` (as root on Debian) and re-run. In CI this fails.\n${bar}\n\n`,
      );
    }
  }, 600_000);
  beforeEach((ctx) => {
    if (unavailable !== undefined) ctx.skip(`e2e services unavailable: ${unavailable}`);
  });
  return {
    get env(): E2EEnv {
      if (!env) throw new Error('e2e env requested before the gate ran (use it inside tests or hooks)');
      return env;
    },
  };
}
