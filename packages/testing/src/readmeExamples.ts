import { DockerSettingsSchema, ProjectConfigSchema } from '@stowage/core';
import { yamlBlocks } from './yamlBlocks.js';

interface SettingsHolder {
  settings?: { docker?: unknown };
}
type ConfigDocument = SettingsHolder & { steps?: Record<string, SettingsHolder> };

/** `settings.docker` of the pipeline and of every step in one stowage.yaml document. */
export function dockerSettingsBlocks(doc: unknown): unknown[] {
  const d = (doc ?? {}) as ConfigDocument;
  return [d, ...Object.values(d.steps ?? {})].map((h) => h.settings?.docker).filter((x) => x !== undefined);
}

/**
 * Problems in a README's ```yaml examples: each must be a valid stowage.yaml whose docker
 * settings validate. Returns one line per problem (empty when all are valid), so a plugin's
 * README test is `expect(readmeExampleProblems(file)).toEqual([])`.
 */
export function readmeExampleProblems(markdownFile: string): string[] {
  const problems: string[] = [];
  yamlBlocks(markdownFile).forEach((doc, i) => {
    const project = ProjectConfigSchema.safeParse(doc);
    if (!project.success) problems.push(`yaml block ${i + 1}: ${project.error.message}`);
    for (const docker of dockerSettingsBlocks(doc)) {
      const settings = DockerSettingsSchema.safeParse(docker);
      if (!settings.success) problems.push(`yaml block ${i + 1}: settings.docker: ${settings.error.message}`);
    }
  });
  return problems;
}
