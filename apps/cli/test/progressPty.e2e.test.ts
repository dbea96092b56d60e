/**
 * Build progress as users see it, on the real Docker engine of the e2e harness: the real CLI in
 * a real PTY (`script`, sized with `stty`), its screen replayed by a headless xterm; then the same
 * build in a PTY that reports 0×0 (plain) and in json mode; then a failing build's saved log.
 * Each image's RUN prints a tqdm-style bar redrawn with `\r` and wide characters.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Terminal } from '@xterm/headless';
import stripAnsi from 'strip-ansi';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const DOCKER = process.env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const docker = async (...args: string[]) => (await run(DOCKER, args)).stdout.trim();
const hasBase = await docker('image', 'inspect', 'python:3.11-slim').then(() => true, () => false);
const required = Boolean(process.env['STOWAGE_E2E_READY'] || process.env['CI']);
if (!hasBase && !required) console.warn('\n!!!!!!!! SKIPPING the progress PTY e2e test: no Docker engine with python:3.11-slim (run tooling/e2e/scripts/up.sh)\n');

const CLI = join(import.meta.dirname, '../bin/stowage-dev.mjs');
const COLS = 100;
const ROWS = 30;
// Not CI for ci-info (CI=false bypasses its checks), a capable terminal, no colour forced either way.
const env = { ...process.env, CI: 'false', TERM: 'xterm-256color', NO_COLOR: undefined, FORCE_COLOR: undefined };
const cliArgs = (args: string[]) => ['--conditions=@stowage/source', CLI, ...args];
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI in a PTY; `size` set with stty, else the PTY reports 0×0 as `script` leaves it. */
async function inPty(dir: string, args: string[], size?: { cols: number; rows: number }) {
  const command = [process.execPath, ...cliArgs(args)].map(quote).join(' ');
  const stty = size ? `stty cols ${size.cols} rows ${size.rows}; ` : '';
  const r = await run('script', ['-qfec', `${stty}exec ${command}`, '/dev/null'], { cwd: dir, env, maxBuffer: 64 << 20 }).catch((e: { stdout: string; code: number }) => e);
  return { out: r.stdout, code: 'code' in r ? r.code : 0 };
}

