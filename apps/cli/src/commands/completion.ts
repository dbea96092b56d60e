import type { Command } from 'commander';
import tab from '@bomb.sh/tab/commander';
import type { RootCommand } from '@bomb.sh/tab';
import { createStowage } from '@stowage/core';
import { builtinPlugins, cliVersion } from '../builtinPlugins.js';
import type { CommandContext } from '../program.js';

const SCRIPT_DESCRIPTION = 'Print the shell completion script for bash, zsh or fish (or powershell), e.g. `source <(stowage completion bash)` in ~/.bashrc.';

/** What completes from the project: its step and stack names, and the ids of its recorded builds. */
interface ProjectNames {
  steps: string[];
  stacks: string[];
  builds: string[];
}

/**
 * `stowage completion bash|zsh|fish` prints the shell script (from @bomb.sh/tab, which mirrors the
 * commander tree: commands, options, choices); the script calls the hidden `stowage complete -- …`
 * on each TAB, which also completes step, stack and build names from the project. Registered
 * last, so that it sees every command.
 */
export function registerCompletion(program: Command, ctx: CommandContext): void {
  const root = tab(program, { completionCommandName: 'completion' });
  const names: ProjectNames = { steps: [], stacks: [], builds: [] };
  completeNames(root, names);
  const script = program.commands.find((c) => c.name() === 'completion')!;
  script.description(SCRIPT_DESCRIPTION);
  root.commands.get('completion')!.description = SCRIPT_DESCRIPTION;
  const complete = program.commands.find((c) => c.name() === 'complete')!;
  complete.hook('preAction', async (_cmd, action) => {
    Object.assign(names, await projectNames(ctx, action.args));
  });
  // @bomb.sh/tab prints with console.log: send it where the CLI writes (a test's buffer, or stdout).
  for (const cmd of [script, complete]) {
    let log: typeof console.log | undefined;
    cmd.hook('preAction', () => {
      log = console.log;
      console.log = (...parts: unknown[]) => ctx.io.stdout(`${parts.join(' ')}\n`);
    });
    cmd.hook('postAction', () => {
      if (log) console.log = log;
    });
  }
}

/** Hooks the project's names into the completion tree (filled in just before each completion). */
function completeNames(root: RootCommand, names: ProjectNames): void {
  const each = (list: () => string[], what: string) => (complete: (value: string, description: string) => void) => list().forEach((v) => complete(v, what));
  const steps = each(() => names.steps, 'step');
  const stacks = each(() => names.stacks, 'stack');
  const builds = each(() => names.builds, 'build');
  // The global --stack works after a subcommand too: offer it there with its names.
  for (const cmd of [root, ...root.commands.values()]) cmd.option('stack', 'stack to use', stacks, 's');
  for (const name of ['plan', 'build']) root.commands.get(name)?.option('step', 'only the images this step needs (repeatable)', steps);
  for (const name of ['dockerfile', 'run']) root.commands.get(name)?.argument('step', steps);
  for (const name of ['stack describe', 'stack validate']) root.commands.get(name)?.argument('name', stacks);
  for (const name of ['builds get', 'builds delete']) root.commands.get(name)?.argument('id', builds);
}

/** The names of the project the command line being completed points at (its --config); none when it does not load. */
async function projectNames(ctx: CommandContext, words: readonly string[]): Promise<ProjectNames> {
  const i = words.findIndex((w) => w === '-c' || w === '--config');
  const configFile = i >= 0 ? words[i + 1] : words.find((w) => w.startsWith('--config='))?.slice('--config='.length);
  try {
    const stowage = await createStowage({ configFile, cwd: ctx.io.cwd, env: ctx.io.env, optionalProject: true, builtins: builtinPlugins(), toolVersion: cliVersion() });
    const { builds } = await stowage.builds.listing().catch(() => ({ builds: [] }));
    const stacks = stowage.project.stacks.map((s) => s.name);
    return { steps: stowage.project.steps.map((s) => s.name), stacks: stacks.length ? stacks : ['default'], builds: builds.map((b) => b.id) };
  } catch {
    // A TAB never prints an error: a config that does not load simply completes no names.
    return { steps: [], stacks: [], builds: [] };
  }
}
