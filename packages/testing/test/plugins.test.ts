import { describe, expect, it } from 'vitest';
import { composeStack, loadPlugins, loadProjectConfig } from '@stowage/core';
import { pluginSource, tempProject } from './tempProject.js';

async function load(root: string) {
  const project = loadProjectConfig({ cwd: root, env: { API_TOKEN: 'tok-123456' } });
  const registry = await loadPlugins({ names: project.plugins, projectRoot: root });
  return { project, registry };
}

const stackYaml = (plugin: string, component = 'image_builder: { flavor: podman, socket: /run/podman.sock, token: "${API_TOKEN}" }') =>
  `plugins: ["${plugin}"]\nstacks:\n  pod:\n    ${component}\nactive_stack: pod\n`;

describe('plugins resolved from the project node_modules', () => {
  it('loads, validates and registers a plugin; its flavor composes a stack', async () => {
    const root = tempProject({ '@acme/stowage-podman': { index: pluginSource('@acme/stowage-podman'), version: '2.0.1' } }, stackYaml('@acme/stowage-podman'));
    const { project, registry } = await load(root);
    expect(registry.list().map((p) => [p.plugin.name, p.version, p.origin])).toEqual([['@acme/stowage-podman', '2.0.1', 'project']]);
    const stack = composeStack(project, registry);
    expect(stack.components.map((c) => [c.key, c.flavor.flavor, c.plugin])).toEqual([['image_builder', 'podman', '@acme/stowage-podman']]);
    expect(stack.components[0]!.redactedConfig).toEqual({ flavor: 'podman', socket: '/run/podman.sock', token: '***' });
    expect(stack.secrets).toEqual(['tok-123456']);
  });

  it.each([
    ['not installed', {}, /^plugin @acme\/missing is not installed in /, 'PLUGIN_NOT_INSTALLED', /npm install @acme\/missing/],
    ['not a plugin', { '@acme/missing': { index: 'export default { name: "x" };' } }, /^@acme\/missing does not export a Stowage plugin$/, 'PLUGIN_INVALID', /definePlugin\(\)/],
    ['wrong apiVersion', { '@acme/missing': { index: pluginSource('@acme/missing', { apiVersion: 2 }) } }, /targets plugin API version 2, but this Stowage supports version 1/, 'PLUGIN_INVALID', /install a version of @acme\/missing/],
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
    const { project, registry } = await load(root);
    expect(() => composeStack(project, registry)).toThrow(
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
    const { project, registry } = await load(root);
    expect(() => composeStack(project, registry)).toThrow(
      expect.objectContaining({ code: 'COMPONENT_CONFIG_INVALID', keyPath: 'stacks.pod.image_builder.sockett', message: 'unknown key "sockett"; did you mean "socket"?' }),
    );
  });

  it('unmet requires names the stack, the component and what is missing', async () => {
    const requires = "requires: { containerRegistry: true, artifactStore: ['s3'] },";
    const root = tempProject({ '@acme/p': { index: pluginSource('@acme/p', { requires }) } }, stackYaml('@acme/p', 'image_builder: { flavor: podman }'));
    const { project, registry } = await load(root);
    expect(() => composeStack(project, registry)).toThrow(
      expect.objectContaining({
        code: 'STACK_INVALID',
        message: "stack \"pod\": image_builder 'podman' needs a container_registry, but the stack has none",
        details: ["stack \"pod\": image_builder 'podman' needs an artifact_store of flavor 's3', but the stack has none"],
      }),
    );
  });

  it('an unknown stack name suggests the closest', async () => {
    const root = tempProject({ '@acme/p': { index: pluginSource('@acme/p') } }, stackYaml('@acme/p'));
    const { project, registry } = await load(root);
    expect(() => composeStack(project, registry, 'podd')).toThrow(expect.objectContaining({ code: 'STACK_UNKNOWN', hint: 'did you mean "pod"?' }));
  });
});
