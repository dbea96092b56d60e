import { createJiti } from 'jiti';
import { StowageError } from '@stowage/plugin-api';
import { isPlainObject } from '../settings/camelCase.js';
import { projectObjectFromCode } from './StowageConfig.js';

/** Config files written in code, loaded with jiti (TypeScript and ESM on Node 20 alike). */
export const CODE_CONFIG_FILE_NAMES = ['stowage.config.ts', 'stowage.config.mts', 'stowage.config.js', 'stowage.config.mjs'] as const;

export function isCodeConfigFile(file: string): boolean {
  return /\.(?:[cm]?ts|[cm]?js)$/.test(file);
}

/**
 * Runs `stowage.config.ts` (project code: see the README's security note) and returns its default
 * export as the stowage.yaml-shaped object the same checks then validate.
 */
export function loadCodeConfig(file: string, display: string): unknown {
  // No file-system cache: nothing is written next to the project, and the config is small.
  // `@stowage/cli` (for defineConfig) is a prebuilt bundle: Node loads it as is, untransformed.
  const jiti = createJiti(file, { fsCache: false, moduleCache: false, interopDefault: false, nativeModules: ['@stowage/cli'] });
  let loaded: unknown;
  try {
    loaded = jiti(file);
  } catch (cause) {
    throw new StowageError(`cannot load ${display}: ${firstLine(cause)}`, {
      code: 'CONFIG_INVALID',
      file: display,
      cause,
      hint: `fix the error in ${display} (or in a module it imports); run with --debug for the stack trace`,
    });
  }
  const config = isPlainObject(loaded) && 'default' in loaded ? loaded.default : undefined;
  if (!isPlainObject(config)) {
    throw new StowageError(`${display} has no default export of a config object`, {
      code: 'CONFIG_INVALID',
      file: display,
      hint: "end it with `export default defineConfig({ … })` (import { defineConfig } from '@stowage/cli')",
    });
  }
  return projectObjectFromCode(config);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
