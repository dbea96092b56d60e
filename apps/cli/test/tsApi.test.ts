/**
 * The TS API of @stowage/cli: `plan`, `build`, `listBuilds` in one call each, with the CLI's
 * built-in plugins plus a test plugin whose in-memory builder records what it is asked to build.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeImageBuilder, testPlugin, TEST_PLUGIN_NAME } from '@stowage/testing';
import { build, component, defineConfig, definePipeline, listBuilds, plan, StowageError, type StowageConfig } from '../src/index.js';
import { LocalImageBuilderConfigSchema } from '@stowage/image-builder-local';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-api-'));
  writeFileSync(join(dir, 'main.py'), 'print(1)\n');
  return dir;
}

const config = defineConfig({
  pipeline: { name: 'api', pythonVersion: '3.11' },
  settings: { docker: { parentImage: 'python:3.11-slim', environment: { A: '1' } } },
  steps: { train: { settings: { docker: { aptPackages: ['git'] } } } },
  stacks: { t: { imageBuilder: { flavor: 'fake' } } },
  activeStack: 't',
});

async function rejection(p: Promise<unknown>): Promise<StowageError> {
  const e = await p.then(() => undefined, (error: unknown) => error);
  if (!StowageError.isInstance(e)) throw new Error(`expected a StowageError, got ${String(e)}`);
  return e;
}

describe('plan(), build(), listBuilds()', () => {
  it('plans, builds, reuses and lists a config object in one call each', async () => {
    const cwd = project();
    const builder = new FakeImageBuilder();
    const plugins = [{ packageName: TEST_PLUGIN_NAME, plugin: testPlugin({ imageBuilder: builder }) }];
    const planned = await plan({ cwd, config, plugins, env: {} });
    expect(planned.images.map((i) => [i.key, i.action])).toEqual([['pipeline', 'build'], ['train', 'build']]);
    expect(builder.builds).toEqual([]);
    const first = await build({ cwd, config, plugins, env: {} });
    expect([first.created, first.builtImages]).toEqual([true, 2]);
    expect(builder.builds.map((b) => b.imageName)).toEqual(planned.images.map((i) => i.imageName));
    expect(builder.builds[1]!.dockerfile).toMatch(/apt-get install[\s\S]*git/);
    const second = await build({ cwd, config, plugins, env: {} });
    expect([second.created, second.plan.outcome.kind]).toEqual([false, 'existing-build']);
    const listed = await listBuilds({ cwd });
    expect(listed.map((b) => b.id)).toEqual([first.build.id]);
    expect(await listBuilds({ cwd, pipeline: 'other' })).toEqual([]);
  });

  it('takes a definePipeline() pipeline, a stowage.config.ts path, and --step as `steps`', async () => {
    const cwd = project();
    writeFileSync(join(cwd, 'stowage.config.ts'), `export default ${JSON.stringify(config)};\n`);
    const plugins = [{ packageName: TEST_PLUGIN_NAME, plugin: testPlugin({ imageBuilder: new FakeImageBuilder() }) }];
    const fromFile = await plan({ cwd, plugins, env: {}, steps: ['train'] });
    expect(fromFile.images.map((i) => i.key)).toEqual(['train']);
    const pipeline = definePipeline({ name: 'coded', settings: { docker: { parentImage: 'python:3.11-slim' } }, steps: { a: {} } }).withOptions({ configPath: join(cwd, 'stowage.config.ts') });
    expect((await plan({ cwd, config: pipeline, plugins, env: {} })).pipeline).toBe('coded');
  });

  it('types component configs from a flavor schema', () => {
    const builder = component(LocalImageBuilderConfigSchema, 'local', { network_mode: 'host' });
    const typed: StowageConfig = { stacks: { s: { imageBuilder: builder } } };
    expect(typed.stacks?.['s']?.imageBuilder).toEqual({ flavor: 'local', network_mode: 'host' });
  });

  it('bad input is a StowageError with exit code 2 naming where it is', async () => {
    const cwd = project();
    const bad = await rejection(plan({ cwd, config: { pipeline: { name: 'p', pythonVersion: '3' } }, env: {} }));
    expect([bad.exitCode, bad.file, bad.keyPath]).toEqual([2, 'defineConfig()', 'pipeline.python_version']);
    const step = await rejection(plan({ cwd, config: { steps: { train: {} } }, env: {}, steps: ['trian'] }));
    expect([step.exitCode, step.code, step.hint]).toEqual([2, 'STEP_UNKNOWN', 'did you mean "train"?']);
    const missing = await rejection(plan({ cwd, env: {} }));
    expect([missing.exitCode, missing.code]).toEqual([2, 'CONFIG_NOT_FOUND']);
    const notAConfig = await rejection(plan({ cwd, config: 42 as never, env: {} }));
    expect([notAConfig.exitCode, notAConfig.code]).toEqual([2, 'USAGE']);
  });
});
