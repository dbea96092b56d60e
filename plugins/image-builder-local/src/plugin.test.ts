import { describe, expect, it } from 'vitest';
import { isPlugin, NodeProcessRunner, type FlavorContext } from '@stowage/core';
import plugin, { LocalImageBuilder, LocalImageBuilderConfigSchema, localBuilderCapabilities, localImageBuilderFlavor } from './index.js';

function context(env: Record<string, string | undefined> = {}): FlavorContext {
  return { stackName: 'default', componentKey: 'image_builder', projectRoot: '/tmp', runner: new NodeProcessRunner(), env };
}

describe('@stowage/image-builder-local plugin', () => {
  it('declares the local image-builder flavor', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin.name).toBe('@stowage/image-builder-local');
    expect(plugin.flavors).toEqual([localImageBuilderFlavor]);
    expect(localImageBuilderFlavor).toMatchObject({ kind: 'image-builder', flavor: 'local' });
    expect(localImageBuilderFlavor.capabilities).toMatchObject({ remote: false, push: true });
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
    expect(localImageBuilderFlavor.config.parse({})).toEqual({ buildkit: false });
  });

  it('caps timeout_seconds where Node timers overflow (they would fire at once)', () => {
    expect(localImageBuilderFlavor.config.parse({ timeout_seconds: 2_147_483 }).timeout_seconds).toBe(2_147_483);
    const tooLong = localImageBuilderFlavor.config.safeParse({ timeout_seconds: 2_147_484 });
    expect(tooLong.error?.issues).toEqual([
      expect.objectContaining({ path: ['timeout_seconds'], message: 'must be at most 2147483 (about 24 days): Node cannot wait longer' }),
    ]);
  });

  it('declares statically the capabilities a builder with the default config reports', async () => {
    const created = await localImageBuilderFlavor.create(localImageBuilderFlavor.config.parse({}), context());
    expect(localImageBuilderFlavor.capabilities).toEqual(created.capabilities);
    expect(localImageBuilderFlavor.capabilities).toEqual(localBuilderCapabilities(false));
    // The static declaration cannot know the config: the key that changes it says so (--help, JSON Schema).
    expect(LocalImageBuilderConfigSchema.shape.buildkit.description).toContain('(capability cacheMounts)');
  });

  it('creates a builder without contacting the engine; cache mounts only with BuildKit', async () => {
    const classic = await localImageBuilderFlavor.create(localImageBuilderFlavor.config.parse({}), context());
    expect(classic).toBeInstanceOf(LocalImageBuilder);
    expect(classic.capabilities).toEqual({ remote: false, push: true, platforms: [], secrets: false, cacheMounts: false });
    const buildkit = await localImageBuilderFlavor.create(
      localImageBuilderFlavor.config.parse({ buildkit: true }),
      context({ DOCKER_HOST: 'unix:///nonexistent.sock' }),
    );
    expect(buildkit.capabilities.cacheMounts).toBe(true);
  });
});
