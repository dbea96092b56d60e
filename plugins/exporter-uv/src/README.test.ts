import { readFileSync } from 'node:fs';
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

describe('README', () => {
  const text = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
  it('says which settings reach uv and how to use uv for the local environment instead', () => {
    expect(text).toContain('`pyproject: { priority: 10 }`');
    expect(text).toMatch(/declares no environment methods/);
    expect(text).toContain('replicate_local_python_environment: [uv, pip, freeze]');
  });
});
