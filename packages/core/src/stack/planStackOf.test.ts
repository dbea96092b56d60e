import { describe, expect, it } from 'vitest';
import type { ComposedComponent } from './ComposedStack.js';
import { planStackOf } from './planStackOf.js';

const origin = { file: 'stowage.yaml', line: 1, keyPath: 'x.flavor', level: 'stack default' };
function component(key: ComposedComponent['key'], kind: ComposedComponent['kind'], description: unknown, requirements?: { pip?: string[]; apt?: string[] }): ComposedComponent {
  const flavor = { kind, flavor: `${kind}-test`, requirements } as unknown as ComposedComponent['flavor'];
  return { key, kind, flavor, plugin: '@test/p', config: {}, description: description as ComposedComponent['description'], origin, redactedConfig: {}, secrets: [], ...(kind === 'code-repository' ? { name: 'main' } : {}) };
}

describe('planStackOf', () => {
  it("keeps the code repositories' requirements apart: only images that download code from one get them (ZenML)", () => {
    const builder = component('image_builder', 'image-builder', { remote: false, capabilities: { push: 'none', platforms: [], stagesContext: false, secrets: false, cacheMounts: false, buildOptions: [] } }, { pip: ['builder-dep'] });
    const repository = component('code_repository', 'code-repository', { name: 'main' }, { pip: ['forge-client>=2'], apt: ['git'] });
    const stack = planStackOf('default', [builder], [repository]);
    expect(stack.requirements).toEqual(['builder-dep']);
    expect(stack.aptPackages).toEqual([]);
    expect(stack.codeRepositoryRequirements).toEqual({ pip: ['forge-client>=2'], apt: ['git'] });
  });
});
