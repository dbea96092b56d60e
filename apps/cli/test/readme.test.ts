import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectConfigSchema } from '@stowage/core';
import { yamlBlocks } from '@stowage/testing';
import { stringify } from 'yaml';
import { renderReadme } from '../src/docs/readmeSections.js';
import { stowage } from './runInProcess.js';

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

  it('every stack example that names plugins is valid for those plugins (their config schemas and deps)', async () => {
    type WithPlugins = Record<string, unknown> & { plugins: string[]; stacks: Record<string, unknown> };
    // Examples of Stowage's own plugins (a third-party plugin's example names a package that is not here).
    const withPlugins = yamlBlocks(readme).filter(
      (b): b is WithPlugins => Array.isArray((b as { plugins?: unknown }).plugins) && (b as WithPlugins).plugins.every((p) => p.startsWith('@stowage/')) && typeof (b as { stacks?: unknown }).stacks === 'object',
    );
    expect(withPlugins.length).toBeGreaterThanOrEqual(2); // the AWS and GCP stacks at least
    for (const block of withPlugins) {
      const root = mkdtempSync(join(tmpdir(), 'stowage-readme-'));
      mkdirSync(join(root, 'node_modules', '@stowage'), { recursive: true });
      for (const name of block.plugins) symlinkSync(join(import.meta.dirname, '../../../plugins', name.replace('@stowage/', '')), join(root, 'node_modules', name), 'dir');
      const text = stringify({ pipeline: { name: 'readme' }, ...block });
      writeFileSync(join(root, 'stowage.yaml'), text);
      // The example's `${VAR}`s, set (a placeholder the reader fills in is not an error of the example).
      const env = { ...process.env, ...Object.fromEntries([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => [m[1], 'readme-example-value'])) };
      for (const stack of Object.keys(block.stacks)) {
        const run = await stowage(root, ['stack', 'describe', stack], env);
        expect(run.stderr, `${block.plugins.join(', ')}: stack ${stack}`).toBe('');
        expect(run.code).toBe(0);
      }
    }
  });
});
