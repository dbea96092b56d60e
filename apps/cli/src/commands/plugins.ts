import type { Command } from 'commander';
import type { CommandContext } from '../program.js';

export function registerPlugins(program: Command, ctx: CommandContext): void {
  const plugins = program.command('plugins').description('Installed plugins.');
  plugins
    .command('list')
    .option('--json', 'print as JSON')
    .description('List loaded plugins: package, version, kinds and flavors, exporters. Loads no cloud SDK.')
    .action(async (opts: { json?: boolean }) => {
      const session = ctx.session();
      const registry = (await session.stowage(true)).plugins;
      const rows = registry.list().map((p) => ({
        package: p.plugin.name,
        version: p.version ?? 'unknown',
        origin: p.origin,
        flavors: (p.plugin.flavors ?? []).map((f) => ({ kind: f.kind, flavor: f.flavor })),
        exporters: (p.plugin.exporters ?? []).map((e) => e.name),
        integrations: (p.plugin.integrations ?? []).map((i) => i.name),
      }));
      if (opts.json) return session.io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      for (const r of rows) {
        const what = [
          ...r.flavors.map((f) => `${f.kind}:${f.flavor}`),
          ...r.exporters.map((e) => `exporter:${e}`),
          ...r.integrations.map((i) => `integration:${i}`),
        ].join(', ');
        session.io.stdout(`${r.package}@${r.version} (${r.origin})  ${what}\n`);
      }
    });
}
