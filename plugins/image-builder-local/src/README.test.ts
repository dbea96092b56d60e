import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProjectConfigSchema } from '@stowage/core';
import { LocalImageBuilderConfigSchema } from './config.js';
import { mapBuildOptions, SUPPORTED_BUILD_OPTIONS } from './mapBuildOptions.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as Record<string, unknown>);

describe('README', () => {
  it('has yaml examples', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(yamlBlocks.map((block, i) => [i, block] as const))('yaml block %i is a valid project config', (_i, block) => {
    expect(ProjectConfigSchema.safeParse(block).error).toBeUndefined();
  });

  it('configures every image builder key with values the schema accepts', () => {
    const builders = yamlBlocks.flatMap((block) =>
      Object.values((block['stacks'] ?? {}) as Record<string, { image_builder?: Record<string, unknown> }>).flatMap((s) =>
        s.image_builder ? [s.image_builder] : [],
      ),
    );
    expect(builders.length).toBeGreaterThan(0);
    for (const { flavor, ...config } of builders) {
      expect(flavor).toBe('local');
      const parsed = LocalImageBuilderConfigSchema.safeParse(config);
      expect(parsed.error).toBeUndefined();
      expect(Object.keys(config).sort()).toEqual(Object.keys(LocalImageBuilderConfigSchema.shape).sort());
    }
  });

  it('shows build options the builder accepts', () => {
    const options = yamlBlocks.flatMap((block) => {
      const docker = (block['settings'] as { docker?: { build_config?: { build_options?: Record<string, unknown> } } } | undefined)?.docker;
      return docker?.build_config?.build_options ? [docker.build_config.build_options] : [];
    });
    expect(options.length).toBeGreaterThan(0);
    for (const o of options) expect(() => mapBuildOptions(o)).not.toThrow();
  });

  it('documents every supported build option', () => {
    for (const name of SUPPORTED_BUILD_OPTIONS) expect(readme).toContain(`| \`${name}\` |`);
  });
});
