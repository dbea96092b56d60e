/**
 * The docker CLI (/usr/bin/docker, the 20.10 client with built-in BuildKit) as seen by a user:
 * run it, inspect images, run containers, list the files an image holds, clean up.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { e2eDockerCli } from '../src/harness.js';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerOptions {
  /** Piped to stdin (a tar context for `docker build -`, …). */
  input?: Readable | Buffer | string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  /** Keep stdout as raw bytes (e.g. `docker export`). */
  binary?: boolean;
}

export interface DockerBinaryResult extends Omit<DockerResult, 'stdout'> {
  stdout: Buffer;
}

function spawnDocker(args: readonly string[], opts: DockerOptions): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(e2eDockerCli(), args, {
      cwd: opts.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 300_000,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr }));
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // the CLI may exit before reading everything
      if (typeof opts.input === 'string' || Buffer.isBuffer(opts.input)) child.stdin.end(opts.input);
      else opts.input.pipe(child.stdin);
    }
  });
}

/** Runs `docker <args>`; never throws on a non-zero exit. */
export async function docker(args: readonly string[], opts: DockerOptions = {}): Promise<DockerResult> {
  const r = await spawnDocker(args, opts);
  return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
}

export async function dockerBinary(args: readonly string[], opts: DockerOptions = {}): Promise<DockerBinaryResult> {
  return spawnDocker(args, opts);
}

