import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  BuildEngine,
  createRootContainer,
  loadPlugins,
  loadProjectConfig,
  openStack,
  Planner,
  TOKENS,
  type BuildPlan,
  type ExecuteOptions,
  type ExecuteResult,
  type OpenedStack,
  type PlanOptions,
  type ProcessRunner,
  type ProjectConfig,
} from '@stowage/core';
import { FakeCodeRepository, FakeContainerRegistry, FakeImageBuilder, InMemoryArtifactStore } from './fakes.js';
import { TEST_PLUGIN_NAME, testPlugin } from './testPlugin.js';

export interface TestStackOptions {
  /** stowage.yaml content (object or YAML text). Without `stacks`, a stack `test` of fakes is used. */
  config?: Record<string, unknown> | string;
  /** Extra plugins (e.g. the one under test), registered like builtins. */
  plugins?: { packageName: string; plugin: unknown; version?: string }[];
  /** Component instances the fake flavors return (defaults: fresh fakes). */
  overrides?: {
    imageBuilder?: FakeImageBuilder;
    containerRegistry?: FakeContainerRegistry;
    artifactStore?: InMemoryArtifactStore;
    codeRepository?: FakeCodeRepository;
  };
  stack?: string;
  env?: Record<string, string | undefined>;
  /** Project folder (default: a new temp dir); the config is written there as stowage.yaml. */
  root?: string;
  runner?: ProcessRunner;
  /** Files to create in the project folder before loading (path → content). */
  files?: Record<string, string>;
}

export interface TestStack {
  root: string;
  project: ProjectConfig;
  opened: OpenedStack;
  fakes: {
    imageBuilder: FakeImageBuilder;
    containerRegistry: FakeContainerRegistry;
    artifactStore: InMemoryArtifactStore;
    codeRepository: FakeCodeRepository;
  };
  plan(options?: PlanOptions): Promise<BuildPlan>;
  build(options?: PlanOptions & ExecuteOptions): Promise<{ plan: BuildPlan; result: ExecuteResult }>;
}

const DEFAULT_STACKS = { test: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 'fake' } } };

/**
 * Runs the real path — write stowage.yaml, load and validate it, load plugins, compose the stack
 * in its DI child container — with in-memory fakes of every component kind (Backstage's
 * startTestBackend, for Stowage).
 */
export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'stowage-test-'));
  for (const [path, content] of Object.entries(options.files ?? {})) writeFileSync(join(root, path), content);
  const text = typeof options.config === 'string' ? options.config : stringify(withDefaultStack(options.config ?? {}));
  writeFileSync(join(root, 'stowage.yaml'), text);
  const fakes = {
    imageBuilder: options.overrides?.imageBuilder ?? new FakeImageBuilder(),
    containerRegistry: options.overrides?.containerRegistry ?? new FakeContainerRegistry('registry.test:5000'),
    artifactStore: options.overrides?.artifactStore ?? new InMemoryArtifactStore(),
    codeRepository: options.overrides?.codeRepository ?? new FakeCodeRepository(null),
  };
  const env = options.env ?? { ...process.env };
  const project = loadProjectConfig({ cwd: root, env });
  const plugins = await loadPlugins({
    builtins: [{ packageName: TEST_PLUGIN_NAME, plugin: testPlugin(fakes) }, ...(options.plugins ?? [])],
    names: project.plugins,
    projectRoot: root,
    source: project.source,
  });
  const container = createRootContainer({ project, plugins, runner: options.runner, toolVersion: 'test' });
  const opened = openStack(container, options.stack);
  const planner = () => opened.container.resolve(Planner);
  return {
    root,
    project,
    opened,
    fakes,
    plan: (o) => planner().plan({ mode: 'plan', ...o }),
    async build(o = {}) {
      const plan = await planner().plan({ mode: 'build', ...o });
      const result = await opened.container.resolve(BuildEngine).execute(plan, o);
      return { plan, result };
    },
  };
}

function withDefaultStack(config: Record<string, unknown>): Record<string, unknown> {
  if (config.stacks) return config;
  return { active_stack: 'test', ...config, stacks: DEFAULT_STACKS };
}

export { TOKENS };
