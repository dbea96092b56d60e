import type { Command } from 'commander';
import { configJsonSchema } from '@stowage/core';
import type { CommandContext } from '../program.js';

export function registerSchema(program: Command, ctx: CommandContext): void {
  program
    .command('schema')
    .description('Print the JSON Schema of stowage.yaml (core and installed plugins), for editor completion.')
    .action(async () => {
      const session = ctx.session();
      const plugins = (await session.stowage(true)).plugins;
      session.io.stdout(`${JSON.stringify(configJsonSchema(plugins), null, 2)}\n`);
    });
}
