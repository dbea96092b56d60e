import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yamlBlocks } from '@stowage/testing';
import { S3ArtifactStoreConfigSchema } from './config.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(README, 'utf8');

/** Every `artifact_store:` of a README example, by `<block>.stacks.<name>`. */
function storeExamples(): [string, Record<string, unknown>][] {
  return yamlBlocks(README).flatMap((block, index) => {
    const stacks = (block as { stacks?: Record<string, { artifact_store?: Record<string, unknown> }> } | null)?.stacks ?? {};
    return Object.entries(stacks)
      .filter(([, stack]) => stack.artifact_store)
      .map(([name, stack]): [string, Record<string, unknown>] => [`block ${index + 1}, stack ${name}`, stack.artifact_store!]);
  });
}

describe('README', () => {
  const examples = storeExamples();

  it('has the examples it promises (chain credentials, keys from the environment, an S3-compatible store)', () => {
    expect(examples).toHaveLength(3);
  });

  it.each(examples)('%s is a valid s3 artifact_store', (_where, { flavor, ...config }) => {
    expect(flavor).toBe('s3');
    const result = S3ArtifactStoreConfigSchema.safeParse(config);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('lists every config key in its table, and no other', () => {
    const documented = [...text.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(S3ArtifactStoreConfigSchema.shape).sort());
  });

  it('documents every method of the store', () => {
    for (const method of ['exists', 'put', 'get', 'locate', 'presign', 'delete', 'list']) expect(text).toContain(`| \`${method}(`);
  });

  it('says that s3rver does not verify signatures', () => {
    expect(text).toContain('s3rver does not verify SigV4');
  });
});
