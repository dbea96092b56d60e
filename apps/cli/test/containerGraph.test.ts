import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStowage, TOKENS } from '@stowage/core';
import { builtinPlugins } from '../src/builtinPlugins.js';

function project(yaml: string): string {
  const root = mkdtempSync(join(tmpdir(), 'stowage-di-'));
  writeFileSync(join(root, 'stowage.yaml'), yaml);
  return root;
}

describe('DI container (the composition root the CLI uses)', () => {
  it('resolves the whole graph of a stack made of every default plugin', async () => {
    const root = project(
      [
        'stacks:',
        '  full:',
        '    image_builder: { flavor: local }',
        '    container_registry: { flavor: oci, uri: 127.0.0.1:5000, username: u, password: "${REG_PASSWORD}" }',
        '    artifact_store: { flavor: local }',
        'active_stack: full',
      ].join('\n'),
    );
    const stowage = await createStowage({ cwd: root, env: { REG_PASSWORD: 'hunter2-pass' }, builtins: builtinPlugins(), toolVersion: 'test' });
    const { container: stack, components } = stowage.stack();
    for (const token of Object.values(TOKENS)) expect(stack.resolve(token as never), String(token)).toBeDefined();

    const builder = await components.imageBuilder.get();
    const registry = await components.containerRegistry!.get();
    const store = await components.artifactStore!.get();
    expect(components.codeRepositories).toEqual([]);
    expect(typeof builder.build).toBe('function');
    expect(typeof builder.push).toBe('function');
    expect(stack.resolve(TOKENS.PlanStack).containerRegistry?.uri).toBe('127.0.0.1:5000');
    expect(await registry.auth({ repository: 'stowage', actions: ['pull', 'push'] })).toEqual({ type: 'basic', username: 'u', password: 'hunter2-pass' });
    expect(store.locate('x/y.tar').path).toBe(join(root, '.stowage/artifacts/x/y.tar'));
    // The registry password is a secret: redacted in everything printed.
    expect(stack.resolve(TOKENS.Redactor).redact('login hunter2-pass')).toBe('login ***');
  });

  it('gives each stack its own child container', async () => {
    const root = project('stacks:\n  a: { image_builder: { flavor: local } }\n  b: { image_builder: { flavor: local, platform: linux/arm64 } }\n');
    const stowage = await createStowage({ cwd: root, env: {}, builtins: builtinPlugins(), toolVersion: 'test' });
    const a = stowage.stack('a').container;
    const b = stowage.stack('b').container;
    expect(a).not.toBe(b);
    expect(a.resolve(TOKENS.StackComponents)).not.toBe(b.resolve(TOKENS.StackComponents));
    expect(a.resolve(TOKENS.PlanStack).imageBuilder.platform).toBeUndefined();
    expect(b.resolve(TOKENS.PlanStack).imageBuilder.platform).toBe('linux/arm64');
    expect(a.resolve(TOKENS.BuildStore)).toBe(b.resolve(TOKENS.BuildStore));
  });
});
