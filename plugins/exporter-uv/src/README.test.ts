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
  it('says that `uv pip freeze` is not reached from stowage.yaml (core sends true / pip_freeze to pip)', () => {
    expect(text).toMatch(/`exportEnvironment` \(`uv pip freeze`\) is not reachable from `stowage\.yaml`/);
  });
});
