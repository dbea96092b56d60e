import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface PhaseRun {
  /** The failing command and its exit status, or undefined when every command succeeded. */
  failure?: { command: string; status: number | string };
}

/** CodeBuild's log prefix: `[Container] 2026/11/29 17:00:00.123456 `. */
export function containerLine(text: string, now = new Date()): string {
  const iso = now.toISOString();
  return `[Container] ${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 23)}000 ${text}`;
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * One phase's commands as one `/bin/sh` script: buildspec 0.2 runs a phase's commands in one shell
 * instance, logs `Running command …` before each, and stops the phase at the first that fails.
 */
export function phaseScript(commands: readonly string[]): string {
  return commands
    .map((command, i) =>
      [
        `printf '%s\\n' ${quote(containerLine(`Running command ${command}`))}; echo ${i} >&3`,
        command,
        `__status=$?; if [ "$__status" -ne 0 ]; then exit "$__status"; fi`,
      ].join('\n'),
    )
    .join('\n');
}

/**
 * Runs a phase on the host in its own process group (so StopBuild can end docker and everything it
 * started), streaming each output line to `onLine`.
 */
export function runPhase(commands: readonly string[], cwd: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void, onStart: (child: ChildProcess) => void): Promise<PhaseRun> {
  const child = spawn('/bin/sh', ['-c', phaseScript(commands)], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  onStart(child);
  let current = 0;
  const lines = (stream: NodeJS.ReadableStream) =>
    new Promise<void>((resolve) => {
      const reader = createInterface({ input: stream });
      reader.on('line', onLine);
      reader.on('close', resolve);
    });
  // The script reports on fd 3, apart from the commands' own output, which command it starts: the
  // last one started is the failing one, even when it ends the shell itself (`exit 3`).
  const started = new Promise<void>((resolve) => {
    createInterface({ input: child.stdio[3] as NodeJS.ReadableStream })
      .on('line', (line) => (current = Number(line)))
      .on('close', resolve);
  });
  return Promise.all([lines(child.stdout!), lines(child.stderr!), started, new Promise<number | null>((resolve) => child.on('close', resolve))]).then(([, , , code]) => {
    return code === 0 ? {} : { failure: { command: commands[current] ?? '', status: code ?? 'killed' } };
  });
}
