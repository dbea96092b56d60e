import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yamlBlocks } from '@stowage/testing';
import { EcrContainerRegistryConfigSchema } from './config.js';

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

describe('README', () => {
  const examples = registryExamples();

  it('has the examples it promises (chain credentials, keys from the environment, a VPC endpoint, the emulated test setup)', () => {
    expect(examples).toHaveLength(4);
  });

  it.each(examples)('%s is a valid aws-ecr container_registry', (_where, { flavor, ...config }) => {
    expect(flavor).toBe('aws-ecr');
    const result = EcrContainerRegistryConfigSchema.safeParse(config);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('lists every config key in its table, and no other', () => {
    const documented = [...text.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(EcrContainerRegistryConfigSchema.shape).sort());
  });

  it('documents every method of the registry', () => {
    for (const method of ['describe', 'auth', 'prepareRepository', 'imageExists', 'resolveDigest']) expect(text).toContain(`| \`${method}(`);
  });
});
