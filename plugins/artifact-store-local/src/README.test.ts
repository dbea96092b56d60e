import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { yamlBlocks } from '@stowage/testing';
import { LocalArtifactStoreConfigSchema } from './config.js';

describe('README', () => {
  it('its config examples are valid', () => {
    const blocks = yamlBlocks(join(import.meta.dirname, '../README.md')) as { stacks: Record<string, { artifact_store: Record<string, unknown> }> }[];
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      for (const stack of Object.values(block.stacks)) {
        const { flavor, ...config } = stack.artifact_store;
        expect(flavor).toBe('local');
        expect(LocalArtifactStoreConfigSchema.parse(config)).toBeTruthy();
      }
    }
  });
});
