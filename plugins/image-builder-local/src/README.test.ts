import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProjectConfigSchema } from '@stowage/core';
import { LocalBuilderOptionsSchema } from './builderOptions.js';
import { LocalImageBuilderConfigSchema } from './config.js';
import { HONOURED_BUILD_OPTIONS } from './engineBuildParams.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as Record<string, unknown>);

interface DockerSettings {
  build_config?: { build_options?: Record<string, unknown>; builder_options?: { local?: Record<string, unknown> } };
}
const dockerSettings = yamlBlocks.flatMap((block) => {
  const docker = (block['settings'] as { docker?: DockerSettings } | undefined)?.docker;
  return docker ? [docker] : [];
});

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

  it('shows builder options the builder accepts, every one of them', () => {
    const options = dockerSettings.flatMap((d) => (d.build_config?.builder_options?.local ? [d.build_config.builder_options.local] : []));
    expect(options.length).toBeGreaterThan(0);
    for (const o of options) expect(LocalBuilderOptionsSchema.safeParse(o).error).toBeUndefined();
    expect(Object.keys(Object.assign({}, ...options)).sort()).toEqual(Object.keys(LocalBuilderOptionsSchema.shape).sort());
  });

  it('documents every honoured BuildOptions field with its Engine API parameter', () => {
    for (const field of HONOURED_BUILD_OPTIONS) expect(readme).toMatch(new RegExp(`\\| \`${field}\` \\|`));
  });
});
