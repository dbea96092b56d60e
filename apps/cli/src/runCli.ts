import { StowageError } from '@stowage/core';
import type { CliIO } from './CliIO.js';
import { CommanderError, createProgram, type ProgramOptions } from './program.js';
import { errorJson, wantsJson } from './output/errorJson.js';

/** Runs the CLI with argv (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO, options: ProgramOptions = {}): Promise<number> {
  const json = wantsJson(argv);
  const { program, ctx } = createProgram(io, { ...options, jsonErrors: json });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode ?? 0;
  } catch (error) {
    const redactor = safeRedactor(ctx);
    // `--help` and `--version` exit 0; help shown because a command was missing is bad input.
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    if (json) {
      // One object on one line: the last line of stderr, whatever progress came before it.
      io.stderr(`${redactor(JSON.stringify(errorJson(error)))}\n`);
      return exitCodeOf(error);
    }
    if (error instanceof CommanderError) return 2; // usage errors: commander has already printed the message
    if (StowageError.isInstance(error)) {
      io.stderr(`${redactor(error.format())}\n`);
      if (debug && error.stack) io.stderr(`${redactor(error.stack)}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`${redactor(`error: unexpected failure: ${message}`)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${redactor(error.stack)}\n`);
    else io.stderr('  (re-run with --debug for the stack trace, and please report it)\n');
    return 1;
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return 2;
  return StowageError.isInstance(error) ? error.exitCode : 1;
}

function safeRedactor(ctx: { session(): { redactor(): { redact(t: string): string } } }): (t: string) => string {
  try {
    const r = ctx.session().redactor();
    return (t) => r.redact(t);
  } catch {
    return (t) => t;
  }
}
