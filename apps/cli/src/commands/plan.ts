import type { Command } from 'commander';
import { Planner } from '@stowage/core';
import type { CommandContext } from '../program.js';
import { planJson } from '../output/planJson.js';
import { planText, warningsText } from '../output/planText.js';

export function registerPlan(program: Command, ctx: CommandContext): void {
  program
    .command('plan')
    .description('Show which images the pipeline needs, their Dockerfiles, names, checksums and code strategy (builds nothing; needs no Docker engine).')
    .option('--json', 'print the plan as JSON (stable shape, see README)')
    .option('--prevent-build-reuse', 'plan as if no earlier build could be reused')
    .action(async (opts: { json?: boolean; preventBuildReuse?: boolean }) => {
      const session = ctx.session();
      const { container } = await session.stack();
      const plan = await container.resolve(Planner).plan({ preventBuildReuse: opts.preventBuildReuse, mode: 'plan', signal: session.io.signal });
      const redactor = session.redactor();
      if (opts.json) session.io.stdout(`${JSON.stringify(planJson(plan, redactor), null, 2)}\n`);
      else session.io.stdout(planText(plan, redactor));
      session.io.stderr(warningsText(plan, redactor));
    });
}
