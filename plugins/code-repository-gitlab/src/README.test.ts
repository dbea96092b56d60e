import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readmeExampleProblems, yamlBlocks } from '@stowage/testing';
import { describe, expect, it } from 'vitest';
import { GitlabCodeRepositoryConfigSchema } from './config.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** Every `code_repositories:` entry of the README's examples. */
const entries = yamlBlocks(README).flatMap((block) => (block as { code_repositories?: Record<string, unknown>[] }).code_repositories ?? []);

describe('README', () => {
  it('its examples are valid stowage.yaml', () => {
    expect(entries.length).toBe(2);
    expect(readmeExampleProblems(README)).toEqual([]);
  });

  // `name` and `flavor` are read by core; the rest is the flavor's config.
  it.each(entries.map((e) => [String(e.name), e] as const))('code repository %s is a valid gitlab config', (_name, { name: _n, flavor, ...config }) => {
    expect(flavor).toBe('gitlab');
    expect(GitlabCodeRepositoryConfigSchema.safeParse(config).error).toBeUndefined();
  });

  it('shows every config key in an example and in the table', () => {
    const text = readFileSync(README, 'utf8');
    const shown = new Set(entries.flatMap((e) => Object.keys(e)));
    for (const key of Object.keys(GitlabCodeRepositoryConfigSchema.shape)) {
      expect(shown, key).toContain(key);
      expect(text, key).toContain(`| \`${key}\` |`);
    }
  });
});
