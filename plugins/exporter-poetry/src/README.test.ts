import { readFile } from 'node:fs/promises';
import { DockerSettingsSchema, ProjectConfigSchema } from '@stowage/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface SettingsHolder {
  settings?: { docker?: unknown };
}
type ConfigDocument = SettingsHolder & { steps?: Record<string, SettingsHolder> };

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** `settings.docker` of the pipeline and of every step in one stowage.yaml document. */
function dockerSettingsBlocks(doc: ConfigDocument): unknown[] {
  const holders = [doc, ...Object.values(doc.steps ?? {})];
  return holders.map((h) => h.settings?.docker).filter((d) => d !== undefined);
}

describe('README examples', () => {
  it('has yaml examples with docker settings', () => {
    expect(yamlBlocks.length).toBeGreaterThan(0);
    expect(yamlBlocks.flatMap((b) => dockerSettingsBlocks(parse(b) as ConfigDocument)).length).toBeGreaterThan(0);
  });

  it.each(yamlBlocks.map((b, i) => [i + 1, b] as const))('yaml block %i is a valid stowage.yaml', (_n, block) => {
    const doc = parse(block) as ConfigDocument;
    expect(ProjectConfigSchema.safeParse(doc).error).toBeUndefined();
    for (const docker of dockerSettingsBlocks(doc)) expect(DockerSettingsSchema.safeParse(docker).error).toBeUndefined();
  });
});
