import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StowageError } from '@stowage/core';

export const ATTEMPT_FILE = 'attempt.json';

/** What `attempt.json` says of one build attempt. */
export interface AttemptRecord {
  attempt: string;
  pipeline: string;
  stack: string;
  started: string;
  seconds: number;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  /** The pipeline build it recorded, when it succeeded. */
  buildId?: string;
  images: { key: string; imageName: string; state: string; seconds?: number; log?: string }[];
}

export function logsDir(stateDir: string): string {
  return join(stateDir, 'logs');
}

/** A file name for an image key (step names may hold characters a file name should not). */
export function logFileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.log`;
}

/** Attempts with logs, newest first; folders without an `attempt.json` are still being written or were cut short. */
export function listAttempts(stateDir: string): AttemptRecord[] {
  const root = logsDir(stateDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => readAttempt(join(root, d.name), d.name))
    .sort((a, b) => b.attempt.localeCompare(a.attempt));
}

function readAttempt(dir: string, attempt: string): AttemptRecord {
  try {
    return { ...(JSON.parse(readFileSync(join(dir, ATTEMPT_FILE), 'utf8')) as AttemptRecord), attempt };
  } catch {
    // Killed before it finished (a second Ctrl-C): its logs are still worth reading.
    const images = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => ({ key: f.slice(0, -4), imageName: '', state: 'unknown', log: f }));
    return { attempt, pipeline: '', stack: '', started: '', seconds: 0, outcome: 'cancelled', images };
  }
}

/** The attempt a `stowage logs BUILD` argument names: a build id, an attempt id, or a prefix of either; default the newest. */
export function findAttempt(stateDir: string, reference: string | undefined): AttemptRecord {
  const attempts = listAttempts(stateDir);
  if (!attempts.length) {
    throw new StowageError(`no build logs in ${logsDir(stateDir)}`, { code: 'BUILD_NOT_FOUND', hint: 'logs are saved by `stowage build`; run a build first' });
  }
  if (reference === undefined) return attempts[0]!;
  const exact = attempts.find((a) => a.buildId === reference || a.attempt === reference);
  if (exact) return exact;
  const matches = attempts.filter((a) => a.buildId?.startsWith(reference) || a.attempt.startsWith(reference));
  if (matches.length === 1) return matches[0]!;
  const known = attempts.slice(0, 5).map((a) => a.buildId ?? a.attempt);
  throw new StowageError(matches.length ? `"${reference}" matches ${matches.length} build attempts` : `no build logs for "${reference}"`, {
    code: 'BUILD_NOT_FOUND',
    hint: matches.length ? 'give more characters of the id' : `recent ones: ${known.join(', ')} (see \`stowage logs --list\`)`,
  });
}

/** The path of one image's log in an attempt; unknown images are bad input. */
export function imageLog(stateDir: string, attempt: AttemptRecord, key: string): string {
  const image = attempt.images.find((i) => i.key === key);
  const path = join(logsDir(stateDir), attempt.attempt, image?.log ?? logFileName(key));
  if (!image && !existsSync(path)) {
    throw new StowageError(`build attempt ${attempt.buildId ?? attempt.attempt} has no image "${key}"`, {
      code: 'USAGE',
      hint: `its images: ${attempt.images.map((i) => i.key).join(', ') || '(none)'}`,
    });
  }
  return path;
}
