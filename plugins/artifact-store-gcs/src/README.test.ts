import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yamlBlocks } from '@stowage/testing';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { GcsArtifactStoreConfigSchema } from './config.js';

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

// What `${VAR}` would give: a real key's content, a token.
const ENV: Record<string, string> = { GCP_SA_KEY: makeTestServiceAccount().keyJson, GCP_ACCESS_TOKEN: 'ya29.example' };
const substitute = (config: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/^\$\{(\w+)\}$/, (_m, name: string) => ENV[name] ?? '') : v]));

describe('README', () => {
  const examples = storeExamples();

  it('has the examples it promises (ADC, a service-account key from the environment, an access token and an endpoint)', () => {
    expect(examples).toHaveLength(3);
  });

  it.each(examples)('%s is a valid gcs artifact_store', (_where, { flavor, ...config }) => {
    expect(flavor).toBe('gcs');
    const result = GcsArtifactStoreConfigSchema.safeParse(substitute(config));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('lists every config key in its table, and no other', () => {
    const documented = [...text.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(GcsArtifactStoreConfigSchema.shape).sort());
  });

  it('documents every method of the store', () => {
    for (const method of ['exists', 'put', 'get', 'locate', 'presign', 'delete', 'list']) expect(text).toContain(`| \`${method}(`);
  });

  it('says why the store opens resumable sessions itself', () => {
    expect(text).toContain('their requests to a custom endpoint carry no token at all');
  });
});
