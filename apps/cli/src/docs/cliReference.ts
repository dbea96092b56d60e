import type { Command } from 'commander';

function leafCommands(cmd: Command, prefix: string[] = []): { path: string[]; cmd: Command }[] {
  const path = [...prefix, cmd.name()];
  if (!cmd.commands.length) return [{ path, cmd }];
  // Hidden commands (the `complete` endpoint shell scripts call) are not documented.
  return cmd.createHelp().visibleCommands(cmd).filter((c) => c.name() !== 'help').flatMap((c) => leafCommands(c, path));
}

/** The CLI reference section of the README, generated from the command tree. */
export function cliReference(program: Command): string {
  const out: string[] = [];
  for (const { path, cmd } of leafCommands(program)) {
    if (path.length === 1) continue;
    const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    out.push(`### \`${path.join(' ')}${args ? ` ${args}` : ''}\``, '', cmd.description(), '');
    const options = cmd.options.filter((o) => !['--config', '--stack', '--debug'].includes(o.long ?? ''));
    for (const o of options) out.push(`- \`${o.flags}\`: ${o.description}`);
    if (options.length) out.push('');
  }
  const global = program.options.map((o) => `- \`${o.flags}\`: ${o.description}`);
  return ['Options accepted by every command:', '', ...global, '', ...out].join('\n').trimEnd();
}
