import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { StowageError } from '@stowage/core';
import type { CommandContext } from '../program.js';
import { buildWithProgress } from '../output/buildWithProgress.js';
import { buildSummary } from '../output/buildSummary.js';
import { PROGRESS_MODES, wantsColour } from '../output/progressMode.js';
import pc from 'picocolors';
import { warningsText } from '../output/planText.js';
import { checkStepOptions, collect, selectPlanSteps } from '../selectPlanSteps.js';
import { writeAtomically } from '../files/writeAtomically.js';

interface BuildOptions {
  jobs?: string;
  build?: string;
  preventBuildReuse?: boolean;
  output?: string;
  json?: boolean;
  step: string[];
  progress?: string;
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
    .option('--progress <mode>', `how progress is shown on stderr: ${PROGRESS_MODES.join(', ')} (auto: live on a terminal, plain in CI, on TERM=dumb and when not a terminal; json: one event per line)`)
    .action(async (opts: BuildOptions) => {
      const session = ctx.session();
      const jobs = parseJobs(opts.jobs);
      const output = opts.output ? resolve(session.io.cwd, opts.output) : undefined;
      if (output && !existsSync(dirname(output))) {
        throw new StowageError(`cannot write the build to ${output}: the folder ${dirname(output)} does not exist`, { code: 'USAGE' });
      }
      const stowage = await session.stowage();
      if (output) checkOutputFile(output, stowage.project);
      checkStepOptions(opts.step, stowage.project.steps.map((s) => s.name), opts.build);
      const full = await stowage.plan({
        stack: session.options.stack,
        preventBuildReuse: opts.preventBuildReuse,
        givenBuild: opts.build ? { reference: opts.build, baseDir: session.io.cwd } : undefined,
        signal: session.io.signal,
      });
      const plan = selectPlanSteps(full, opts.step);
      session.io.stderr(warningsText(plan, session.redactor()));
      // The store must take a record (and the build logs) before anything is built: a full or read-only disk is said now.
      if (plan.outcome.kind === 'new-build') await stowage.builds.checkWritable();
      const { result } = await buildWithProgress(session, stowage, plan, { jobs, progress: opts.progress });
      if (output) writeAtomically(output, stringify(result.build), 'the build');
      if (opts.json) return session.io.stdout(`${JSON.stringify(result.build, null, 2)}\n`);
      session.io.stdout(buildSummary(plan, result, pc.createColors(wantsColour(session.io)), session.options.quiet));
    });
}

function parseJobs(value: string | undefined): number | undefined {
  const jobs = value === undefined ? undefined : Number(value);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new StowageError(`--jobs must be a positive integer, got "${value}"`, { code: 'USAGE' });
  return jobs;
}

/**
 * `-o` is checked before anything is built: it never overwrites the config file or a folder, and
 * never writes into the source root, whose files go into the images (the code would change).
 */
function checkOutputFile(file: string, project: { file?: string; sourceRoot: string }): void {
  const target = join(realpathSync(dirname(file)), basename(file));
  const refuse = (why: string, hint = 'write the build outside the source root, e.g. -o ../build.yaml or -o /tmp/build.yaml') =>
    new StowageError(`cannot write the build to ${file}: ${why}`, { code: 'USAGE', hint });
  if (project.file && existsSync(project.file) && target === realpathSync(project.file)) throw refuse('that is the config file');
  if (existsSync(target) && !statSync(target).isFile()) throw refuse('that is a folder, not a file', 'name a file, e.g. -o /tmp/build.yaml');
  const root = realpathSync(project.sourceRoot);
  if (target === root || target.startsWith(`${root}${sep}`)) {
    throw refuse(`it is inside the source root ${root}, whose files go into the images (the code would change with every build)`);
  }
}

