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

/** `stack describe --json`: the same facts as the text, redacted. */
function describeJson(stack: ComposedStack): Record<string, unknown> {
  const s = stack.snapshot;
  return {
    name: stack.name,
    implicit: stack.implicit,
    checksum: s.checksum,
    components: stack.components.map((c) => ({ key: c.key, kind: c.kind, flavor: c.flavor.flavor, plugin: c.plugin, config: c.redactedConfig })),
    contributes: { requirements: s.requirements, aptPackages: s.aptPackages, extraRequirementFiles: s.extraRequirementFiles },
    imageBuilder: { flavor: s.imageBuilder.flavor, remote: s.imageBuilder.remote, platform: s.imageBuilder.platform ?? null, capabilities: s.imageBuilder.capabilities },
    containerRegistry: s.containerRegistry ? { flavor: s.containerRegistry.flavor, uri: s.containerRegistry.uri, defaultRepository: s.containerRegistry.defaultRepository ?? null } : null,
    artifactStore: s.artifactStore ? { flavor: s.artifactStore.flavor, root: s.artifactStore.root, reachableFromContainers: s.artifactStore.reachableFromContainers } : null,
  };
}

/** What `stack validate` cannot know without touching the machine or the network: `stowage doctor` does. */
const NOT_CHECKED_BY_VALIDATE = ['the Docker engine and BuildKit', 'registry logins', 'python3 for requirement exports', 'disk space'];

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function registerStack(program: Command, ctx: CommandContext): void {
  const stack = program.command('stack').description('List, describe and validate the stacks of the project.');
  registerStackList(stack, ctx);
  registerStackDescribe(stack, ctx);
  registerStackValidate(stack, ctx);
}

function registerStackList(stack: Command, ctx: CommandContext): void {
  stack
    .command('list')
    .description('List configured stacks (the active one is marked).')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const session = ctx.session();
      const project = (await session.stowage(true)).project;
      const active = selectStackName(project, session.options.stack);
      const entries = project.stacks.length ? project.stacks.map((s) => ({ name: s.name, config: s.config })) : [{ name: 'default', config: DEFAULT_STACK_CONFIG as Record<string, unknown> }];
      const rows = entries.map((e) => ({
        name: e.name,
        active: e.name === active,
        components: Object.fromEntries(
          Object.entries(e.config)
            .filter(([, v]) => v && typeof v === 'object')
            .map(([k, v]) => [k, String((v as { flavor?: unknown }).flavor)]),
        ),
      }));
      if (opts.json) return session.io.stdout(json(rows));
      for (const r of rows) {
        const flavors = Object.entries(r.components).map(([k, f]) => `${k}=${f}`).join(' ');
        session.io.stdout(`${r.active ? '*' : ' '} ${r.name}  ${flavors}\n`);
      }
    });
}

function registerStackDescribe(stack: Command, ctx: CommandContext): void {
  stack
    .command('describe')
    .argument('[name]', 'stack name (default: --stack, active_stack, else default)')
    .description('Show a stack: components, flavors, redacted config, contributed requirements.')
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }) => {
      const session = ctx.session();
      const { stack } = (await session.stowage(true)).stack(name ?? session.options.stack);
      // ${VAR} credentials can sit in any config key, not only secret-typed ones.
      session.io.stdout(session.redactor().redact(opts.json ? json(describeJson(stack)) : describe(stack)));
    });
}

function registerStackValidate(stack: Command, ctx: CommandContext): void {
  stack
    .command('validate')
    .argument('[name]', 'stack name')
    .description(
      'Check a stack\'s configuration: flavors installed, component config valid, stack rules met (exit 2 if not). Touches no engine, registry or network: `stowage doctor` checks those.',
    )
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }) => {
      const session = ctx.session();
      const { stack: composed } = (await session.stowage(true)).stack(name ?? session.options.stack);
      const components = composed.components.map((c) => ({ key: c.key, flavor: c.flavor.flavor }));
      if (opts.json) return session.io.stdout(json({ stack: composed.name, configValid: true, components, notChecked: NOT_CHECKED_BY_VALIDATE }));
      session.io.stdout(`stack ${composed.name}: configuration is valid (${components.map((c) => `${c.key}=${c.flavor}`).join(', ')})\n`);
      session.io.stdout(`  not checked: ${NOT_CHECKED_BY_VALIDATE.join(', ')}; run \`stowage doctor\` for those\n`);
    });
}
