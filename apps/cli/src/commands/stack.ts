import type { Command } from 'commander';
import { composeStack, DEFAULT_STACK_CONFIG, selectStackName, type ComposedStack } from '@stowage/core';
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
  const rules = stack.components.flatMap((c) =>
    Object.entries(c.flavor.requires ?? {}).filter(([, v]) => v).map(([k, v]) => `${c.key} requires ${k}${Array.isArray(v) ? ` (${v.join(' | ')})` : ''}`),
  );
  if (rules.length) lines.push('  rules', ...rules.map((r) => `    ${r} ✓`));
  return `${lines.join('\n')}\n`;
}

export function registerStack(program: Command, ctx: CommandContext): void {
  const stack = program.command('stack').description('List, describe and validate the stacks of the project.');
  stack
    .command('list')
    .description('List configured stacks (the active one is marked).')
    .action(async () => {
      const session = ctx.session();
      const project = session.loadProject(true);
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
      const plugins = await session.loadPlugins(true);
      const stack = composeStack(session.loadProject(true), plugins, name ?? session.options.stack);
      // ${VAR} credentials can sit in any config key, not only secret-typed ones.
      session.io.stdout(session.redactor().redact(describe(stack)));
    });
  stack
    .command('validate')
    .argument('[name]', 'stack name')
    .description('Check a stack: flavors installed, component config valid, stack rules met (exit 2 if not).')
    .action(async (name?: string) => {
      const session = ctx.session();
      const plugins = await session.loadPlugins(true);
      const composed = composeStack(session.loadProject(true), plugins, name ?? session.options.stack);
      session.io.stdout(`stack ${composed.name} is valid (${composed.components.map((c) => `${c.key}=${c.flavor.flavor}`).join(', ')})\n`);
    });
}
