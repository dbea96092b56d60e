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
  const { default: plugin, s3ArtifactStoreFlavor, S3ArtifactStoreConfigSchema } = await import('./index.js');
  expect(plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)).toEqual(['artifact-store/s3']);
  expect(z.toJSONSchema(S3ArtifactStoreConfigSchema, { io: 'input' })).toMatchObject({ required: ['path'] });
  const config = S3ArtifactStoreConfigSchema.parse({ path: 's3://acme/stowage', region: 'eu-west-1' });
  expect(s3ArtifactStoreFlavor.describe(config, { projectRoot: '/tmp' }).root).toBe('s3://acme/stowage');
  expect(sdkLoaded()).toBe(false);

  const store = await s3ArtifactStoreFlavor.create(config, flavorContext(), {});
  expect(store.locate('a.tar').uri).toBe('s3://acme/stowage/a.tar');
  expect(sdkLoaded()).toBe(true);
});
