import { resolve } from 'node:path';
import type { ConfigSource } from './ConfigIssue.js';
import { projectFromObject, type ProjectConfig } from './loadProjectConfig.js';
import { projectObjectFromCode, type StowageConfig } from './StowageConfig.js';

const CODE_SOURCE: ConfigSource = { file: 'defineConfig()' };

export interface ProjectFromConfigOptions {
  /** Folder relative paths resolve against (default: the CWD). */
  root?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** The project for a config object made in code (the TS API without a config file). */
export function projectFromConfig(config: StowageConfig, options: ProjectFromConfigOptions = {}): ProjectConfig {
  return projectFromObject(projectObjectFromCode(config), {
    source: CODE_SOURCE,
    env: options.env ?? process.env,
    root: resolve(options.root ?? process.cwd()),
  });
}
