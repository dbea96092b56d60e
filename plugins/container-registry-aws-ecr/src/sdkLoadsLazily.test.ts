import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { flavorContext } from './__fixtures__/flavorContext.js';

// Node's CommonJS module cache, which the AWS SDK packages (CommonJS) enter when loaded, whether
// by require or by import. Vitest runs each test file in a fresh worker.
const moduleCache = createRequire(import.meta.url).cache;
const sdkLoaded = (): boolean => Object.keys(moduleCache).some((path) => /[\\/]@(aws-sdk|smithy)[\\/]/.test(path));

it('loads no AWS SDK module to import the plugin, list its flavor, print its schema, parse and describe; create() loads it', async () => {
  expect(sdkLoaded()).toBe(false);
  // Imported here, not at the top, so the first assertion sees the cache before the plugin loads.
  const { default: plugin, ecrContainerRegistryFlavor, EcrContainerRegistryConfigSchema } = await import('./index.js');
  expect(plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)).toEqual(['container-registry/aws-ecr']);
  expect(z.toJSONSchema(EcrContainerRegistryConfigSchema, { io: 'input' })).toMatchObject({ required: ['uri'] });
  const config = EcrContainerRegistryConfigSchema.parse({ uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team', default_repository: 'ml' });
  expect(ecrContainerRegistryFlavor.describe(config, { projectRoot: '/tmp' })).toEqual({
    uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team',
    defaultRepository: 'ml',
    identity: { uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team', default_repository: 'ml' },
  });
  expect(sdkLoaded()).toBe(false);

  const registry = await ecrContainerRegistryFlavor.create(config, flavorContext(), {});
  expect(await registry.imageExists('ghcr.io/acme/app:1')).toBe('unknown');
  expect(sdkLoaded()).toBe(true);
});
