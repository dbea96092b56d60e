import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import {
  BuildEngine,
  formatWarning,
  loadGivenBuild,
  Planner,
  StowageError,
  TOKENS,
  verifyGivenBuild,
  type PipelineBuild,
} from '@stowage/core';
import type { CommandContext } from '../program.js';
import { BuildProgress } from '../output/BuildProgress.js';
import { warningsText } from '../output/planText.js';

interface BuildOptions {
  jobs?: string;
  build?: string;
  preventBuildReuse?: boolean;
  output?: string;
  json?: boolean;
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
    .action(async (opts: BuildOptions) => {
      const session = ctx.session();
      const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs);
      if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
        throw new StowageError(`--jobs must be a positive integer, got "${opts.jobs}"`, { code: 'USAGE' });
      }
      const output = opts.output ? resolve(session.io.cwd, opts.output) : undefined;
      if (output && !existsSync(dirname(output))) {
        throw new StowageError(`cannot write the build to ${output}: the folder ${dirname(output)} does not exist`, { code: 'USAGE' });
      }
      const { container } = await session.stack();
      const redactor = session.redactor();
      const planner = container.resolve(Planner);
      const plan = await planner.plan({ preventBuildReuse: opts.preventBuildReuse, mode: 'build', signal: session.io.signal });
      session.io.stderr(warningsText(plan, redactor));

      let build: PipelineBuild;
      let note: string;
      const project = session.loadProject();
      const given = opts.build ?? project.build;
      if (given) {
        const store = container.resolve(TOKENS.BuildStore);
        // --build is relative to where you are; the config's `build:` to the config's folder.
        const loaded = await loadGivenBuild(given, store, opts.build ? session.io.cwd : project.root);
        for (const w of verifyGivenBuild(loaded.build, plan)) session.io.stderr(`${redactor.redact(formatWarning(w))}\n`);
        if (loaded.fromFile && !(await store.list()).some((b) => b.id === loaded.build.id)) await store.save(loaded.build);
        build = loaded.build;
        note = `Using pipeline build ${build.id} (${loaded.fromFile ? 'from file' : 'from the build store'}).`;
      } else {
        const progress = new BuildProgress(session.io, redactor);
        const result = await container
          .resolve(BuildEngine)
          .execute(plan, { jobs, signal: session.io.signal, onEvent: progress.onEvent })
          .finally(() => progress.flush());
        build = result.build;
        note = !plan.images.length
          ? 'No docker builds required.'
          : result.created
            ? `Created pipeline build ${build.id} (${result.builtImages} image${result.builtImages === 1 ? '' : 's'} built).`
            : `Reusing existing build ${build.id} for stack ${build.stack.name}: nothing changed.`;
      }
      if (output) writeAtomically(output, stringify(build));
      if (opts.json) session.io.stdout(`${JSON.stringify(build, null, 2)}\n`);
      else {
        session.io.stdout(`${note}\n`);
        for (const image of build.images) {
          session.io.stdout(`  ${image.key.padEnd(16)} ${image.action.padEnd(10)} ${image.imageReference}  (steps: ${image.steps.join(', ') || '-'})\n`);
        }
      }
    });
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
