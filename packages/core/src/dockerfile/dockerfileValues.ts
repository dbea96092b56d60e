import { StowageError } from '@stowage/plugin-api';

/**
 * Quoting and validation for values placed in generated Dockerfiles. Every setting either is
 * quoted so it cannot start a new instruction, or is rejected with the key path it came from.
 */

function unsafe(keyPath: string, what: string, value: string, hint: string): StowageError {
  // Shown whole: a shortened value could hold part of a secret that redaction no longer matches.
  const shown = JSON.stringify(value);
  return new StowageError(`${what} ${shown} cannot be written safely into a Dockerfile`, {
    code: 'DOCKERFILE_VALUE_UNSAFE',
    keyPath,
    hint,
  });
}

const LINE_BREAK = /[\r\n\u0000\u2028\u2029]/;

function assertSingleLine(keyPath: string, what: string, value: string): void {
  if (LINE_BREAK.test(value)) throw unsafe(keyPath, what, value, 'remove the line break; values must be on one line');
}

/** POSIX shell single-quoting, only when needed. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_\-.,:/@%+=]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A double-quoted word for ENV: the Dockerfile lexer treats `\`, `"` and `$` specially inside
 * double quotes, so they are escaped; the value reaches the image literally (no `$VAR` expansion).
 */
export function envValue(keyPath: string, value: string): string {
  assertSingleLine(keyPath, 'the value', value);
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envName(keyPath: string, name: string): string {
  if (!ENV_NAME.test(name)) {
    throw unsafe(keyPath, 'the environment variable name', name, 'use letters, digits and underscores, not starting with a digit');
  }
  return name;
}

// docker/distribution reference grammar, loosely: [registry[:port]/]path[:tag][@digest]
export const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._\-/:]*(@sha256:[a-f0-9]{64})?$/;
// A repository path (no registry, no tag): lowercase components separated by `/`.
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function repositoryName(keyPath: string, name: string): string {
  if (!REPOSITORY.test(name)) {
    throw unsafe(keyPath, 'the repository name', name, 'use lowercase letters, digits and . _ - separated by /, e.g. `team/pipelines` (no registry, no tag)');
  }
  return name;
}

export function imageReference(keyPath: string, ref: string): string {
  if (!IMAGE_REF.test(ref)) {
    throw unsafe(keyPath, 'the image reference', ref, 'use a reference like `registry.example.com/team/image:tag`');
  }
  return ref;
}

const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;

export function userName(keyPath: string, user: string): string {
  if (!USER_NAME.test(user)) throw unsafe(keyPath, 'the user', user, 'use a user name or uid, optionally `:group`');
  return user;
}

// Debian package names (policy §5.6.1), with an optional :arch, =version or /release.
const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?(=[A-Za-z0-9.+:~-]+|\/[A-Za-z0-9.-]+)?$/;

export function aptPackage(keyPath: string, name: string): string {
  if (!APT_PACKAGE.test(name)) {
    throw unsafe(keyPath, 'the apt package', name, 'use a Debian package name, optionally with =version or /release');
  }
  return `'${name}'`;
}

const ARG_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Installer arguments: `--key` for null/true, `--key=value` otherwise, `false` drops a default. */
export function installerArgs(keyPath: string, args: Record<string, string | number | boolean | null>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (!ARG_NAME.test(key)) throw unsafe(`${keyPath}.${key}`, 'the installer argument', key, 'use an option name like `index-url`');
    if (value === false) continue;
    if (value === null || value === true) out.push(`--${key}`);
    else {
      assertSingleLine(`${keyPath}.${key}`, 'the installer argument value', String(value));
      out.push(shellQuote(`--${key}=${value}`));
    }
  }
  return out;
}

const HEREDOC = /<<-?\s*["']?[A-Za-z_]/;

/** A user shell command for one RUN line: no line breaks, no continuation, no heredoc. */
export function runCommand(keyPath: string, command: string): string {
  const trimmed = command.trim();
  assertSingleLine(keyPath, 'the command', trimmed);
  if (!trimmed) throw unsafe(keyPath, 'the command', command, 'give a non-empty command');
  if (trimmed.endsWith('\\')) throw unsafe(keyPath, 'the command', command, 'remove the trailing backslash (it would continue onto the next instruction)');
  if (HEREDOC.test(trimmed)) throw unsafe(keyPath, 'the command', command, 'heredocs would swallow the following instructions; use a script file instead');
  return trimmed;
}
