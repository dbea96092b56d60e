/**
 * Node side of the e2e harness: run `scripts/up.sh` / `scripts/down.sh` and read
 * the environment they describe (`$STOWAGE_E2E_STATE/env`).
 *
 * No dependencies beyond Node 20's standard library; used from vitest global
 * setups and from `tsx` scripts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface E2EEnv {
  /** Registry without auth, `host:port` (127.0.0.1:5000). */
  registry: string;
  /** Registry with htpasswd basic auth, `host:port` (127.0.0.1:5001). */
  authRegistry: string;
  registryUser: string;
  registryPassword: string;
  /** PEP 503 index URL (http://127.0.0.1:18080/simple); `docker build` needs `--network host` to reach it. */
  pyIndex: string;
  /** Local image tag to build FROM (python:3.11-slim). */
  baseImage: string;
  /** True when `baseImage` is the locally built Debian image (no Docker Hub). */
  baseOffline: boolean;
  /** Set only when DOCKER_HOST was set for up.sh. */
  dockerHost?: string;
}

export interface RunOptions {
  /** Receives every progress line (stdout and stderr) of the script; default: write to process.stderr. */
  onLine?: (line: string) => void;
}

/** Absolute path of `tooling/e2e/scripts`. */
export function e2eScriptsDir(): string {
  return fileURLToPath(new URL('../scripts', import.meta.url));
}

/** The harness state directory (`$STOWAGE_E2E_STATE`, default /tmp/stowage-e2e). */
export function e2eStateDir(): string {
  return process.env['STOWAGE_E2E_STATE'] || '/tmp/stowage-e2e';
}

/** The docker CLI the harness uses: /usr/bin/docker (docker.io 20.10, built-in BuildKit) if present, else `docker`. */
export function e2eDockerCli(): string {
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
}

function runScript(script: string, args: string[], opts: RunOptions = {}): Promise<void> {
  const onLine = opts.onLine ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const file = join(e2eScriptsDir(), script);
  return new Promise<void>((resolve, reject) => {
    // stdin closed (CI has none); the daemons the scripts start redirect their
    // own output to log files, so the pipes close when the script exits.
    const child = spawn('bash', [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const tail = new LastLines(30);
    const emit = (line: string): void => {
      tail.push(line);
      onLine(line);
    };
    pipeLines(child.stdout, emit);
    pipeLines(child.stderr, emit);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${script} ${args.join(' ')} failed (${signal ? `signal ${signal}` : `exit ${code}`}):\n${tail.text()}`,
          ),
        );
    });
  });
}

/** The last `max` lines seen, for the error message of a failed script. */
class LastLines {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

/** Calls `emit` with each line of `stream`, and with a last line that has no newline. */
function pipeLines(stream: NodeJS.ReadableStream, emit: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      emit(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (buf) emit(buf);
    buf = '';
  });
}

/** Parse `export KEY='value'` lines as written by up.sh (single-quoted, `'\''` escapes). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!;
    const rest = m[2]!;
    let value = '';
    let i = 0;
    while (i < rest.length) {
      const ch = rest[i]!;
      if (ch === "'") {
        const end = rest.indexOf("'", i + 1);
        if (end < 0) throw new Error(`unterminated quote in env line: ${line}`);
        value += rest.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '\\' && i + 1 < rest.length) {
        value += rest[i + 1];
        i += 2;
      } else {
        value += ch;
        i += 1;
      }
    }
    out[key] = value;
  }
  return out;
}

/** Read `$STOWAGE_E2E_STATE/env` written by a previous up.sh (e.g. from a global setup). */
export async function readE2EEnv(): Promise<E2EEnv> {
  const path = join(e2eStateDir(), 'env');
  const vars = parseEnvFile(await readFile(path, 'utf8'));
  const need = (k: string): string => {
    const v = vars[k];
    if (v === undefined || v === '') throw new Error(`${path}: ${k} is missing`);
    return v;
  };
  const env: E2EEnv = {
    registry: need('STOWAGE_E2E_REGISTRY'),
    authRegistry: need('STOWAGE_E2E_AUTH_REGISTRY'),
    registryUser: need('STOWAGE_E2E_REGISTRY_USER'),
    registryPassword: need('STOWAGE_E2E_REGISTRY_PASSWORD'),
    pyIndex: need('STOWAGE_E2E_PYINDEX'),
    baseImage: need('STOWAGE_E2E_BASE_IMAGE'),
    baseOffline: need('STOWAGE_E2E_BASE_OFFLINE') === '1',
  };
  const dockerHost = vars['DOCKER_HOST'];
  if (dockerHost) env.dockerHost = dockerHost;
  return env;
}

/**
 * Make sure the engine, both registries, the base image and the Python index
 * are up (runs scripts/up.sh; idempotent), then return what the tests need.
 * A first run on a fresh machine can take ~1-2 min (apt + debootstrap); use a
 * generous hook timeout.
 */
export async function setUpE2E(opts: RunOptions = {}): Promise<E2EEnv> {
  await runScript('up.sh', [], opts);
  return readE2EEnv();
}

/** Stop what setUpE2E started (scripts/down.sh; services it did not start are left alone). */
export async function tearDownE2E(opts: RunOptions = {}): Promise<void> {
  await runScript('down.sh', [], opts);
}

/** True when a Docker engine answers `docker info` (respects DOCKER_HOST) within 10 s. */
export function dockerAvailable(): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let child;
    try {
      child = spawn(e2eDockerCli(), ['info', '--format', '{{.ServerVersion}}'], {
        stdio: 'ignore',
        timeout: 10_000,
      });
    } catch {
      resolve(false);
      return;
    }
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}