/** Runs `docker <args>` and returns stdout; throws with stderr on a non-zero exit. */
export async function dockerOk(args: readonly string[], opts: DockerOptions = {}): Promise<string> {
  const r = await docker(args, opts);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** The local image id (`sha256:…`), or undefined when there is no such image. */
export async function imageId(ref: string): Promise<string | undefined> {
  const r = await docker(['image', 'inspect', '-f', '{{.Id}}', ref]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** `docker run --rm <image> <cmd…>` (host network, so the local index is reachable if needed). */
export interface RunOptions {
  entrypoint?: string;
  env?: Record<string, string>;
  /** Working directory in the container (`-w`); default: the image's. */
  workdir?: string;
}

export function dockerRun(image: string, command: readonly string[], opts: RunOptions = {}): Promise<DockerResult> {
  const args = ['run', '--rm', '--network', 'host'];
  if (opts.entrypoint !== undefined) args.push('--entrypoint', opts.entrypoint);
  if (opts.workdir !== undefined) args.push('--workdir', opts.workdir);
  for (const [k, v] of Object.entries(opts.env ?? {})) args.push('-e', `${k}=${v}`);
  return docker([...args, image, ...command]);
}

/** Like dockerRun, but throws unless the command exits 0; returns stdout. */
export async function dockerRunOk(image: string, command: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await dockerRun(image, command, opts);
  if (r.code !== 0) throw new Error(`docker run ${image} ${command.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Every local image tag (`repo:tag`), e.g. to see which tags a command created. */
export async function localTags(): Promise<Set<string>> {
  const out = await dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}']);
  return new Set(out.split('\n').map((l) => l.trim()).filter((l) => l && !l.includes('<none>')));
}

/** Every local image id (`docker images -qa --no-trunc`, intermediate images included). */
export async function localImageIds(): Promise<Set<string>> {
  const out = await dockerOk(['images', '-qa', '--no-trunc']);
  return new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));
}

/** Containers (any state) whose full command line contains `marker`: id → status. */
export async function containersMentioning(marker: string): Promise<Map<string, string>> {
  const out = await dockerOk(['ps', '-a', '--no-trunc', '--format', '{{.ID}}\t{{.Status}}\t{{.Command}}']);
  const found = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [id, status, ...command] = line.split('\t');
    if (id && command.join('\t').includes(marker)) found.set(id, status ?? '');
  }
  return found;
}

/** The ids of all containers with the given status (`docker ps -a --filter status=…`). */
export async function containerIds(status: 'exited' | 'created' | 'running'): Promise<Set<string>> {
  const out = await dockerOk(['ps', '-a', '-q', '--no-trunc', '--filter', `status=${status}`]);
  return new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));
}

/**
 * The paths an image's filesystem holds under `prefix` (e.g. `ctx/`), read back with
 * `docker create` + `docker export | tar -t`: files, and directories with no entries below them
 * (with a trailing `/`), relative to the prefix, byte-sorted. Works for `FROM scratch` images
 * (a dummy command is given to `docker create`; the container never runs).
 */
export async function imageLeaves(image: string, prefix: string): Promise<string[]> {
  const id = (await dockerOk(['create', image, '/nonexistent-entrypoint'])).trim();
  try {
    const exported = await dockerBinary(['export', id]);
    if (exported.code !== 0) throw new Error(`docker export ${id} exited ${exported.code}: ${exported.stderr}`);
    return leavesUnder(tarNames(exported.stdout), prefix);
  } finally {
    await docker(['rm', '-f', id]);
  }
}

/**
 * Entry names of an (uncompressed) tar, without a leading `./`; directories end in `/`.
 * A small reader instead of `tar -t`, so names outside ASCII come back exactly (ustar `prefix`,
 * PAX `path` records and GNU long names are honoured).
 */
export function tarNames(tar: Buffer): string[] {
  const names: string[] = [];
  let offset = 0;
  let nextPath: string | undefined;
  const field = (block: Buffer, start: number, length: number): Buffer => {
    const raw = block.subarray(start, start + length);
    const nul = raw.indexOf(0);
    return nul < 0 ? raw : raw.subarray(0, nul);
  };
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).toString('latin1').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      // PAX records: "<length> <key>=<value>\n", length in bytes including itself.
      for (let pos = 0; pos < body.length; ) {
        const space = body.indexOf(0x20, pos);
        const len = space < 0 ? 0 : Number(body.subarray(pos, space).toString('latin1'));
        if (!len) break;
        const record = body.subarray(space + 1, pos + len - 1).toString('utf8');
        const eq = record.indexOf('=');
        if (record.slice(0, eq) === 'path') nextPath = record.slice(eq + 1);
        pos += len;
      }
      continue;
    }
    if (type === 'L') {
      nextPath = field(body, 0, body.length).toString('utf8');
      continue;
    }
    if (type === 'g') continue;
    let name = nextPath;
    nextPath = undefined;
    if (name === undefined) {
      const prefix = field(header, 345, 155).toString('utf8');
      const base = field(header, 0, 100).toString('utf8');
      name = prefix ? `${prefix}/${base}` : base;
    }
    if (type === '5' && !name.endsWith('/')) name += '/';
    names.push(name.replace(/^\.\//, ''));
  }
  return names;
}

/** Leaves under `prefix`: files, and directories that nothing else is below (`dir/`), byte-sorted. */
export function leavesUnder(names: readonly string[], prefix: string): string[] {
  const under = names
    .filter((n) => n.startsWith(prefix) && n !== prefix)
    .map((n) => n.slice(prefix.length));
  const set = new Set(under);
  const leaves = under.filter((n) => {
    if (!n.endsWith('/')) return true;
    for (const other of set) if (other !== n && other.startsWith(n)) return false;
    return true;
  });
  return [...new Set(leaves)].sort(byteOrder);
}

export function byteOrder(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

/**
 * Removes images by id only if they have no tag (never with -f): an image still tagged, or the
 * parent of another image, or used by a container, is left alone.
 */
export async function removeUntaggedImages(ids: Iterable<string>): Promise<void> {
  for (const id of new Set(ids)) {
    const r = await docker(['image', 'inspect', '-f', '{{len .RepoTags}}', id]);
    if (r.code !== 0 || r.stdout.trim() !== '0') continue;
    await docker(['rmi', id]);
  }
}

/** Images the harness owns: never removed by a test, whatever a build record says. */
const PROTECTED_IMAGES = new Set(['python:3.11-slim', 'stowage-test/python:3.11']);

/** Removes image tags/ids (ignores ones already gone). Never pass images you did not create. */
export async function removeImages(refs: Iterable<string>): Promise<void> {
  const list = [...new Set(refs)].filter((r) => r && !PROTECTED_IMAGES.has(r) && !r.startsWith('python:'));
  if (!list.length) return;
  const r = await docker(['rmi', '-f', ...list]);
  if (r.code !== 0 && !/No such image/.test(r.stderr)) process.stderr.write(`[e2e] cleanup: docker rmi: ${r.stderr}`);
}
