import { describe, expect, it } from 'vitest';
import { createStowage } from '@stowage/core';
import { pluginSource, tempProject } from './tempProject.js';

async function load(root: string) {
  const stowage = await createStowage({ cwd: root, env: { API_TOKEN: 'tok-123456' } });
  return { stowage, registry: stowage.plugins, compose: (name?: string) => stowage.stack(name).stack };
}

const stackYaml = (plugin: string, component = 'image_builder: { flavor: podman, socket: /run/podman.sock, token: "${API_TOKEN}" }') =>
  `plugins: ["${plugin}"]\nstacks:\n  pod:\n    ${component}\nactive_stack: pod\n`;

describe('plugins resolved from the project node_modules', () => {
  it('loads, validates and registers a plugin; its flavor composes a stack', async () => {
    const root = tempProject({ '@acme/stowage-podman': { index: pluginSource('@acme/stowage-podman'), version: '2.0.1' } }, stackYaml('@acme/stowage-podman'));
    const { compose, registry } = await load(root);
    expect(registry.list().map((p) => [p.plugin.name, p.version, p.origin])).toEqual([['@acme/stowage-podman', '2.0.1', 'project']]);
    const stack = compose();
    expect(stack.components.map((c) => [c.key, c.flavor.flavor, c.plugin])).toEqual([['image_builder', 'podman', '@acme/stowage-podman']]);
    expect(stack.components[0]!.redactedConfig).toEqual({ flavor: 'podman', socket: '/run/podman.sock', token: '***' });
    expect(stack.secrets).toEqual(['tok-123456']);
  });

  it.each([
    ['not installed', {}, /^plugin @acme\/missing is not installed in /, 'PLUGIN_NOT_INSTALLED', /npm install @acme\/missing/],
    ['not a plugin', { '@acme/missing': { index: 'export default { name: "x" };' } }, /^@acme\/missing does not export a Stowage plugin$/, 'PLUGIN_INVALID', /definePlugin\(\)/],
    ['written for plugin API 1', { '@acme/missing': { index: pluginSource('@acme/missing', { apiVersion: 1 }) } }, /declares plugin API version 1, but this Stowage implements version 2/, 'PLUGIN_INVALID', /install a version of @acme\/missing written for plugin API 2/],
    ['throws on import', { '@acme/missing': { index: pluginSource('@acme/missing', { throwOnImport: true }) } }, /plugin @acme\/missing failed to load: boom at import/, 'PLUGIN_INVALID', /reinstall/],
  ])('%s → a clear error naming the package', async (_name, packages, message, code, hint) => {
    const root = tempProject(packages as never, stackYaml('@acme/missing'));
    await expect(load(root)).rejects.toMatchObject({ code, message: expect.stringMatching(message), hint: expect.stringMatching(hint), plugin: '@acme/missing' });
  });

  it('two plugins providing the same flavor is an error naming both', async () => {
    const root = tempProject(
      { '@a/one': { index: pluginSource('@a/one') }, '@a/two': { index: pluginSource('@a/two') } },
      'plugins: ["@a/one", "@a/two"]\n',
    );
    await expect(load(root)).rejects.toMatchObject({ code: 'PLUGIN_INVALID', message: 'image-builder flavor "podman" is provided by both @a/one and @a/two' });
  });
});

describe('stack composition errors (all before any work)', () => {
  it('unknown flavor names the package to install', async () => {
    const root = tempProject({}, 'stacks:\n  aws:\n    image_builder: { flavor: aws-codebuild, code_build_project: p }\nactive_stack: aws\n');
    const { compose } = await load(root);
    expect(() => compose()).toThrow(
      expect.objectContaining({
        code: 'COMPONENT_CONFIG_INVALID',
        message: "no plugin provides image-builder flavor 'aws-codebuild'",
        keyPath: 'stacks.aws.image_builder.flavor',
        line: 3,
        hint: 'install @stowage/image-builder-aws-codebuild (or the plugin that provides it) and add it to plugins:',
      }),
    );
  });

  it('invalid component config names the key path inside the stack', async () => {
    const root = tempProject({ '@acme/p': { index: pluginSource('@acme/p') } }, stackYaml('@acme/p', 'image_builder: { flavor: podman, sockett: /x }'));
    const { compose } = await load(root);
    expect(() => compose()).toThrow(
      expect.objectContaining({ code: 'COMPONENT_CONFIG_INVALID', keyPath: 'stacks.pod.image_builder.sockett', message: 'unknown key "sockett"; did you mean "socket"?' }),
    );
  });

  it('unmet deps name the stack, the component, where it is configured and what is missing', async () => {
    const deps = "deps: { registry: { kind: 'container-registry' }, store: { kind: 'artifact-store', flavors: ['s3'] } },";
    const root = tempProject({ '@acme/p': { index: pluginSource('@acme/p', { deps }) } }, stackYaml('@acme/p', 'image_builder: { flavor: podman }'));
    const { compose } = await load(root);
    expect(() => compose()).toThrow(
      expect.objectContaining({
        code: 'STACK_INVALID',
        message: `stack "pod": image_builder 'podman' needs a container_registry (its "registry"), but the stack has none`,
        details: [`stack "pod": image_builder 'podman' needs an artifact_store of flavor 's3' (its "store"), but the stack has none`],
        file: 'stowage.yaml',
        line: 4,
        keyPath: 'stacks.pod.image_builder.flavor',
        plugin: '@acme/p',
      }),
    );
  });

  it('an unknown stack name suggests the closest', async () => {
    const root = tempProject({ '@acme/p': { index: pluginSource('@acme/p') } }, stackYaml('@acme/p'));
    const { compose } = await load(root);
    expect(() => compose('podd')).toThrow(expect.objectContaining({ code: 'STACK_UNKNOWN', hint: 'did you mean "pod"?' }));
  });
});
