import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  BuildStore,
  CONFIG_FILE_NAMES,
  findConfigFile,
  STOWAGE_STATE_DIR,
  StowageError,
  createRootContainer,
  loadPlugins,
  loadProjectConfig,
  openStack,
  projectFromObject,
  Redactor,
  TOKENS,
  type DependencyContainer,
  type OpenedStack,
  type PluginRegistry,
  type ProjectConfig,
  type ProcessRunner,
} from '@stowage/core';
import { builtinPlugins, cliVersion } from './builtinPlugins.js';
import type { CliIO } from './CliIO.js';

export interface GlobalOptions {
  config?: string;
  stack?: string;
  debug?: boolean;
}

/**
 * What a command works with, loaded on demand: the project config, the plugins (builtins plus
 * those named in plugins:), the root container and the selected stack.
 */
export class CliSession {
  private project?: ProjectConfig;
  private plugins?: PluginRegistry;
  private root?: DependencyContainer;
  private readonly stacks = new Map<string, OpenedStack>();

  constructor(
    readonly io: CliIO,
    readonly options: GlobalOptions,
    private readonly runner?: ProcessRunner,
  ) {}

  /** The project; `optional` gives an empty project when there is no config file. */
  loadProject(optional = false): ProjectConfig {
    if (!this.project) {
      try {
        this.project = loadProjectConfig({ configPath: this.options.config, cwd: this.io.cwd, env: this.io.env });
      } catch (error) {
        if (!optional || this.options.config || (error as { code?: string }).code !== 'CONFIG_NOT_FOUND') throw error;
        this.project = projectFromObject({}, { source: {}, env: this.io.env, root: this.io.cwd });
      }
    }
    return this.project;
  }

  async loadPlugins(optionalProject = false): Promise<PluginRegistry> {
    const project = this.loadProject(optionalProject);
    this.plugins ??= await loadPlugins({ builtins: builtinPlugins(), names: project.plugins, projectRoot: project.root, source: project.source });
    return this.plugins;
  }

  async rootContainer(optionalProject = false): Promise<DependencyContainer> {
    if (!this.root) {
      const plugins = await this.loadPlugins(optionalProject);
      this.root = createRootContainer({ project: this.loadProject(optionalProject), plugins, runner: this.runner, toolVersion: cliVersion() });
    }
    return this.root;
  }

  async stack(name = this.options.stack): Promise<OpenedStack> {
    const key = name ?? '';
    let opened = this.stacks.get(key);
    if (!opened) {
      opened = openStack(await this.rootContainer(), name);
      this.stacks.set(key, opened);
    }
    return opened;
  }

  /**
   * The project's build store, found from the config file's location without loading the config:
   * listing or deleting builds must not need every `${VAR}` of the config to be set.
   */
  buildStore(): BuildStore {
    const file = this.options.config ? resolve(this.io.cwd, this.options.config) : findConfigFile(this.io.cwd);
    if (!file || !existsSync(file)) {
      throw new StowageError(`no ${CONFIG_FILE_NAMES[0]} found${this.options.config ? ` at ${file}` : ` in ${this.io.cwd} or its parent folders`}`, {
        code: 'CONFIG_NOT_FOUND',
        hint: 'run this in the project folder, or pass --config FILE',
      });
    }
    return new BuildStore(join(dirname(file), STOWAGE_STATE_DIR));
  }

  /** Redacts credentials known so far (config `${VAR}` secrets and component secrets). */
  redactor(): Redactor {
    return this.root ? this.root.resolve(TOKENS.Redactor) : new Redactor(this.project?.secrets ?? []);
  }
}
