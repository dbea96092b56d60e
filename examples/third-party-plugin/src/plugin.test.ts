import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '@stowage/cli';

const project = join(import.meta.dirname, '../example-project');

async function stowage(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd: project, env: process.env });
  return { code, stdout, stderr };
}

describe('the out-of-tree docker-cli plugin, loaded from the example project node_modules', () => {
  it('stowage plugins list shows it next to the builtins', async () => {
    const r = await stowage('plugins', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^@example\/stowage-image-builder-docker-cli@0\.1\.0 \(project\) {2}image-builder:docker-cli$/m);
  });

  it('stowage stack describe shows the component, its plugin and config', async () => {
    const r = await stowage('stack', 'describe');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('image_builder: docker-cli (image-builder, plugin @example/stowage-image-builder-docker-cli)');
    expect(r.stdout).toContain('- --network=host');
  });

  it('stowage plan plans with it (builder flavor in the checksum inputs)', async () => {
    const r = await stowage('plan', '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stack.name).toBe('cli');
    expect(plan.images).toHaveLength(1);
    expect(plan.images[0].action).toBe('build');
    const build = plan.images[0].buildSteps.find((s: { kind: string }) => s.kind === 'docker-build');
    expect(build.dockerfile).toContain('RUN pip install --no-cache-dir --default-timeout=60 -r .stowage_user_requirements');
    // Its push is a separate step, never part of the build.
    expect(build.pushInBuild).toBe(false);
  });

  it('stowage stack validate rejects a bad option of its config with the key path', async () => {
    const r = await stowage('stack', 'validate', '--config', join(project, 'bad-config.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stacks\.cli\.image_builder\.docker_binari: unknown key "docker_binari"; did you mean "docker_binary"\?/);
  });
});
