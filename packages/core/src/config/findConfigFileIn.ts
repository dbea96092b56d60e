import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { StowageError } from '@stowage/plugin-api';
import { CODE_CONFIG_FILE_NAMES } from './loadCodeConfig.js';

/**
 * The project config in one folder: stowage.yaml (or .yml), or a config in code
 * (stowage.config.ts, .mts, .js, .mjs). A YAML file and a code file side by side, or two code
 * files, are an error rather than a silent pick: which one wins would be a guess.
 */
export function findConfigFileIn(dir: string, yamlNames: readonly string[]): string | undefined {
  const yaml = yamlNames.map((n) => resolve(dir, n)).find((f) => existsSync(f));
  const code = CODE_CONFIG_FILE_NAMES.map((n) => resolve(dir, n)).filter((f) => existsSync(f));
  const found = [...(yaml ? [yaml] : []), ...code];
  if (found.length > 1) {
    throw new StowageError(`${dir} has more than one project config: ${found.map((f) => f.slice(dir.length + 1)).join(', ')}`, {
      code: 'CONFIG_INVALID',
      file: found[0],
      hint: 'keep one of them, or choose with --config FILE',
    });
  }
  return found[0];
}
