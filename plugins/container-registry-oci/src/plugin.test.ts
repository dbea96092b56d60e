import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFlavor, isPlugin, StowageError, type FlavorContext } from '@stowage/plugin-api';
import { OciContainerRegistryConfigSchema } from './config.js';
import plugin, { ociContainerRegistryFlavor } from './plugin.js';

function context(env: Record<string, string>, secrets: string[] = []): FlavorContext {
  return {
    stackName: 'test',
    componentKey: 'container_registry',
    projectRoot: '/nonexistent-project',
    runner: { run: () => Promise.reject(new StowageError('no subprocesses in this test', { code: 'SUBPROCESS_FAILED' })) },
    env,
    secrets: { add: (secret) => void secrets.push(secret) },
  };
}

describe('the @stowage/container-registry-oci plugin', () => {
  it('is a v2 plugin with one container-registry flavor, `oci`', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ name: '@stowage/container-registry-oci', apiVersion: 2 });
    expect(plugin.flavors).toEqual([ociContainerRegistryFlavor]);
    expect(isFlavor(ociContainerRegistryFlavor)).toBe(true);
    expect(ociContainerRegistryFlavor).toMatchObject({ kind: 'container-registry', flavor: 'oci' });
  });

  it('describes where images go from the config alone; the login is not part of the identity', () => {
    const describe = (config: Record<string, unknown>) =>
      ociContainerRegistryFlavor.describe(OciContainerRegistryConfigSchema.parse(config), { projectRoot: '/p' });
    expect(describe({ uri: 'ghcr.io/acme/', default_repository: 'ml', username: 'u', password: 'p' })).toEqual({
      uri: 'ghcr.io/acme',
      defaultRepository: 'ml',
      identity: { uri: 'ghcr.io/acme', default_repository: 'ml' },
    });
    const bare = describe({ uri: '127.0.0.1:5000' });
    expect(bare.uri).toBe('127.0.0.1:5000');
    expect(bare.defaultRepository).toBeUndefined();
    expect(JSON.stringify(bare.identity)).toBe('{"uri":"127.0.0.1:5000"}');
  });

  it('creates a registry whose auth is the configured login', async () => {
    const config = OciContainerRegistryConfigSchema.parse({ uri: '127.0.0.1:5000', username: 'ciuser', password: 'from-config' });
    const created = await ociContainerRegistryFlavor.create(config, context({ HOME: '/nonexistent' }), {});
    expect(await created.auth({ repository: 'stowage', actions: ['pull', 'push'] })).toEqual({ type: 'basic', username: 'ciuser', password: 'from-config' });
  });

  it('falls back to the Docker config file, and registers the password found there as a runtime secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-oci-plugin-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { '127.0.0.1:5000': { auth: Buffer.from('filed:from-file').toString('base64') } } }));
    const secrets: string[] = [];
    const created = await ociContainerRegistryFlavor.create(
      OciContainerRegistryConfigSchema.parse({ uri: '127.0.0.1:5000' }),
      context({ DOCKER_CONFIG: dir, HOME: '/nonexistent' }, secrets),
      {},
    );
    expect(await created.auth({ repository: 'stowage', actions: ['pull'] })).toEqual({ type: 'basic', username: 'filed', password: 'from-file' });
    expect(secrets).toEqual(['from-file']);
    const anonymous = await ociContainerRegistryFlavor.create(
      OciContainerRegistryConfigSchema.parse({ uri: '127.0.0.1:5001' }),
      context({ DOCKER_CONFIG: dir, HOME: '/nonexistent' }),
      {},
    );
    expect(await anonymous.auth({ repository: 'stowage', actions: ['pull'] })).toEqual({ type: 'anonymous' });
  });
});