async function piped(dir: string, args: string[]) {
  return run(process.execPath, cliArgs(args), { cwd: dir, env, maxBuffer: 64 << 20 }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
}

/** The screen (with scrollback) a terminal of this size shows after the output. */
async function screen(output: string): Promise<string[]> {
  const term = new Terminal({ cols: COLS, rows: ROWS, scrollback: 1000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(output, resolve));
  const b = term.buffer.active;
  return Array.from({ length: b.length }, (_, i) => b.getLine(i)?.translateToString(true) ?? '').filter((l) => l.trim());
}

describe.runIf(hasBase || required)('build progress in a PTY, plain and json, on the real engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-progress-e2e-'));
  const pipeline = `progress-e2e-${process.pid}`;
  writeFileSync(
    join(dir, 'stowage.yaml'),
    `pipeline: { name: ${pipeline}, python_version: "3.11" }
settings: { docker: { dockerfile: Dockerfile.pipeline, build_context_root: . } }
steps:
  load: {}
  train: { settings: { docker: { dockerfile: Dockerfile.train, build_context_root: . } } }
# The classic builder: its RUN output arrives as the program wrote it (tqdm's \\r frames), which
# this test reads back from the screen. BuildKit (the default) prefixes every line with its step.
stacks: { classic: { image_builder: { flavor: local, buildkit: false } } }
active_stack: classic
`,
  );
  writeFileSync(join(dir, 'main.py'), 'print(1)\n');
  // A new nonce per run: the engine's cache would otherwise skip the RUN (and its output).
  const dockerfiles = (nonce: string, fail = false) => {
    for (const key of ['pipeline', 'train']) {
      const bar = `import sys,time\nfor i in range(11):\n sys.stdout.write(f"\\r{i*10}%|{'█'*i}{' '*(10-i)}| {i}/10"); sys.stdout.flush(); time.sleep(0.12)\nprint()\nprint("下载完成 ${key} ✓")`;
      writeFileSync(join(dir, `bar_${key}.py`), bar);
      const failing = fail && key === 'train' ? ' && exit 3' : '';
      writeFileSync(join(dir, `Dockerfile.${key}`), `FROM python:3.11-slim\nCOPY bar_${key}.py /bar.py\nRUN echo ${nonce} && python /bar.py${failing}\n`);
    }
  };
  // Every image this test built (final and Dockerfile `-intermediate` ones) is named after its pipeline.
  afterAll(async () => {
    const names = (await docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')).split('\n');
    for (const image of names.filter((n) => n.startsWith(`stowage:${pipeline}-`))) await docker('image', 'rm', '-f', image).catch(() => undefined);
  });

  it('live in a sized PTY: the block is redrawn in place, then nothing is left but the summary', async () => {
    dockerfiles(`tty-${Date.now()}`);
    const { out, code } = await inPty(dir, ['build'], { cols: COLS, rows: ROWS });

    expect(code, out).toBe(0);
    // While building: the header, every image from the start, Dockerfile steps, the bar's last frame.
    const drawn = stripAnsi(out);
    expect(drawn).toMatch(new RegExp(`Building ${pipeline} · 0/2 done · \\d`));
    expect(drawn).toMatch(/· train +queued/);
    expect(drawn).toMatch(/▸ train +building your Dockerfile step 3\/\d+ · \d/);
    expect(drawn).toMatch(/^ {4}100%\|██████████\| 10\/10/m);
    expect(drawn).toMatch(/^ {4}下载完成 train ✓/m);
    expect(drawn).not.toMatch(/^ {4}.*\d0%\|.*\d0%\|/m); // a bar's frames never pile up on one line
    const lines = await screen(out);
    expect(lines.filter((l) => l.startsWith('Building '))).toEqual([]);
    expect(lines.filter((l) => /%\||下载完成|▸|queued/.test(l))).toEqual([]);
    expect(lines[0]).toMatch(/^Created pipeline build \S+ in \d.*: 2 built, 0 reused, 0 unchanged\.$/);
    // The size the engine reports for the built image (ImageBuildResult.sizeBytes).
    expect(lines[1]).toMatch(/^ {2}✓ pipeline +built +\d[\d.ms]+ +\d[\d.]*[kMG]?B +(sha256:|- )/);
    expect(lines.filter((l) => /^ {2}✓ (pipeline|train) +built/.test(l))).toHaveLength(2);
    expect(lines).toHaveLength(3);
  });

  it('plain in a PTY that reports 0×0; json events when asked; full logs saved per image', async () => {
    dockerfiles(`plain-${Date.now()}`);
    const plain = await inPty(dir, ['build']);

    expect(plain.code, plain.out).toBe(0);
    expect(plain.out).not.toMatch(/\x1b\[\d*[ABFGJK]/); // no cursor movement: plain lines only
    const text = plain.out.replace(/\r\n/g, '\n');
    expect(text).not.toContain('\r');
    expect(text).toMatch(/^\[train\] 100%\|██████████\| 10\/10$/m);
    expect(text).toMatch(/^\[train\] 下载完成 train ✓$/m);
    expect(stripAnsi(text)).toMatch(/^\[pipeline\] ✓ done in \d/m);
    expect(stripAnsi(text)).toMatch(/^Created pipeline build \S+ in .*: 2 built, 0 reused, 0 unchanged\.$/m);

    dockerfiles(`json-${Date.now()}`);
    const json = await piped(dir, ['build', '--progress', 'json']);

    expect(json.code, json.stderr).toBe(0);
    const events = json.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ type: 'build-start', images: [{ key: 'pipeline', state: 'queued' }, { key: 'train', state: 'queued' }] });
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', key: 'train', line: expect.stringMatching(/100%\|██████████\| 10\/10$/) }));
    expect(events.filter((e) => e['type'] === 'image' && e['state'] === 'built').map((e) => e['key']).sort()).toEqual(['pipeline', 'train']);
    expect(events.at(-1)).toMatchObject({ type: 'build-end', outcome: 'succeeded', counts: { built: 2 } });

    const buildId = /Created pipeline build (\S+) in/.exec(json.stdout)![1]!;
    const logs = await piped(dir, ['logs', buildId, 'train']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('\r90%|█████████ | 9/10\r100%|██████████| 10/10'); // the full log keeps every frame
    expect(logs.stdout).toContain('下载完成 train ✓');
  });

  it('a failing build leaves every image final state and the failed image log path; the log is complete', async () => {
    dockerfiles(`fail-${Date.now()}`, true);
    const r = await piped(dir, ['build']);

    expect(r.code).toBe(1);
    const logPath = /✗ train +failed after \S+ +\(log: (\S+)\)/.exec(r.stderr)?.[1];
    expect(logPath, r.stderr).toBeDefined();
    expect(readFileSync(logPath!, 'utf8')).toContain('下载完成 train ✓');
    expect(r.stderr).toMatch(/^[✓–] pipeline +(done|cancelled)/m);
    const logs = await piped(dir, ['logs', '--json']);
    expect(JSON.parse(logs.stdout)).toMatchObject({ outcome: 'failed', images: expect.arrayContaining([expect.objectContaining({ key: 'train', state: 'failed' })]) });
  });
});
