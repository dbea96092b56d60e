import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectConfigSchema } from '@stowage/core';
import { yamlBlocks } from '@stowage/testing';
import { renderReadme } from '../src/docs/readmeSections.js';

const readme = join(import.meta.dirname, '../../../README.md');

describe('README', () => {
  it('generated sections and included files are current (run `pnpm docs` to regenerate)', () => {
    expect(readFileSync(readme, 'utf8')).toBe(renderReadme(readme));
  });

  it('has the two newcomer commands', () => {
    const text = readFileSync(readme, 'utf8');
    expect(text).toContain('npm i -g pnpm@10.34.9 && pnpm install --frozen-lockfile && pnpm quickstart');
    expect(text).toMatch(/```sh\npnpm test\n```/);
  });

  it('every yaml example is a valid stowage.yaml', () => {
    const blocks = yamlBlocks(readme);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(ProjectConfigSchema.safeParse(block).error).toBeUndefined();
  });
});
