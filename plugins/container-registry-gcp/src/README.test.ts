import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yamlBlocks } from '@stowage/testing';
import { GcpContainerRegistryConfigSchema } from './config.js';
import { gcpContainerRegistryFlavor } from './plugin.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(README, 'utf8');

/** Every `container_registry:` of a README example, by `<block>.stacks.<name>`. */
function registryExamples(): [string, Record<string, unknown>][] {
  return yamlBlocks(README).flatMap((block, index) => {
    const stacks = (block as { stacks?: Record<string, { container_registry?: Record<string, unknown> }> } | null)?.stacks ?? {};
    return Object.entries(stacks)
      .filter(([, stack]) => stack.container_registry)
      .map(([name, stack]): [string, Record<string, unknown>] => [`block ${index + 1}, stack ${name}`, stack.container_registry!]);
  });
}

/** `${VAR}` as core substitutes it: here with stand-in values. */
const substituted = (config: Record<string, unknown>) => JSON.parse(JSON.stringify(config).replace(/\$\{(\w+)\}/g, 'value-of-$1')) as Record<string, unknown>;

describe('README', () => {
  const examples = registryExamples();

  it('has the examples it promises (ADC with a uri, parts with a token, gcr.io with a key, the loopback test setup)', () => {
    expect(examples.map(([where]) => where)).toEqual(['block 1, stack gcp', 'block 2, stack gcp', 'block 3, stack gcr', 'block 4, stack emulated']);
  });

  it.each(examples.filter(([where]) => !where.includes('gcr')))('%s is a valid gcp container_registry', (_where, { flavor, ...config }) => {
    expect(flavor).toBe('gcp');
    const result = GcpContainerRegistryConfigSchema.safeParse(substituted(config));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('the service-account example is valid with a real key in the variable', () => {
    const [, { flavor, ...config }] = examples.find(([where]) => where.includes('gcr'))!;
    expect(flavor).toBe('gcp');
    const key = JSON.stringify({ type: 'service_account', client_email: 'sa@my-project.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----\n' });
    const result = GcpContainerRegistryConfigSchema.safeParse({ ...config, service_account_key: key });
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('the images of each example go where the text says', () => {
    const uris = examples.map(([, { flavor: _flavor, ...config }]) => {
      const parsed = GcpContainerRegistryConfigSchema.parse({ ...substituted(config), service_account_key: undefined });
      return gcpContainerRegistryFlavor.describe(parsed, { projectRoot: '/tmp' }).uri;
    });
    expect(uris).toEqual(['europe-west1-docker.pkg.dev/my-project/images', 'europe-west1-docker.pkg.dev/my-project/images', 'eu.gcr.io/my-project/team', '127.0.0.1:5002/stowage-e2e/images']);
    expect(text).toContain('`127.0.0.1:5002/stowage-e2e/images/<image>:<tag>`');
  });

  it('lists every config key in its table, and no other', () => {
    const documented = [...text.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(GcpContainerRegistryConfigSchema.shape).sort());
  });

  it('documents every method of the registry', () => {
    for (const method of ['describe', 'auth', 'prepareRepository', 'imageExists', 'resolveDigest']) expect(text).toContain(`| \`${method}(`);
  });
});
