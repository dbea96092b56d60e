import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../program.js';
import { findAttempt, imageLog, listAttempts, type AttemptRecord } from '../logs/savedLogs.js';

interface LogsOptions {
  json?: boolean;
  list?: boolean;
}

export function registerLogs(program: Command, ctx: CommandContext): void {
  program
    .command('logs')
    .argument('[build]', 'a pipeline build id or build attempt id (or a unique prefix); default: the newest attempt')
    .argument('[image]', 'an image key (the pipeline image is `pipeline`, others are named after their first step); default: every image')
    .option('--list', 'list the build attempts whose logs are kept, newest first')
    .option('--json', 'print as JSON ({ attempt, buildId, outcome, images: [{ key, state, path, log }] })')
    .description('Print the full logs saved by `stowage build` under .stowage/logs/ (the last 20 attempts are kept, failed ones too).')
    .action((build: string | undefined, image: string | undefined, opts: LogsOptions) => showLogs(ctx, build, image, opts));
}

function showLogs(ctx: CommandContext, build: string | undefined, image: string | undefined, opts: LogsOptions): void {
  const session = ctx.session();
  const stateDir = session.stateDir();
  if (opts.list) return listLogs(ctx, listAttempts(stateDir), opts.json);
  const attempt = findAttempt(stateDir, build);
  const keys = image === undefined ? attempt.images.map((i) => i.key) : [image];
  const logs = keys.map((key) => {
    const path = imageLog(stateDir, attempt, key);
    return { key, state: attempt.images.find((i) => i.key === key)?.state, path, log: readLog(path) };
  });
  if (opts.json) {
    session.io.stdout(`${JSON.stringify({ attempt: attempt.attempt, buildId: attempt.buildId, outcome: attempt.outcome, images: logs }, null, 2)}\n`);
    return;
  }
  for (const l of logs) {
    if (logs.length > 1) session.io.stdout(`==> ${l.key} (${l.state ?? 'unknown'}): ${relative(session.io.cwd, l.path)} <==\n`);
    session.io.stdout(l.log);
  }
}

function listLogs(ctx: CommandContext, attempts: AttemptRecord[], json?: boolean): void {
  if (json) return ctx.io.stdout(`${JSON.stringify(attempts, null, 2)}\n`);
  if (!attempts.length) return ctx.io.stdout('No build logs saved.\n');
  for (const a of attempts) ctx.io.stdout(`${a.attempt}  ${a.outcome.padEnd(9)}  ${a.buildId ?? '-'}  ${a.pipeline}  (${a.images.map((i) => i.key).join(', ')})\n`);
}

/** An image that never started has no log file. */
function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
