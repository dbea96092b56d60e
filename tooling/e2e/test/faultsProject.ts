/**
 * The fault suite's project and its checks: a temp copy of fixtures/faults building FROM a tiny
 * image (built once per file in the shared engine, removed afterwards), a signal sender that
 * fires when stderr shows a given moment of the build, and "nothing half-done is left" checks.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { dockerOk, localTags } from './docker.js';
import { editYaml, FIXTURES_DIR, fixtureProject, readStore, uniqueSuffix, type Cleanup } from './projects.js';
import { stowageNodeArgs, type StowageResult } from './runStowage.js';

let tiny: Promise<string> | undefined;

/** The tiny parent image (`stowage-e2e-faults/tiny:<suffix>`), built once per test file. */
export function tinyImage(cleanup: Cleanup): Promise<string> {
  tiny ??= (async () => {
    const tag = `stowage-e2e-faults/tiny:${uniqueSuffix()}`;
    const empty = cleanup.dir(await mkdtemp(join(tmpdir(), 'stowage-e2e-tiny-')));
    await dockerOk(['build', '-q', '--label', 'stowage-e2e=1', '-t', tag, '-f', join(FIXTURES_DIR, 'faults', 'tiny.Dockerfile'), empty]);
    cleanup.image(tag);
    return tag;
  })();
  return tiny;
}

export interface FaultProject {
  dir: string;
  pipeline: string;
}

/** A copy of fixtures/faults with a unique pipeline name, FROM the tiny image, running `install` as its RUN step. */
export async function faultProject(cleanup: Cleanup, install = 'echo ok'): Promise<FaultProject> {
  const parent = await tinyImage(cleanup);
  const dir = cleanup.dir(await fixtureProject('faults'));
  const pipeline = `e2e-faults-${uniqueSuffix()}`;
  await editYaml(dir, (c) => {
    c.pipeline.name = pipeline;
    c.settings.docker.parent_image = parent;
    c.settings.docker.local_project_install_command = install;
  });
  return { dir, pipeline };
}

/** An `onStderr` that sends `signal` once stderr matches `moment`; `sentAt()` says when (0: never). */
export function signalWhen(moment: RegExp, signal: NodeJS.Signals): { onStderr: (text: string, child: ChildProcess) => void; sentAt: () => number } {
  let sent = 0;
  return {
    onStderr: (text, child) => {
      if (!sent && moment.test(text)) {
        sent = Date.now();
        child.kill(signal);
      }
    },
    sentAt: () => sent,
  };
}

/** Files in `.stowage/builds` and `.stowage/locks` that are not whole records: temp files, probes, locks. */
export async function leftovers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const sub of ['builds', 'locks']) {
    const names = await readdir(join(dir, '.stowage', sub)).catch(() => [] as string[]);
    found.push(...names.filter((n) => sub === 'locks' || !/^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/.test(n)).map((n) => `${sub}/${n}`));
  }
  return found;
}

/** Nothing half-done: no record, no temp or lock file, no image tag of the pipeline on the engine. */
export async function expectNothingLeft(project: FaultProject, r: StowageResult, what: string): Promise<void> {
  expect((await readStore(project.dir)).records, `${what}: a record was written`).toEqual([]);
  expect(await leftovers(project.dir), `${what}: temp or lock files left`).toEqual([]);
  expect([...(await localTags())].filter((t) => t.includes(project.pipeline)), `${what}: an image was tagged`).toEqual([]);
  expect(r.stderr, `${what}: a stack trace or an unexpected failure`).not.toMatch(/^\s+at |unexpected failure/m);
}

/** Starts the CLI and hands back the process (to signal it at a moment no output marks) and its result. */
export function startStowage(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<StowageResult> } {
  const started = Date.now();
  const child = spawn(process.execPath, stowageNodeArgs(args), { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<StowageResult>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, command: `stowage ${args.join(' ')}`, ms: Date.now() - started, timedOut: false })),
  );
  return { child, done };
}

/** A cancel at any moment leaves the store consistent: exit 0 with one whole record, or the signal's code with none. */
export async function expectRecordedIffSucceeded(project: FaultProject, r: StowageResult, cancelCode: number): Promise<void> {
  const { records } = await readStore(project.dir);
  if (r.code === 0) expect(records.map((b) => b.id), r.stderr).toEqual([(JSON.parse(r.stdout) as { id: string }).id]);
  else {
    expect(r.code, r.stderr).toBe(cancelCode);
    expect(r.stderr).toMatch(/"code":"BUILD_CANCELLED","message":"build cancelled; nothing was recorded"/);
    expect(records).toEqual([]);
  }
  expect(await leftovers(project.dir)).toEqual([]);
}
