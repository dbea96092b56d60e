import { Command, CommanderError } from 'commander';
import type { ProcessRunner } from '@stowage/plugin-api';
import { cliVersion } from './builtinPlugins.js';
import type { CliIO } from './CliIO.js';
import { CliSession, type GlobalOptions } from './CliSession.js';
import { registerDockerfile } from './commands/dockerfile.js';
import { registerIntegrations } from './commands/integrations.js';
import { registerPlan } from './commands/plan.js';
import { registerPlugins } from './commands/plugins.js';
import { registerSchema } from './commands/schema.js';
import { registerStack } from './commands/stack.js';
import { registerBuild } from './commands/build.js';
import { registerBuilds } from './commands/builds.js';
import { registerRun } from './commands/run.js';
import { registerDoctor } from './commands/doctor.js';
import { registerInit } from './commands/init.js';
import { registerCompletion } from './commands/completion.js';
import { registerLogs } from './commands/logs.js';

export interface CommandContext {
  session(): CliSession;
  io: CliIO;
  /** Set by a command that reports a failure itself (e.g. `doctor`) instead of throwing. */
  exitCode?: number;
}

export interface ProgramOptions {
  runner?: ProcessRunner;
  /** `--json` was given: usage errors are reported as JSON by the caller, so commander prints none. */
  jsonErrors?: boolean;
}

/** The `stowage` command tree. Commands are thin: parse, call core, print. */
export function createProgram(io: CliIO, options: ProgramOptions = {}): { program: Command; ctx: CommandContext } {
  const program = new Command('stowage');
  let session: CliSession | undefined;
  const ctx: CommandContext = {
    io,
    session: () => (session ??= new CliSession(io, program.opts<GlobalOptions>(), options.runner)),
  };
  program
    .description('Plan and build the container images ML pipeline steps run in (ZenML DockerSettings compatible).')
    .version(cliVersion(), '-V, --version')
    .option('-c, --config <file>', 'project config file (default: stowage.yaml in this folder or a parent)')
    .option('-s, --stack <name>', 'stack to use (default: active_stack, else "default")')
    .option('--debug', 'print stack traces of errors')
    .option('-q, --quiet', 'no build progress; a one-line summary')
    .option('-v, --verbose', 'more build output: more log lines per image, engine status lines')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout(t), writeErr: (t) => io.stderr(t) });
  registerPlan(program, ctx);
  registerDockerfile(program, ctx);
  registerBuild(program, ctx);
  registerBuilds(program, ctx);
  registerLogs(program, ctx);
  registerRun(program, ctx);
  registerStack(program, ctx);
  registerPlugins(program, ctx);
  registerIntegrations(program, ctx);
  registerSchema(program, ctx);
  registerDoctor(program, ctx);
  registerInit(program, ctx);
  // Last: the completion tree mirrors every command registered before it.
  registerCompletion(program, ctx);
  // Commander recognises the root's options after a subcommand too (`stowage plan --stack x`).
  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput({ writeOut: (t) => io.stdout(t), writeErr: (t) => io.stderr(t) });
    if (options.jsonErrors) cmd.showHelpAfterError(false).configureOutput({ writeErr: () => {}, outputError: () => {} });
  }
  return { program, ctx };
}

export function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

export { CommanderError };
