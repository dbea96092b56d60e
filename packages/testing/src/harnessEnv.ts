import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The e2e harness's environment for a package's own e2e tests: this process's variables (the
 * file sourced: `. $STOWAGE_E2E_STATE/env`) over those `tooling/e2e/scripts/up.sh` wrote to that
 * file, so the tests find the registries and credentials either way.
 */
export function harnessEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = join(env['STOWAGE_E2E_STATE'] || '/tmp/stowage-e2e', 'env');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const fromFile = Object.fromEntries([...text.matchAll(/^export ([A-Z0-9_]+)='?([^'\n]*)'?$/gm)].map((m) => [m[1]!, m[2]!]));
  return { ...fromFile, ...env };
}
