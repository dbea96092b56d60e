import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { z } from 'zod';

// Node's CommonJS module cache, which the Google client libraries (CommonJS) enter when loaded,
// whether by require or by import. Vitest runs each test file in a fresh worker.
const moduleCache = createRequire(import.meta.url).cache;
const googleLoaded = (): boolean => Object.keys(moduleCache).some((path) => /[\\/](@google-cloud|google-gax|google-auth-library|gaxios|gtoken)[\\/]/.test(path));

it('loads no Google module to import the plugin, list its flavor, print its schema, parse, describe and check; create() loads them (but not Secret Manager)', async () => {
  expect(googleLoaded()).toBe(false);
  // Imported here, not at the top, so the first assertion sees the cache before the plugin loads.
  const { default: plugin, gcpCloudBuildImageBuilderFlavor: flavor, GcpCloudBuildImageBuilderConfigSchema } = await import('./index.js');
  expect(plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)).toEqual(['image-builder/gcp-cloudbuild']);
  expect(z.toJSONSchema(GcpCloudBuildImageBuilderConfigSchema, { io: 'input' })).toMatchObject({ properties: { cloud_builder_image: { default: 'gcr.io/cloud-builders/docker' } } });
  const config = GcpCloudBuildImageBuilderConfigSchema.parse({ project: 'acme-ml', access_token: 'ya29.test', endpoint: 'http://127.0.0.1:9' });
  expect(flavor.describe(config, { projectRoot: '/tmp' }).capabilities.stagesContext).toBe('tar.gz');
  expect(flavor.check?.(config, { imageName: 'a/b:c', options: {}, builderOptions: {} })).toEqual([]);
  expect(googleLoaded()).toBe(false);

  const ctx = { stackName: 'gcp', componentKey: 'image_builder', projectRoot: '/tmp', runner: { run: () => Promise.reject(new Error('no processes')) }, env: {}, secrets: { add: () => undefined } };
  const registry = { flavor: 'gcp', description: { uri: 'europe-west1-docker.pkg.dev/acme-ml/images' }, get: () => Promise.reject(new Error('not needed')) };
  const store = { flavor: 'gcs', description: { scheme: 'gs', root: 'gs://acme-ml-artifacts', reachableFromContainers: true }, get: () => Promise.reject(new Error('not needed')) };
  const builder = await flavor.create(config, ctx, { registry, store });
  expect(typeof builder.build).toBe('function');
  expect(googleLoaded()).toBe(true);
  // Secret Manager loads only for a build whose registry login needs a temporary secret.
  const secretManagerLoaded = () => Object.keys(moduleCache).some((path) => /[\\/]@google-cloud[\\/]secret-manager[\\/]/.test(path));
  expect(secretManagerLoaded()).toBe(false);
  const { CloudBuildApi } = await import('./CloudBuildApi.js');
  const api = new CloudBuildApi(config);
  await api.secretManager();
  expect(secretManagerLoaded()).toBe(true);
  await api.close();
});
