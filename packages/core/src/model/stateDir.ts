import { join } from 'node:path';

/** Stowage's state folder beside the config file: build records and the default artifact store. */
export const STOWAGE_STATE_DIR = '.stowage';

/** `<config folder>/.stowage` */
export function stowageStateDir(projectRoot: string): string {
  return join(projectRoot, STOWAGE_STATE_DIR);
}
