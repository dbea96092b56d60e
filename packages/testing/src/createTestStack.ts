import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  createStowage,
  type BuildPlan,
  type BuildResult,
  type ExecuteOptions,
  type OpenedStack,
  type PlanOptions,
  type ProjectConfig,
  type Stowage,
} from '@stowage/core';
import type { ProcessRunner } from '@stowage/plugin-api';
import { FakeCodeRepository, FakeContainerRegistry, FakeImageBuilder, FakeRemoteImageBuilder, InMemoryArtifactStore } from './fakes.js';
import { TEST_PLUGIN_NAME, testPlugin } from './testPlugin.js';

export interface TestStackOptions {
  /** stowage.yaml content (object or YAML text). Without `stacks`, a stack `test` of fakes is used. */
  config?: Record<string, unknown> | string;
  /** Extra plugins (e.g. the one under test), registered like builtins. */
  plugins?: { packageName: string; plugin: unknown; version?: string }[];
  /** Component instances the fake flavors return (defaults: fresh fakes). */
  overrides?: Partial<TestStack['fakes']>;
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
  stowage: Stowage;
  opened: OpenedStack;
  fakes: {
    imageBuilder: FakeImageBuilder;
    remoteImageBuilder: FakeRemoteImageBuilder;
    containerRegistry: FakeContainerRegistry;
    artifactStore: InMemoryArtifactStore;
    codeRepository: FakeCodeRepository;
  };
  plan(options?: PlanOptions): Promise<BuildPlan>;
  build(options?: PlanOptions & ExecuteOptions): Promise<{ plan: BuildPlan; result: BuildResult }>;
}

const DEFAULT_STACKS = { test: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 'fake' } } };

/**
 * Runs the real path — write stowage.yaml, then `createStowage` (load and validate it, load
 * plugins, compose the stack in its DI child container) — with in-memory fakes of every
 * component kind (Backstage's startTestBackend, for Stowage).
 */
export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'stowage-test-'));
  for (const [path, content] of Object.entries(options.files ?? {})) writeFileSync(join(root, path), content);
  const text = typeof options.config === 'string' ? options.config : stringify(withDefaultStack(options.config ?? {}));
  writeFileSync(join(root, 'stowage.yaml'), text);
  const fakes: TestStack['fakes'] = {
    imageBuilder: options.overrides?.imageBuilder ?? new FakeImageBuilder(),
    remoteImageBuilder: options.overrides?.remoteImageBuilder ?? new FakeRemoteImageBuilder(),
    containerRegistry: options.overrides?.containerRegistry ?? new FakeContainerRegistry(),
    artifactStore: options.overrides?.artifactStore ?? new InMemoryArtifactStore(),
    codeRepository: options.overrides?.codeRepository ?? new FakeCodeRepository(),
  };
  const stowage = await createStowage({
    cwd: root,
    env: options.env ?? { ...process.env },
    runner: options.runner,
    toolVersion: 'test',
    builtins: [{ packageName: TEST_PLUGIN_NAME, plugin: testPlugin(fakes) }, ...(options.plugins ?? [])],
  });
  const opened = stowage.stack(options.stack);
  const stack = opened.stack.name;
  return {
    root,
    project: stowage.project,
    stowage,
    opened,
    fakes,
    plan: (o) => stowage.plan({ stack, ...o }),
    async build(o = {}) {
      const plan = await stowage.plan({ stack, ...o });
      return { plan, result: await stowage.build(plan, o) };
    },
  };
}

function withDefaultStack(config: Record<string, unknown>): Record<string, unknown> {
  if (config.stacks) return config;
  return { active_stack: 'test', ...config, stacks: DEFAULT_STACKS };
}
