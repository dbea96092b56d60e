import { StowageError } from '@stowage/core';
import { CommanderError } from 'commander';

/** The `--json` error shape on stderr: one object on one line, every documented key present. */
export interface ErrorJson {
  error: {
    code: string;
    message: string;
    file: string | null;
    line: number | null;
    keyPath: string | null;
    hint: string | null;
    details: string[];
    plugin?: string;
    component?: string;
    method?: string;
  };
}

/** A StowageError, a commander usage error or an unexpected failure, as JSON (redacted by the caller). */
export function errorJson(error: unknown): ErrorJson {
  if (StowageError.isInstance(error)) {
    return {
      error: {
        code: error.code,
        message: error.message,
        file: error.file ?? null,
        line: error.line ?? null,
        keyPath: error.keyPath ?? null,
        hint: error.hint ?? null,
        details: error.details,
        ...(error.plugin && { plugin: error.plugin }),
        ...(error.component && { component: error.component }),
        ...(error.method && { method: error.method }),
      },
    };
  }
  if (error instanceof CommanderError) {
    // A missing subcommand makes commander show help (as an error) instead of a message.
    const message = error.code.startsWith('commander.help') ? 'a command is missing' : error.message.replace(/^error: /, '');
    return { error: { code: 'USAGE', message, file: null, line: null, keyPath: null, hint: 'run with --help for usage', details: [] } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error: { code: 'UNEXPECTED', message: `unexpected failure: ${message}`, file: null, line: null, keyPath: null, hint: 're-run with --debug for the stack trace, and please report it', details: [] },
  };
}

/** Whether `--json` is among the options (not after `--`, where it is an argument of `run`). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
