import type { Command } from 'commander';
import { DEFAULT_STACK_CONFIG, selectStackName, type ComposedStack } from '@stowage/core';
import { stringify } from 'yaml';
import type { CommandContext } from '../program.js';

function describe(stack: ComposedStack): string {
  const s = stack.snapshot;
  const lines = [`stack ${stack.name}${stack.implicit ? ' (built-in default: not configured)' : ''}`, `  checksum ${s.checksum}`, '  components'];
  for (const c of stack.components) {
    lines.push(`    ${c.key}: ${c.flavor.flavor} (${c.kind}, plugin ${c.plugin})`);
    const config = stringify(c.redactedConfig).trimEnd().split('\n').map((l) => `        ${l}`);
    lines.push(...config);
  }
  lines.push('  contributes');
  lines.push(`    pip requirements: ${s.requirements.length ? s.requirements.join(', ') : '(none)'}`);
  lines.push(`    apt packages: ${s.aptPackages.length ? s.aptPackages.join(', ') : '(none)'}`);
  for (const [file, reqs] of Object.entries(s.extraRequirementFiles)) lines.push(`    ${file}: ${reqs.join(', ')}`);
  const deps = stack.components.flatMap((c) =>
    Object.entries((c.flavor.deps ?? {}) as Record<string, { kind: string; optional?: boolean; flavors?: readonly string[] }>).map(
      ([name, d]) => `${c.key} uses ${d.kind}${d.flavors?.length ? ` (${d.flavors.join(' | ')})` : ''} as "${name}"${d.optional ? ' (optional)' : ''}`,
    ),
  );
  if (deps.length) lines.push('  dependencies', ...deps.map((r) => `    ${r} ✓`));
  const builder = s.imageBuilder;
  lines.push('  image builder', `    remote: ${builder.remote}; push: ${builder.capabilities.push}; platforms: ${builder.capabilities.platforms.join(', ') || 'its own'}`);
  if (builder.capabilities.stagesContext) lines.push(`    stages its context in the artifact store as ${builder.capabilities.stagesContext}`);
  if (s.containerRegistry) lines.push('  container registry', `    uri: ${s.containerRegistry.uri}${s.containerRegistry.defaultRepository ? `; default repository: ${s.containerRegistry.defaultRepository}` : ''}`);
  if (s.artifactStore) lines.push('  artifact store', `    root: ${s.artifactStore.root}; reachable from containers: ${s.artifactStore.reachableFromContainers}`);
  return `${lines.join('\n')}\n`;
}

export function registerStack(program: Command, ctx: CommandContext): void {
  const stack = program.command('stack').description('List, describe and validate the stacks of the project.');
  stack
    .command('list')
    .description('List configured stacks (the active one is marked).')
    .action(async () => {
      const session = ctx.session();
      const project = (await session.stowage(true)).project;
      const active = selectStackName(project, session.options.stack);
      const entries = project.stacks.length ? project.stacks.map((s) => ({ name: s.name, config: s.config })) : [{ name: 'default', config: DEFAULT_STACK_CONFIG as Record<string, unknown> }];
      for (const e of entries) {
        const flavors = Object.entries(e.config)
          .filter(([, v]) => v && typeof v === 'object')
          .map(([k, v]) => `${k}=${String((v as { flavor?: unknown }).flavor)}`)
          .join(' ');
        session.io.stdout(`${e.name === active ? '*' : ' '} ${e.name}  ${flavors}\n`);
      }
    });
  stack
    .command('describe')
    .argument('[name]', 'stack name (default: --stack, active_stack, else default)')
    .description('Show a stack: components, flavors, redacted config, contributed requirements.')
    .action(async (name?: string) => {
      const session = ctx.session();
      const { stack } = (await session.stowage(true)).stack(name ?? session.options.stack);
      // ${VAR} credentials can sit in any config key, not only secret-typed ones.
      session.io.stdout(session.redactor().redact(describe(stack)));
    });
  stack
    .command('validate')
    .argument('[name]', 'stack name')
    .description('Check a stack: flavors installed, component config valid, stack rules met (exit 2 if not).')
    .action(async (name?: string) => {
      const session = ctx.session();
      const { stack: composed } = (await session.stowage(true)).stack(name ?? session.options.stack);
      session.io.stdout(`stack ${composed.name} is valid (${composed.components.map((c) => `${c.key}=${c.flavor.flavor}`).join(', ')})\n`);
    });
}
