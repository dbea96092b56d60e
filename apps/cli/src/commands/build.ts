import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { StowageError, type BuildPlan, type BuildResult } from '@stowage/core';
import type { CommandContext } from '../program.js';
import { BuildProgress } from '../output/BuildProgress.js';
import { warningsText } from '../output/planText.js';
import { checkStepOptions, collect, selectPlanSteps } from '../selectPlanSteps.js';

interface BuildOptions {
  jobs?: string;
  build?: string;
  preventBuildReuse?: boolean;
  output?: string;
  json?: boolean;
  step: string[];
}

export function registerBuild(program: Command, ctx: CommandContext): void {
  program
    .command('build')
    .description('Build (or reuse) every image the pipeline needs, push them when the stack has a registry, and record the pipeline build.')
    .option('-j, --jobs <n>', 'images built at once (default: 2 for a local builder, 4 for a remote one)')
    .option('-b, --build <id|file>', 'use this build (id, id prefix, or a build YAML file) instead of building; it is verified')
    .option('--prevent-build-reuse', 'build even when a matching earlier build exists')
    .option('-o, --output <file>', 'also write the pipeline build as YAML to this file (outside the source root, or it becomes part of the code)')
    .option('--json', 'print the pipeline build as JSON on stdout')
    .option('--step <name>', 'build only the images this step needs (repeatable); the pipeline build records those steps only', collect, [])
    .action(async (opts: BuildOptions) => {
      const session = ctx.session();
      const jobs = parseJobs(opts.jobs);
      const output = opts.output ? resolve(session.io.cwd, opts.output) : undefined;
      if (output && !existsSync(dirname(output))) {
        throw new StowageError(`cannot write the build to ${output}: the folder ${dirname(output)} does not exist`, { code: 'USAGE' });
      }
      const stowage = await session.stowage();
      checkStepOptions(opts.step, stowage.project.steps.map((s) => s.name), opts.build);
      const full = await stowage.plan({
        stack: session.options.stack,
        preventBuildReuse: opts.preventBuildReuse,
        givenBuild: opts.build ? { reference: opts.build, baseDir: session.io.cwd } : undefined,
        signal: session.io.signal,
      });
      const plan = selectPlanSteps(full, opts.step);
      session.io.stderr(warningsText(plan, session.redactor()));
      const progress = new BuildProgress(session.io, session.redactor());
      const result = await stowage.build(plan, { jobs, signal: session.io.signal, onEvent: progress.onEvent }).finally(() => progress.flush());
      if (output) writeAtomically(output, stringify(result.build));
      if (opts.json) return session.io.stdout(`${JSON.stringify(result.build, null, 2)}\n`);
      session.io.stdout(`${summary(plan, result)}\n`);
      for (const image of result.build.images) {
        session.io.stdout(`  ${image.key.padEnd(16)} ${image.action.padEnd(10)} ${image.imageReference}  (steps: ${image.steps.join(', ') || '-'})\n`);
      }
    });
}

function parseJobs(value: string | undefined): number | undefined {
  const jobs = value === undefined ? undefined : Number(value);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new StowageError(`--jobs must be a positive integer, got "${value}"`, { code: 'USAGE' });
  return jobs;
}

function summary(plan: BuildPlan, result: BuildResult): string {
  const o = plan.outcome;
  if (o.kind === 'given-build') return `Using pipeline build ${o.buildId} (${o.from === 'file' ? 'from file' : 'from the build store'}).`;
  if (!plan.images.length) return 'No docker builds required.';
  if (o.kind === 'existing-build') return `Reusing existing build ${o.buildId} for stack ${plan.stack.name}: nothing changed.`;
  return `Created pipeline build ${result.build.id} (${result.builtImages} image${result.builtImages === 1 ? '' : 's'} built).`;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new StowageError(`cannot write the build to ${file}: ${(cause as Error).message}`, { code: 'USAGE', cause });
  }
}
