import type { Command } from 'commander';
import { StowageError, suggestClosest } from '@stowage/core';
import type { CommandContext } from '../program.js';
import { warningsText } from '../output/planText.js';

export function registerDockerfile(program: Command, ctx: CommandContext): void {
  program
    .command('dockerfile')
    .argument('<step>', 'step name (or "pipeline" for the shared pipeline image)')
    .description('Print the Dockerfile(s) of the image a step runs in.')
    .option('--json', 'print as JSON ({ step, image, dockerfiles: [{ role, imageName, dockerfile }] })')
    .action(async (step: string, opts: { json?: boolean }) => {
      const session = ctx.session();
      const stowage = await session.stowage();
      const plan = await stowage.plan({ stack: session.options.stack, signal: session.io.signal });
      const key = plan.steps[step] ?? (plan.images.some((i) => i.key === step) ? step : undefined);
      const image = plan.images.find((i) => i.key === key);
      if (!image) {
        const names = [...Object.keys(plan.steps), ...plan.images.map((i) => i.key)];
        const close = suggestClosest(step, names);
        throw new StowageError(`no step named "${step}"`, {
          code: 'STEP_UNKNOWN',
          hint: close.length ? `did you mean "${close[0]}"?` : `steps: ${Object.keys(plan.steps).join(', ') || '(none)'}`,
        });
      }
      const redactor = session.redactor();
      session.io.stderr(warningsText(plan, redactor));
      const builds = image.buildSteps.flatMap((s) => (s.kind === 'docker-build' ? [s] : []));
      if (opts.json) {
        const dockerfiles = builds.map((b) => ({ role: b.role, imageName: b.imageName, dockerfile: b.dockerfile }));
        session.io.stdout(redactor.redact(`${JSON.stringify({ step, image: image.imageName, action: image.action, dockerfiles }, null, 2)}\n`));
        return;
      }
      if (!builds.length) {
        session.io.stderr(`step ${step} runs in ${image.imageName} as-is (${image.action}); there is no Dockerfile to build\n`);
        return;
      }
      const many = builds.length > 1;
      for (const b of builds) {
        if (many) session.io.stdout(`# ---- ${b.role} image: ${redactor.redact(b.imageName)}\n`);
        const text = redactor.redact(b.dockerfile);
        session.io.stdout(text.endsWith('\n') ? text : `${text}\n`);
      }
    });
}
