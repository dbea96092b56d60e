import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The loopback registries of the e2e harness (tooling/e2e/scripts/up.sh): Debian's
 * docker-registry without auth and with htpasswd basic auth. Read from the environment when
 * `$STOWAGE_E2E_STATE/env` was sourced, else from that file.
 */
export interface E2ERegistries {
  /** `127.0.0.1:5000`, no auth. */
  open: string;
  /** `127.0.0.1:5001`, basic auth. */
  auth: string;
  username: string;
  password: string;
  /** The docker CLI matching the harness's engine. */
  docker: string;
}

/** `export KEY='value'` lines of the env file up.sh writes. */
function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const entries = [...readFileSync(file, 'utf8').matchAll(/^export ([A-Z0-9_]+)=(?:'((?:[^']|'\\'')*)'|(\S*))$/gm)];
  return Object.fromEntries(entries.map((m) => [m[1]!, m[2] !== undefined ? m[2].replace(/'\\''/g, "'") : (m[3] ?? '')]));
}

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
}

/**
 * The registries, or undefined when the tests should skip. `STOWAGE_E2E_READY` (set by
 * `pnpm test` after up.sh) or `CI` means they must be there: then nothing skips, and a missing
 * registry fails the tests instead. Otherwise, unanswered registries skip loudly.
 */
export async function e2eRegistries(suite: string): Promise<E2ERegistries | undefined> {
  const state = process.env['STOWAGE_E2E_STATE'] || '/tmp/stowage-e2e';
  const env = { ...readEnvFile(join(state, 'env')), ...process.env };
  const registries: E2ERegistries = {
    open: env['STOWAGE_E2E_REGISTRY'] || '127.0.0.1:5000',
    auth: env['STOWAGE_E2E_AUTH_REGISTRY'] || '127.0.0.1:5001',
    username: env['STOWAGE_E2E_REGISTRY_USER'] || 'ciuser',
    password: env['STOWAGE_E2E_REGISTRY_PASSWORD'] || 'ci-pass-123',
    docker: env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker'),
  };
  if (process.env['STOWAGE_E2E_READY'] || process.env['CI']) return registries;
  const up = (await status(`http://${registries.open}/v2/`)) === 200 && (await status(`http://${registries.auth}/v2/`)) === 401;
  if (up) return registries;
  const bar = '!'.repeat(100);
  process.stderr.write(
    `\n${bar}\n!!! [e2e] ${suite}: SKIPPED, the harness registries ${registries.open} / ${registries.auth} do not answer.\n` +
      '!!! Run `bash tooling/e2e/scripts/up.sh`, then `. /tmp/stowage-e2e/env`. With CI or STOWAGE_E2E_READY set this fails instead.\n' +
      `${bar}\n\n`,
  );
  return undefined;
}
