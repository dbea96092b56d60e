import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { CODE_CONFIG_FILE_NAMES, CONFIG_FILE_NAMES, configJsonSchema, createStowage, projectFromObject, StowageError } from '@stowage/core';
import { builtinPlugins, cliVersion } from '../builtinPlugins.js';
import type { CommandContext } from '../program.js';
import { detectProject } from '../init/detectProject.js';
import { initConfigText, SCHEMA_FILE } from '../init/initConfigText.js';
import { writeAtomically } from '../files/writeAtomically.js';

interface InitOptions {
  name?: string;
  python?: string;
  force?: boolean;
  json?: boolean;
}

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description(
      'Write a commented stowage.yaml (with the editor schema line, and stowage.schema.json beside it) for the project in this folder (or --config FILE): detects requirements.txt / pyproject.toml and the Python version (.python-version, requires-python). Refuses to overwrite an existing stowage.yaml.',
    )
    .option('--name <pipeline>', 'pipeline name (default: pyproject\'s project name, else the folder name)')
    .option('--python <X.Y>', 'Python version of the default parent image (default: detected, else the local python3\'s at build time)')
    .option('-f, --force', 'overwrite an existing stowage.yaml')
    .option('--json', 'print what was written as JSON ({ files: [{ path, content }], detected })')
    .action((opts: InitOptions) => init(ctx, opts));
}

async function init(ctx: CommandContext, opts: InitOptions): Promise<void> {
  const session = ctx.session();
  const io = session.io;
  if (opts.name !== undefined && !opts.name.trim()) throw new StowageError('--name is empty', { code: 'USAGE', hint: 'pass a pipeline name, e.g. --name training' });
  if (opts.python !== undefined && !/^3\.\d+$/.test(opts.python)) {
    throw new StowageError(`--python ${opts.python}: expected a Python version like 3.11`, { code: 'USAGE', hint: 'pass X.Y, e.g. --python 3.11' });
  }
  const file = resolve(io.cwd, session.options.config ?? 'stowage.yaml');
  const dir = dirname(file);
  if (!existsSync(dir)) throw new StowageError(`cannot write ${file}: the folder ${dir} does not exist`, { code: 'USAGE', hint: 'create the folder first' });
  if (existsSync(file) && !opts.force) {
    throw new StowageError(`${relative(io.cwd, file) || file} already exists; nothing was written`, { code: 'USAGE', hint: 'pass --force to overwrite it' });
  }
  // Another project config in the folder (stowage.yml, stowage.config.ts, …) would make every later
  // command refuse the folder ("more than one project config"), or be shadowed: never add a second.
  const others = [...CONFIG_FILE_NAMES, ...CODE_CONFIG_FILE_NAMES].map((n) => join(dir, n)).filter((f) => f !== file && existsSync(f));
  if (others.length) {
    throw new StowageError(`${others.map((f) => relative(io.cwd, f) || f).join(', ')} already configures this folder; nothing was written`, {
      code: 'USAGE',
      hint: 'edit that config, or remove it before running `stowage init`',
    });
  }
  const schemaFile = join(dir, SCHEMA_FILE);
  if (existsSync(schemaFile) && !opts.force) {
    throw new StowageError(`${relative(io.cwd, schemaFile) || schemaFile} already exists; nothing was written`, { code: 'USAGE', hint: 'pass --force to overwrite it' });
  }
  const detected = await detectProject(dir);
  if (opts.name) detected.name = { value: opts.name.trim(), from: '--name' };
  if (opts.python) detected.pythonVersion = { value: opts.python, from: '--python' };
  const files = [
    { path: file, content: initConfigText(detected) },
    { path: join(dir, SCHEMA_FILE), content: `${JSON.stringify(await builtinSchema(dir, io.env), null, 2)}\n` },
  ];
  // The schema first: should the config then fail to write, no stowage.yaml points at a missing schema.
  for (const f of [...files].reverse()) writeAtomically(f.path, f.content);
  if (opts.json) return io.stdout(`${JSON.stringify({ files, detected }, null, 2)}\n`);
  io.stdout(`Wrote ${relative(io.cwd, file) || file} and ${relative(io.cwd, files[1]!.path)}.\n`);
  for (const line of detectedLines(detected)) io.stdout(`  ${line}\n`);
  io.stdout('Next: `stowage doctor`, then `stowage plan`.\n');
}

/** The JSON Schema of stowage.yaml with the plugins the CLI ships (a project's own plugins are named once it has a config). */
async function builtinSchema(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<unknown> {
  const project = projectFromObject({}, { source: {}, env, root: dir });
  const stowage = await createStowage({ project, builtins: builtinPlugins(), toolVersion: cliVersion() });
  return configJsonSchema(stowage.plugins);
}

function detectedLines(d: Awaited<ReturnType<typeof detectProject>>): string[] {
  return [
    `pipeline name: ${d.name.value} (from ${d.name.from})`,
    `python version: ${d.pythonVersion ? `${d.pythonVersion.value} (from ${d.pythonVersion.from})` : 'not pinned (the local python3\'s at build time)'}`,
    `requirements: ${d.requirements ?? (d.pyproject ? `${d.pyproject} (exported)` : 'none found')}`,
  ];
}

