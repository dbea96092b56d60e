import type { Command } from 'commander';
import type { CommandContext } from '../program.js';
import { planJson } from '../output/planJson.js';
import { planText, warningsText } from '../output/planText.js';
import { checkStepOptions, collect, selectPlanSteps } from '../selectPlanSteps.js';

export function registerPlan(program: Command, ctx: CommandContext): void {
  program
    .command('plan')
    .description('Show every step `stowage build` would take: images, Dockerfiles, names, checksums, pushes and uploads with their destinations (builds nothing; needs no Docker engine).')
    .option('--json', 'print the plan as JSON (stable shape, see README)')
    .option('--prevent-build-reuse', 'plan as if no earlier build could be reused')
    .option('-b, --build <id|file>', 'plan using this build (id, id prefix, or a build YAML file), verified as `build --build` would')
    .option('--step <name>', 'plan only the images this step needs (repeatable)', collect, [])
    .action(async (opts: { json?: boolean; preventBuildReuse?: boolean; build?: string; step: string[] }) => {
      const session = ctx.session();
      const stowage = await session.stowage();
      checkStepOptions(opts.step, stowage.project.steps.map((s) => s.name), opts.build);
      const full = await stowage.plan({
        stack: session.options.stack,
        preventBuildReuse: opts.preventBuildReuse,
        givenBuild: opts.build ? { reference: opts.build, baseDir: session.io.cwd } : undefined,
        signal: session.io.signal,
      });
      const plan = selectPlanSteps(full, opts.step);
      const redactor = session.redactor();
      if (opts.json) session.io.stdout(`${JSON.stringify(planJson(plan, redactor), null, 2)}\n`);
      else session.io.stdout(planText(plan, redactor));
      session.io.stderr(warningsText(plan, redactor));
    });
}

