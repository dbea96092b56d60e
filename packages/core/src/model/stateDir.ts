import { join } from 'node:path';

/** Stowage's state folder beside the config file: build records and the default artifact store. */
export const STOWAGE_STATE_DIR = '.stowage';

/** `<config folder>/.stowage` */
export function stowageStateDir(projectRoot: string): string {
  return join(projectRoot, STOWAGE_STATE_DIR);
}

/**
 * What is never pipeline code: Stowage's state folder (build records change on every build) and
 * the config file itself (editing one step's settings must not change every image's code).
 * Left out of build contexts, source digests, code archives and the checkout's dirty check.
 */
export function notPipelineCode(projectRoot: string, configFile?: string): string[] {
  return configFile ? [stowageStateDir(projectRoot), configFile] : [stowageStateDir(projectRoot)];
}
