import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { z } from 'zod';

// Node's CommonJS module cache, which the AWS SDK packages (CommonJS) enter when loaded, whether
// by require or by import. Vitest runs each test file in a fresh worker.
const moduleCache = createRequire(import.meta.url).cache;
const sdkLoaded = (): boolean => Object.keys(moduleCache).some((path) => /[\\/]@(aws-sdk|smithy)[\\/]/.test(path));

it('loads no AWS SDK module to import the plugin, list its flavor, print its schema, parse, describe and check; create() loads it (but not SSM)', async () => {
  expect(sdkLoaded()).toBe(false);
  // Imported here, not at the top, so the first assertion sees the cache before the plugin loads.
  const { default: plugin, awsCodeBuildImageBuilderFlavor: flavor, AwsCodeBuildImageBuilderConfigSchema } = await import('./index.js');
  expect(plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)).toEqual(['image-builder/aws-codebuild']);
  expect(z.toJSONSchema(AwsCodeBuildImageBuilderConfigSchema, { io: 'input' })).toMatchObject({ required: ['code_build_project'] });
  const config = AwsCodeBuildImageBuilderConfigSchema.parse({ code_build_project: 'stowage', region: 'eu-west-1' });
  expect(flavor.describe(config, { projectRoot: '/tmp' }).capabilities.stagesContext).toBe('zip');
  expect(flavor.check?.(config, { imageName: 'a/b:c', options: {}, builderOptions: {} })).toEqual([]);
  expect(sdkLoaded()).toBe(false);

  const ctx = { stackName: 'aws', componentKey: 'image_builder', projectRoot: '/tmp', runner: { run: () => Promise.reject(new Error('no processes')) }, env: {}, secrets: { add: () => undefined } };
  const registry = { flavor: 'oci', description: { uri: '127.0.0.1:5000' }, get: () => Promise.reject(new Error('not needed')) };
  const store = { flavor: 's3', description: { scheme: 's3', root: 's3://b', reachableFromContainers: true }, get: () => Promise.reject(new Error('not needed')) };
  const builder = await flavor.create(config, ctx, { registry, store });
  expect(typeof builder.build).toBe('function');
  expect(sdkLoaded()).toBe(true);
  // Parameter Store loads only for a build whose registry login needs a temporary parameter.
  const ssmLoaded = () => Object.keys(moduleCache).some((path) => /[\\/]@aws-sdk[\\/]client-ssm[\\/]/.test(path));
  expect(ssmLoaded()).toBe(false);
  const { createCodeBuildClients } = await import('./createCodeBuildClients.js');
  await createCodeBuildClients(config, ctx.secrets).ssm();
  expect(ssmLoaded()).toBe(true);
});
