import type { Command } from 'commander';
import { NodeProcessRunner, STOWAGE_STATE_DIR, StowageError, type ComposedStack, type OpenedStack, type Stowage } from '@stowage/core';
import { join } from 'node:path';
import type { CommandContext } from '../program.js';
import { checkDisk } from '../doctor/checkDisk.js';
import { checkEngine, enginesOf } from '../doctor/checkEngine.js';
import { checkPython } from '../doctor/checkPython.js';
import { checkRegistry } from '../doctor/checkRegistry.js';
import { fail, type DoctorCheck } from '../doctor/DoctorCheck.js';

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

export function registerDoctor(program: Command, ctx: CommandContext): void {
  program
    .command('doctor')
    .description(
      'Check this machine and the project\'s stacks: config and plugins load, the Docker engine answers (and its version), BuildKit, registry login per stack (no push), python3 for exports, disk space of .stowage. Exit 1 on a failure.',
    )
    .option('--json', 'print as JSON ({ ok, checks: [{ check, status, message, hint?, stack? }] })')
    .action(async (opts: { json?: boolean }) => {
      const session = ctx.session();
      const checks = await runChecks(ctx);
      const ok = checks.every((c) => c.status !== 'fail');
      const redactor = session.redactor();
      if (opts.json) session.io.stdout(redactor.redact(`${JSON.stringify({ ok, checks }, null, 2)}\n`));
      else session.io.stdout(redactor.redact(doctorText(checks)));
      if (!ok) ctx.exitCode = 1;
    });
}

async function runChecks(ctx: CommandContext): Promise<DoctorCheck[]> {
  const session = ctx.session();
  const runner = new NodeProcessRunner();
  let stowage: Stowage;
  try {
    stowage = await session.stowage(true);
  } catch (error) {
    // Without a loadable project only the machine can be checked.
    const e = StowageError.isInstance(error) ? error : undefined;
    const project = fail(e?.code.startsWith('PLUGIN') ? 'plugins' : 'config', e ? e.format().replace(/^error: /, '').split('\n')[0]! : String(error), e?.hint ?? 'fix the config (see the message), then run doctor again');
    return [project, await checkPython(undefined, session.io.cwd, session.io.env, runner), await checkDisk(join(session.io.cwd, STOWAGE_STATE_DIR))];
  }
  const { project, plugins } = stowage;
  const checks: DoctorCheck[] = [
    project.file ? { check: 'config', status: 'ok', message: `${project.file} (pipeline ${project.pipelineName})` } : { check: 'config', status: 'warn', message: `no stowage.yaml in ${session.io.cwd} or its parents: checking the built-in default stack`, hint: 'run `stowage init` to write one' },
    { check: 'plugins', status: 'ok', message: `${plugins.list().length} loaded: ${plugins.list().map((p) => `${p.plugin.name}@${p.version ?? '?'}`).join(', ')}` },
  ];
  const opened = openStacks(stowage, session.options.stack, checks);
  for (const use of enginesOf(opened.map((o) => o.stack), project.env)) checks.push(...(await checkEngine(use)));
  for (const o of opened) checks.push(await checkRegistry(o));
  checks.push(await checkPython(project, project.root, project.env, runner));
  checks.push(await checkDisk(join(project.root, STOWAGE_STATE_DIR)));
  return checks;
}

/** Every stack (or the one of --stack), composed; one that does not compose is a failure line. */
function openStacks(stowage: Stowage, only: string | undefined, checks: DoctorCheck[]): OpenedStack[] {
  const names = only ? [only] : stowage.project.stacks.length ? stowage.project.stacks.map((s) => s.name) : [undefined];
  const opened: OpenedStack[] = [];
  for (const name of names) {
    try {
      opened.push(stowage.stack(name));
    } catch (error) {
      // A stack named on the command line that does not exist is bad input, not a finding.
      if (only && StowageError.isInstance(error) && error.code === 'STACK_UNKNOWN') throw error;
      const e = StowageError.isInstance(error) ? error : undefined;
      checks.push(fail('stack', `${name}: ${e ? e.format().replace(/^error: /, '').split('\n')[0]! : String(error)}`, e?.hint, name));
    }
  }
  if (opened.length) checks.push({ check: 'stack', status: 'ok', message: `${opened.map((o) => o.stack.name).join(', ')}: configuration valid (${opened.map(flavors).join('; ')})` });
  return opened;
}

function flavors({ stack }: { stack: ComposedStack }): string {
  return stack.components.map((c) => `${c.key}=${c.flavor.flavor}`).join(' ');
}

function doctorText(checks: readonly DoctorCheck[]): string {
  const lines = checks.flatMap((c) => [`${MARK[c.status]} ${c.check.padEnd(9)} ${c.message}`, ...(c.hint && c.status !== 'ok' ? [`  ${' '.repeat(9)} fix: ${c.hint}`] : [])]);
  const failures = checks.filter((c) => c.status === 'fail').length;
  lines.push('', failures ? `${failures} problem${failures === 1 ? '' : 's'} found.` : 'No problems found.');
  return `${lines.join('\n')}\n`;
}
