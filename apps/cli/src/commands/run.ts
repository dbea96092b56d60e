import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { StowageError, type LaunchCommand } from '@stowage/core';
import type { CommandContext } from '../program.js';

interface RunOptions {
  build?: string;
  network?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command('run')
    .argument('<step>', 'the step to run')
    .argument('[args...]', 'appended to the step command (after `--`)')
    .description(
      "Run a step's container from the newest pipeline build (or --build) on the local Docker engine, as its launch spec says: the code download variables (a fresh presigned URL, the repository token from its variable) are provided.",
    )
    .option('-b, --build <id|file>', 'the pipeline build to run (id, id prefix, or a build YAML file)')
    .option('--network <name>', 'docker run --network (e.g. host, to reach services on this machine)')
    .option('--dry-run', 'print the docker run command instead of running it (secrets are passed by name only)')
    .option('--json', 'with --dry-run: print the command as JSON ({ argv, secretNames })')
    .action(async (step: string, args: string[], opts: RunOptions) => {
      const session = ctx.session();
      if (opts.json && !opts.dryRun) {
        throw new StowageError('--json needs --dry-run: a running step has the terminal', { code: 'USAGE', hint: 'pass --dry-run --json to get the docker run command as JSON' });
      }
      const stowage = await session.stowage();
      const command = await stowage.launchCommand({
        step,
        args,
        stack: session.options.stack,
        network: opts.network,
        build: opts.build ? { reference: opts.build, baseDir: session.io.cwd } : undefined,
      });
      if (opts.json) return session.io.stdout(`${session.redactor().redact(JSON.stringify({ argv: printable(command), secretNames: command.secretNames }, null, 2))}\n`);
      if (opts.dryRun) return session.io.stdout(`${session.redactor().redact(printable(command).map(quote).join(' '))}\n`);
      const code = await runDocker(command.argv, command.env, session.io.signal);
      if (code !== 0) throw new StowageError(`step ${step} exited with code ${code}`, { code: 'BUILD_FAILED' });
    });
}

/** Runs `docker run …` with the terminal attached; values travel in the environment, never on the command line. */
function runDocker(argv: string[], env: Record<string, string>, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...process.env, ...env }, signal });
    child.once('error', (error) =>
      reject(new StowageError(`could not start docker: ${error.message}`, { code: 'ENGINE_UNAVAILABLE', cause: error, hint: 'install the docker CLI (Debian: docker.io) and start the engine' })),
    );
    child.once('close', (code, sig) => resolve(code ?? (sig ? 128 : 1)));
  });
}

/** The command as a user would paste it: plain values inline, secret ones by name only (taken from the environment). */
function printable(command: LaunchCommand): string[] {
  return command.argv.map((arg, i) => (command.argv[i - 1] === '-e' && arg in command.env && !command.secretNames.includes(arg) ? `${arg}=${command.env[arg]}` : arg));
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
