import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LocalArtifactStoreConfigSchema } from './config.js';

// Parsed here rather than with @stowage/testing's yamlBlocks: this package's tests need nothing of core.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as { stacks: Record<string, { artifact_store: Record<string, unknown> }> });

describe('README', () => {
  it('its config examples are valid', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      for (const stack of Object.values(block.stacks)) {
        const { flavor, ...config } = stack.artifact_store;
        expect(flavor).toBe('local');
        expect(LocalArtifactStoreConfigSchema.parse(config)).toBeTruthy();
      }
    }
  });

  it('documents every method of the store', () => {
    for (const method of ['exists', 'put', 'get', 'locate', 'delete', 'list']) expect(readme).toContain(`| \`${method}(`);
  });
});
