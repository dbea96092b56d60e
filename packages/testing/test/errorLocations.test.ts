import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFlavor, definePlugin, StowageError } from '@stowage/plugin-api';
import { createTestStack, FakeImageBuilder } from '../src/index.js';

const line = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('errors point at the file, line and key path that caused them', () => {
  it('a step-level setting: a missing requirements file', async () => {
    const yaml = ['pipeline: { name: p }', 'steps:', '  train:', '    settings:', '      docker:', '        requirements: missing.txt', 'active_stack: test', 'stacks: { test: { image_builder: { flavor: fake } } }', ''].join('\n');
    const t = await createTestStack({ config: yaml });
    await expect(t.plan()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      file: 'stowage.yaml',
      line: line(yaml, 'requirements: missing.txt'),
      keyPath: 'steps.train.settings.docker.requirements',
      message: expect.stringContaining('requirements file'),
    });
  });

  it('a step-level setting: a failing pyproject export is reported at that step’s pyproject_path', async () => {
    const exporter = definePlugin({
      name: '@acme/exporter-boom',
      apiVersion: 2,
      flavors: [],
      exporters: [{ name: 'boom', pyproject: { priority: 1 }, create: () => ({ exportPyproject: async () => Promise.reject(new Error('no network')) }) }],
    });
    const yaml = ['pipeline: { name: p }', 'steps:', '  train:', '    settings:', '      docker:', '        pyproject_path: pyproject.toml', 'active_stack: test', 'stacks: { test: { image_builder: { flavor: fake } } }', ''].join('\n');
    const t = await createTestStack({ config: yaml, files: { 'pyproject.toml': '[project]\nname = "x"\n' }, plugins: [{ packageName: '@acme/exporter-boom', plugin: exporter }] });
    const error = (await t.plan().catch((e: unknown) => e)) as StowageError;
    expect(error).toMatchObject({ code: 'REQUIREMENTS_EXPORT_FAILED', file: 'stowage.yaml', line: line(yaml, 'pyproject_path'), keyPath: 'steps.train.settings.docker.pyproject_path' });
    // The plugin's failure is in the details, tagged with the exporter that failed.
    expect(error.details.join('\n')).toContain('boom: exporter boom failed in exportPyproject: no network');
  });

  it("a stack component: the stack's default_parent_image", async () => {
    const yaml = ['pipeline: { name: p }', 'stacks:', '  test:', '    image_builder: { flavor: fake }', '    default_parent_image: "not an image!"', 'active_stack: test', ''].join('\n');
    await expect(createTestStack({ config: yaml })).rejects.toMatchObject({ code: 'CONFIG_INVALID', file: 'stowage.yaml', line: 5, keyPath: 'stacks.test.default_parent_image' });
  });

  it('a plugin-contributed requirement that cannot be written safely: the plugin and where its component is configured', async () => {
    const plugin = definePlugin({
      name: '@acme/bad-reqs',
      apiVersion: 2,
      flavors: [
        defineFlavor({
          kind: 'artifact-store',
          flavor: 'bad',
          config: z.object({}).strict(),
          requirements: { apt: ['curl; rm -rf /'] },
          describe: () => ({ scheme: 'memory', root: 'memory://bad', reachableFromContainers: false }),
          create: () => {
            throw new Error('not created in this test');
          },
        }),
      ],
    });
    const yaml = ['pipeline: { name: p }', 'stacks:', '  test:', '    image_builder: { flavor: fake }', '    artifact_store: { flavor: bad }', 'active_stack: test', ''].join('\n');
    await expect(createTestStack({ config: yaml, plugins: [{ packageName: '@acme/bad-reqs', plugin }] })).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      plugin: '@acme/bad-reqs',
      file: 'stowage.yaml',
      line: 5,
      keyPath: 'stacks.test.artifact_store.flavor',
    });
  });

  it('a failure inside a plugin is tagged with plugin, component and method, keeping its code', async () => {
    class Broken extends FakeImageBuilder {
      override async build(): Promise<never> {
        throw new Error('the layer cache is corrupt');
      }
    }
    class Coded extends FakeImageBuilder {
      override async build(): Promise<never> {
        throw new StowageError('quota exceeded', { code: 'ENGINE_UNAVAILABLE' });
      }
    }
    const config = { pipeline: { name: 'p' }, settings: { docker: { requirements: ['x'] } } };
    const broken = await createTestStack({ config, overrides: { imageBuilder: new Broken() } });
    await expect(broken.build()).rejects.toMatchObject({ code: 'BUILD_FAILED', plugin: '@stowage/testing', component: 'test.image_builder', method: 'build', message: expect.stringContaining('the layer cache is corrupt') });
    const coded = await createTestStack({ config, overrides: { imageBuilder: new Coded() } });
    // An engine that stops answering mid-build is said as such, with the plugin's tags kept.
    await expect(coded.build()).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', plugin: '@stowage/testing', component: 'test.image_builder', method: 'build', message: expect.stringMatching(/^the engine connection was lost while .*\(quota exceeded\)$/) });
  });

  it('artifact keys are validated by core before a store sees them', async () => {
    const config = { pipeline: { name: 'p' }, stacks: { test: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 'fake' } } }, active_stack: 'test' };
    const t = await createTestStack({ config });
    const store = await t.opened.components.artifactStore!.get();
    for (const key of ['../x', '/etc/passwd', 'a//b', 'a/./b', 'a\\\\b', '']) {
      await expect(Promise.resolve().then(() => store.exists(key)), key).rejects.toMatchObject({ code: 'USAGE' });
    }
    expect(t.fakes.artifactStore.objects.size).toBe(0);
    await expect(store.list('')).resolves.toEqual([]);
  });
});

describe('code_repositories: bad input exits 2 naming the key', () => {
  const base = { pipeline: { name: 'p' }, active_stack: 'test', stacks: { test: { image_builder: { flavor: 'fake' } } } };
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['an unknown flavor', { code_repositories: [{ name: 'main', flavor: 'fak' }] }, { keyPath: 'code_repositories[0].flavor', hint: "did you mean 'fake'?" }],
    ['a typo in its config', { code_repositories: [{ name: 'main', flavor: 'fake', ulr: 'x' }] }, { keyPath: 'code_repositories[0].ulr', message: expect.stringContaining('did you mean "url"') }],
    ['two with one name', { code_repositories: [{ name: 'main', flavor: 'fake' }, { name: 'main', flavor: 'fake' }] }, { keyPath: 'code_repositories[1].name' }],
    ['one still under a stack', { stacks: { test: { image_builder: { flavor: 'fake' }, code_repository: { flavor: 'fake' } } } }, { keyPath: 'stacks.test.code_repository', hint: expect.stringContaining('code_repositories:') }],
  ])('%s', async (_name, config, expected) => {
    const error = await createTestStack({ config: { ...base, ...config } }).then((t) => t.plan()).catch((e: unknown) => e as StowageError);
    expect(error).toMatchObject({ code: 'COMPONENT_CONFIG_INVALID', exitCode: 2, file: 'stowage.yaml', line: expect.any(Number), ...expected });
  });
});
