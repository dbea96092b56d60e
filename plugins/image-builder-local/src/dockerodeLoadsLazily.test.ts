import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { countingContext, flavorContext, requestFor, stowageFailure } from './__fixtures__/testBuilds.js';

// Node's CommonJS module cache, which dockerode and docker-modem (CommonJS packages) enter when
// loaded, whether by require or by import. Vitest runs each test file in a fresh worker.
const moduleCache = createRequire(import.meta.url).cache;
const dockerodeLoaded = (): boolean => Object.keys(moduleCache).some((path) => /[\\/](dockerode|docker-modem)[\\/]/.test(path));

it('loads no dockerode module to import the plugin, describe, check, create a builder and check an image; a build loads it', async () => {
  expect(dockerodeLoaded()).toBe(false);
  // Imported here, not at the top, so the first assertion sees the cache before the plugin loads.
  const { localImageBuilderFlavor, LocalImageBuilderConfigSchema } = await import('./index.js');
  const config = LocalImageBuilderConfigSchema.parse({ docker_host: 'unix:///nonexistent.sock' });
  const builder = await localImageBuilderFlavor.create(config, flavorContext(), { registry: undefined });
  // Describing and checking (what `stowage plan` does with a builder) need no dockerode either.
  localImageBuilderFlavor.describe(config, { projectRoot: '/tmp' });
  localImageBuilderFlavor.check!(config, { imageName: 'app:1', options: { labels: { a: 'b' } }, builderOptions: {} });
  await expect(builder.imageExists!('app:1')).resolves.toBe('unknown');
  expect(dockerodeLoaded()).toBe(false);

  // The probe can see dockerode: building is what loads it.
  await expect(stowageFailure(builder.build(requestFor('app:1', countingContext())))).resolves.toMatchObject({
    code: 'ENGINE_UNAVAILABLE',
  });
  expect(dockerodeLoaded()).toBe(true);
});
