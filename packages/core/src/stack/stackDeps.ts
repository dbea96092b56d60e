import { StowageError, type DependencySpec } from '@stowage/plugin-api';
import type { ComposedComponent } from './ComposedStack.js';
import { KEY_OF } from '../model/componentKinds.js';

/**
 * Every component's declared `deps` must be in the stack, of a qualifying flavor (e.g. CodeBuild
 * needs a registry and an s3 store); dependencies may not loop back.
 */
export function checkStackDeps(stackName: string, components: readonly ComposedComponent[]): void {
  const problems: { message: string; at: ComposedComponent }[] = [];
  for (const c of components) {
    for (const [name, dep] of Object.entries((c.flavor.deps ?? {}) as Record<string, DependencySpec>)) {
      const problem = depProblem(c, name, dep, components);
      if (problem) problems.push({ message: problem, at: c });
    }
  }
  const cycle = findCycle(components);
  if (cycle) problems.push({ message: `components depend on each other in a loop: ${cycle.join(' → ')}`, at: components.find((c) => c.key === cycle[0])! });
  const [first, ...rest] = problems;
  if (!first) return;
  throw new StowageError(`stack "${stackName}": ${first.message}`, {
    code: 'STACK_INVALID',
    file: first.at.origin.file,
    line: first.at.origin.line,
    keyPath: first.at.origin.keyPath,
    plugin: first.at.plugin,
    details: rest.map((p) => `stack "${stackName}": ${p.message}`),
    hint: `add the missing component under stacks.${stackName} in the config`,
  });
}

function depProblem(c: ComposedComponent, name: string, dep: DependencySpec, components: readonly ComposedComponent[]): string | undefined {
  const key = KEY_OF[dep.kind];
  const other = components.find((o) => o.kind === dep.kind);
  const who = `${c.key} '${c.flavor.flavor}'`;
  const flavors = dep.flavors?.length ? ` of flavor ${dep.flavors.map((w) => `'${w}'`).join(' or ')}` : '';
  const a = /^[aeiou]/.test(key) ? 'an' : 'a';
  if (!other) return dep.optional ? undefined : `${who} needs ${a} ${key}${flavors} (its "${name}"), but the stack has none`;
  if (dep.flavors?.length && !dep.flavors.includes(other.flavor.flavor)) return `${who} needs ${a} ${key}${flavors}, but the stack's is '${other.flavor.flavor}'`;
  return undefined;
}

function findCycle(components: readonly ComposedComponent[]): string[] | undefined {
  const next = (c: ComposedComponent) =>
    Object.values((c.flavor.deps ?? {}) as Record<string, DependencySpec>)
      .map((d) => components.find((o) => o.kind === d.kind))
      .filter((o): o is ComposedComponent => o !== undefined);
  const visit = (c: ComposedComponent, path: ComposedComponent[]): string[] | undefined => {
    if (path.includes(c)) return [...path.slice(path.indexOf(c)), c].map((x) => x.key);
    for (const n of next(c)) {
      const found = visit(n, [...path, c]);
      if (found) return found;
    }
    return undefined;
  };
  for (const c of components) {
    const found = visit(c, []);
    if (found) return found;
  }
  return undefined;
}
