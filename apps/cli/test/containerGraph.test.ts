import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildEngine, createRootContainer, loadPlugins, loadProjectConfig, openStack, Planner, TOKENS } from '@stowage/core';
import { builtinPlugins } from '../src/builtinPlugins.js';

describe('DI container', () => {
  it('resolves the whole graph of a stack made of every default plugin', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stowage-di-'));
    writeFileSync(
      join(root, 'stowage.yaml'),
      [
        'stacks:',
        '  full:',
        '    image_builder: { flavor: local }',
        '    container_registry: { flavor: oci, uri: 127.0.0.1:5000, username: u, password: "${REG_PASSWORD}" }',
        '    artifact_store: { flavor: local }',
        'active_stack: full',
      ].join('\n'),
    );
    const project = loadProjectConfig({ cwd: root, env: { REG_PASSWORD: 'hunter2-pass' } });
    const plugins = await loadPlugins({ builtins: builtinPlugins(), names: project.plugins, projectRoot: root });
    const container = createRootContainer({ project, plugins, toolVersion: 'test' });
    const { container: stack } = openStack(container, undefined);

    for (const token of Object.values(TOKENS)) expect(stack.resolve(token as never), String(token)).toBeDefined();
    expect(stack.resolve(Planner)).toBeInstanceOf(Planner);
    expect(stack.resolve(BuildEngine)).toBeInstanceOf(BuildEngine);
    // One instance per stack container.
    expect(stack.resolve(Planner)).toBe(stack.resolve(Planner));

    const builder = await stack.resolve(TOKENS.ImageBuilder).get();
    const registry = await stack.resolve(TOKENS.ContainerRegistry).get();
    const store = await stack.resolve(TOKENS.ArtifactStore).get();
    const repo = await stack.resolve(TOKENS.CodeRepository).get();
    expect(typeof builder.build).toBe('function');
    expect(builder.capabilities.remote).toBe(false);
    expect(registry?.uri).toBe('127.0.0.1:5000');
    expect(await registry?.credentials()).toEqual({ username: 'u', password: 'hunter2-pass' });
    expect(store?.path).toBe(join(root, '.stowage/artifacts'));
    expect(repo).toBeNull();
    // The registry password is a secret: redacted in everything printed.
    expect(stack.resolve(TOKENS.Redactor).redact('login hunter2-pass')).toBe('login ***');
  });

  it('gives each stack its own child container', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stowage-di-'));
    writeFileSync(join(root, 'stowage.yaml'), 'stacks:\n  a: { image_builder: { flavor: local } }\n  b: { image_builder: { flavor: local, platform: linux/arm64 } }\n');
    const project = loadProjectConfig({ cwd: root, env: {} });
    const container = createRootContainer({ project, plugins: await loadPlugins({ builtins: builtinPlugins(), projectRoot: root }), toolVersion: 'test' });
    const a = openStack(container, 'a').container;
    const b = openStack(container, 'b').container;
    expect(a.resolve(Planner)).not.toBe(b.resolve(Planner));
    expect(a.resolve(TOKENS.PlanStack).imageBuilder.platform).toBeUndefined();
    expect(b.resolve(TOKENS.PlanStack).imageBuilder.platform).toBe('linux/arm64');
    expect(a.resolve(TOKENS.BuildStore)).toBe(b.resolve(TOKENS.BuildStore));
  });
});
