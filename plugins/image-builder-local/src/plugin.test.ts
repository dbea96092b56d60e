import { BUILD_OPTION_FIELDS, isPlugin } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { flavorContext } from './__fixtures__/testBuilds.js';
import plugin, { LocalImageBuilder, LocalImageBuilderConfigSchema, localImageBuilderFlavor } from './index.js';

const describeConfig = (config: Record<string, unknown>) => localImageBuilderFlavor.describe(localImageBuilderFlavor.config.parse(config), { projectRoot: '/p' });

describe('@stowage/image-builder-local plugin', () => {
  it('declares the local image-builder flavor for plugin API 2, with an optional registry dependency', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ name: '@stowage/image-builder-local', apiVersion: 2, flavors: [localImageBuilderFlavor] });
    expect(localImageBuilderFlavor).toMatchObject({ kind: 'image-builder', flavor: 'local' });
    expect(localImageBuilderFlavor.deps).toEqual({ registry: { kind: 'container-registry', optional: true } });
  });

  it('describes a local builder that pushes in a separate step and honours every build option', () => {
    expect(describeConfig({})).toEqual({
      remote: false,
      platform: undefined,
      capabilities: { push: 'separate', platforms: [], stagesContext: false, secrets: false, cacheMounts: false, buildOptions: expect.any(Array) },
      identity: { platform: undefined },
    });
    expect([...describeConfig({}).capabilities.buildOptions].sort()).toEqual([...BUILD_OPTION_FIELDS].sort());
  });

  it('reports cache mounts only with BuildKit, and its platform in its identity', () => {
    expect(describeConfig({ buildkit: true }).capabilities.cacheMounts).toBe(true);
    expect(describeConfig({ platform: 'linux/arm64' })).toMatchObject({ platform: 'linux/arm64', identity: { platform: 'linux/arm64' } });
    // The key that changes a capability says so (--help, JSON Schema).
    expect(LocalImageBuilderConfigSchema.shape.buildkit.description).toContain('(capability cacheMounts)');
  });

  it('checks builder options at plan time', () => {
    const config = localImageBuilderFlavor.config.parse({});
    const check = (builderOptions: Record<string, unknown>) => localImageBuilderFlavor.check!(config, { imageName: 'app:1', options: {}, builderOptions });
    expect(check({ cpu_quota: 50_000 })).toEqual([]);
    expect(check({ network: 'host' })).toEqual([expect.objectContaining({ severity: 'error', message: 'unknown builder option "network"' })]);
  });

  it('describes every config key (they feed --help and the JSON Schema)', () => {
    for (const [key, schema] of Object.entries(LocalImageBuilderConfigSchema.shape)) {
      expect(schema.description, key).toBeTruthy();
    }
  });

  it('rejects unknown and mistyped keys', () => {
    expect(localImageBuilderFlavor.config.safeParse({ dockerhost: 'unix:///x' }).success).toBe(false);
    expect(localImageBuilderFlavor.config.safeParse({ docker_host: '/var/run/docker.sock' }).success).toBe(false);
    expect(localImageBuilderFlavor.config.safeParse({ timeout_seconds: 0 }).success).toBe(false);
    expect(localImageBuilderFlavor.config.parse({})).toEqual({ buildkit: 'auto' });
  });

  it('caps timeout_seconds where Node timers overflow (they would fire at once)', () => {
    expect(localImageBuilderFlavor.config.parse({ timeout_seconds: 2_147_483 }).timeout_seconds).toBe(2_147_483);
    const tooLong = localImageBuilderFlavor.config.safeParse({ timeout_seconds: 2_147_484 });
    expect(tooLong.error?.issues).toEqual([
      expect.objectContaining({ path: ['timeout_seconds'], message: 'must be at most 2147483 (about 24 days): Node cannot wait longer' }),
    ]);
  });

  it('creates a builder without contacting the engine or the registry', async () => {
    let asked = 0;
    const registry = { flavor: 'oci', description: { uri: 'registry.test' }, get: () => Promise.reject(new Error(`asked ${++asked}`)) };
    const created = await localImageBuilderFlavor.create(localImageBuilderFlavor.config.parse({}), flavorContext({ DOCKER_HOST: 'unix:///nonexistent.sock' }), { registry });
    expect(created).toBeInstanceOf(LocalImageBuilder);
    expect(created.push).toBeTypeOf('function');
    expect(asked).toBe(0);
  });
});
