import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeExampleProblems, yamlBlocks } from '@stowage/testing';

describe('README examples', () => {
  const readme = join(import.meta.dirname, '../README.md');
  it('are valid stowage.yaml files with valid docker settings', () => {
    expect(yamlBlocks(readme).length).toBeGreaterThan(0);
    expect(readmeExampleProblems(readme)).toEqual([]);
  });
});
