import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { flavorContext } from './__fixtures__/flavorContext.js';

// Node's CommonJS module cache, which the Google libraries (google-auth-library, gaxios, and the
// CommonJS dependencies of @google-cloud/storage's ESM build) enter when loaded, whether by require
// or by import. Vitest runs each test file in a fresh worker.
const moduleCache = createRequire(import.meta.url).cache;
const googleLoaded = (): boolean => Object.keys(moduleCache).some((path) => /[\\/](@google-cloud|google-auth-library|gaxios)[\\/]/.test(path));

it('loads no Google library to import the plugin, list its flavor, print its schema, parse and describe; create() loads it', async () => {
  expect(googleLoaded()).toBe(false);
  // Imported here, not at the top, so the first assertion sees the cache before the plugin loads.
  const { default: plugin, gcsArtifactStoreFlavor, GcsArtifactStoreConfigSchema } = await import('./index.js');
  expect(plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)).toEqual(['artifact-store/gcs']);
  expect(z.toJSONSchema(GcsArtifactStoreConfigSchema, { io: 'input' })).toMatchObject({ required: ['path'] });
  const config = GcsArtifactStoreConfigSchema.parse({ path: 'gs://acme/stowage', access_token: 'ya29.token' });
  expect(gcsArtifactStoreFlavor.describe(config, { projectRoot: '/tmp' }).root).toBe('gs://acme/stowage');
  expect(googleLoaded()).toBe(false);

  const store = await gcsArtifactStoreFlavor.create(config, flavorContext(), {});
  expect(store.locate('a.tar').uri).toBe('gs://acme/stowage/a.tar');
  expect(googleLoaded()).toBe(true);
});
