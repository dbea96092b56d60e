import type { Command } from 'commander';
import type { CommandContext } from '../program.js';

export function registerIntegrations(program: Command, ctx: CommandContext): void {
  const integrations = program.command('integrations').description('The integration catalog for required_integrations.');
  integrations
    .command('list')
    .option('--json', 'print as JSON')
    .description('List integrations with their pip requirements and apt packages.')
    .action(async (opts: { json?: boolean }) => {
      const session = ctx.session();
      const registry = (await session.stowage(true)).plugins;
      const list = registry.integrations.list();
      if (opts.json) return session.io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      for (const i of list) {
        const apt = i.aptPackages?.length ? `  apt: ${i.aptPackages.join(' ')}` : '';
        session.io.stdout(`${i.name.padEnd(20)} ${i.requirements.join(' ')}${apt}  (${i.contributedBy})\n`);
      }
    });
}
