import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OciContainerRegistryConfigSchema } from './config.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** Every `container_registry:` of a README example, by `<block>.stacks.<name>`. */
function registryExamples(): [string, Record<string, unknown>][] {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as unknown);
  return blocks.flatMap((block, index) => {
    const stacks = (block as { stacks?: Record<string, { container_registry?: Record<string, unknown> }> } | null)?.stacks ?? {};
    return Object.entries(stacks)
      .filter(([, stack]) => stack.container_registry)
      .map(([name, stack]): [string, Record<string, unknown>] => [`block ${index + 1}, stack ${name}`, stack.container_registry!]);
  });
}

describe('README examples', () => {
  const examples = registryExamples();

  it('has the examples it promises (local, basic auth, Docker Hub, GHCR, GitLab, Harbor, docker login)', () => {
    expect(examples.length).toBe(7);
  });

  it.each(examples)('%s is a valid oci container_registry', (_where, { flavor, ...config }) => {
    expect(flavor).toBe('oci');
    const result = OciContainerRegistryConfigSchema.safeParse(config);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });
});
