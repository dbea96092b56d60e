import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { flavorContext } from './__fixtures__/flavorContext.js';

// Node's CommonJS module cache, which google-auth-library and its dependencies (CommonJS) enter
// when loaded, whether by require or by import. Vitest runs each test file in a fresh worker.
const moduleCache = createRequire(import.meta.url).cache;
const googleLoaded = (): boolean => Object.keys(moduleCache).some((path) => /[\\/](google-auth-library|gaxios|gtoken|gcp-metadata)[\\/]/.test(path));

it('loads no Google module to import the plugin, list its flavor, print its schema, parse and describe; create() loads it', async () => {
  expect(googleLoaded()).toBe(false);
  // Imported here, not at the top, so the first assertion sees the cache before the plugin loads.
  const { default: plugin, gcpContainerRegistryFlavor, GcpContainerRegistryConfigSchema } = await import('./index.js');
  expect(plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)).toEqual(['container-registry/gcp']);
  expect(z.toJSONSchema(GcpContainerRegistryConfigSchema, { io: 'input' })).toMatchObject({ properties: { uri: { type: 'string' }, access_token: { writeOnly: true }, service_account_key: { writeOnly: true } } });
  const config = GcpContainerRegistryConfigSchema.parse({ project: 'my-project', location: 'us', repository: 'images', default_repository: 'ml' });
  expect(gcpContainerRegistryFlavor.describe(config, { projectRoot: '/tmp' })).toEqual({
    uri: 'us-docker.pkg.dev/my-project/images',
    defaultRepository: 'ml',
    identity: { uri: 'us-docker.pkg.dev/my-project/images', default_repository: 'ml' },
  });
  expect(googleLoaded()).toBe(false);

  const registry = await gcpContainerRegistryFlavor.create(config, flavorContext(), {});
  expect(await registry.imageExists('ghcr.io/acme/app:1')).toBe('unknown');
  expect(googleLoaded()).toBe(true);
});
