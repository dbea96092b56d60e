import { StowageError } from '@stowage/plugin-api';
import type { StackRequirements } from '../plugins/definePlugin.js';
import type { ComposedComponent } from './composeStack.js';

const RULE_KEYS: Record<keyof StackRequirements, ComposedComponent['key']> = {
  imageBuilder: 'image_builder',
  containerRegistry: 'container_registry',
  artifactStore: 'artifact_store',
  codeRepository: 'code_repository',
};

/** Checks every component's `requires` against the stack (e.g. CodeBuild needs a registry and an s3 store). */
export function checkStackRules(stackName: string, components: readonly ComposedComponent[]): void {
  const problems: string[] = [];
  for (const c of components) {
    for (const [rule, want] of Object.entries(c.flavor.requires ?? {}) as [keyof StackRequirements, boolean | readonly string[] | undefined][]) {
      if (!want) continue;
      const key = RULE_KEYS[rule];
      const other = components.find((o) => o.key === key);
      const who = `${c.key} '${c.flavor.flavor}'`;
      const a = /^[aeiou]/.test(key) ? 'an' : 'a';
      if (!other) problems.push(`${who} needs ${a} ${key}${Array.isArray(want) ? ` of flavor ${want.map((w) => `'${w}'`).join(' or ')}` : ''}, but the stack has none`);
      else if (Array.isArray(want) && !want.includes(other.flavor.flavor)) {
        problems.push(`${who} needs ${a} ${key} of flavor ${want.map((w) => `'${w}'`).join(' or ')}, but the stack's is '${other.flavor.flavor}'`);
      }
    }
  }
  const [first, ...rest] = problems;
  if (first) {
    throw new StowageError(`stack "${stackName}": ${first}`, {
      code: 'STACK_INVALID',
      keyPath: `stacks.${stackName}`,
      details: rest.map((p) => `stack "${stackName}": ${p}`),
      hint: `add the missing component under stacks.${stackName} in the config`,
    });
  }
}
