import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  BuildStore,
  CONFIG_FILE_NAMES,
  createStowage,
  findConfigFile,
  Redactor,
  STOWAGE_STATE_DIR,
  StowageError,
  type OpenedStack,
  type Stowage,
} from '@stowage/core';
import type { ProcessRunner } from '@stowage/plugin-api';
import { builtinPlugins, cliVersion } from './builtinPlugins.js';
import type { CliIO } from './CliIO.js';

export interface GlobalOptions {
  config?: string;
  stack?: string;
  debug?: boolean;
  /** No progress and a one-line summary. */
  quiet?: boolean;
  /** More build output (log lines per image, engine status lines). */
  verbose?: boolean;
}

/** What a command works with, made on demand by core's composition root (`createStowage`). */
export class CliSession {
  private pending?: Promise<Stowage>;
  private loaded?: Stowage;

  constructor(
    readonly io: CliIO,
    readonly options: GlobalOptions,
    private readonly runner?: ProcessRunner,
  ) {}

  /** The project, its plugins and stacks; `optionalProject` works without a config file (listing commands). */
  stowage(optionalProject = false): Promise<Stowage> {
    this.pending ??= createStowage({
      configFile: this.options.config,
      cwd: this.io.cwd,
      env: this.io.env,
      optionalProject,
      builtins: builtinPlugins(),
      runner: this.runner,
      toolVersion: cliVersion(),
    }).then((s) => (this.loaded = s));
    return this.pending;
  }

  /** The selected stack (`--stack`, else active_stack, else default). */
  async stack(name = this.options.stack): Promise<OpenedStack> {
    return (await this.stowage()).stack(name);
  }

  /**
   * The project's build store, found from the config file's location without loading the config:
   * listing or deleting builds must not need every `${VAR}` of the config to be set.
   */
  buildStore(): BuildStore {
    return new BuildStore(this.stateDir());
  }

  /** `.stowage/` beside the config file (build records, saved logs), found without loading the config. */
  stateDir(): string {
    if (this.options.config !== undefined && !this.options.config.trim()) {
      throw new StowageError('the config file path is empty', { code: 'USAGE', hint: 'pass --config FILE with a file name, or leave --config out to use stowage.yaml' });
    }
    const file = this.options.config ? resolve(this.io.cwd, this.options.config) : findConfigFile(this.io.cwd);
    if (!file || !existsSync(file)) {
      throw new StowageError(`no ${CONFIG_FILE_NAMES[0]} found${this.options.config ? ` at ${file}` : ` in ${this.io.cwd} or its parent folders`}`, {
        code: 'CONFIG_NOT_FOUND',
        hint: 'run this in the project folder, or pass --config FILE',
      });
    }
    return join(dirname(file), STOWAGE_STATE_DIR);
  }

  /** Redacts credentials known so far (config `${VAR}` secrets, component secrets, registry tokens). */
  redactor(): Redactor {
    return this.loaded?.redactor ?? new Redactor();
  }
}
