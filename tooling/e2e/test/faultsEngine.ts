/**
 * A second, test-owned Docker engine for the engine-kill test: its own socket, --data-root,
 * --exec-root and pid file under a temp folder, and its own bridge (a test-created one, never
 * `--bridge none`, which would delete the shared engine's docker0; no iptables or masquerading,
 * so the shared engine's network is never touched). Only the processes it started are stopped,
 * by pid.
 */
import { execFileSync, spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eDockerCli } from '../src/harness.js';
import { uniqueSuffix } from './projects.js';

export class SecondEngine {
  private pid = 0;

  private constructor(
    readonly root: string,
    readonly bridge: string,
    /** Its containers' cgroups go under this parent, so leftovers are found as ours. */
    readonly cgroupParent: string,
  ) {}

  get socket(): string {
    return `unix://${join(this.root, 'docker.sock')}`;
  }

  /** Creates the bridge and starts the engine; resolves once it answers. */
  static async start(): Promise<SecondEngine> {
    const suffix = uniqueSuffix();
    const engine = new SecondEngine(await mkdtemp(join(tmpdir(), 'stowage-e2e-engine-')), `stowf${suffix}`, `/stowage-e2e-engine-${suffix}`);
    execFileSync('ip', ['link', 'add', engine.bridge, 'type', 'bridge']);
    execFileSync('ip', ['addr', 'add', `10.254.${parseInt(suffix.slice(0, 2), 16)}.1/24`, 'dev', engine.bridge]);
    execFileSync('ip', ['link', 'set', engine.bridge, 'up']);
    await engine.run();
    return engine;
  }

  private async run(): Promise<void> {
    const log = openSync(join(this.root, 'dockerd.log'), 'a');
    const child = spawn(
      'dockerd',
      ['--host', this.socket, '--data-root', join(this.root, 'data'), '--exec-root', join(this.root, 'exec'), '--pidfile', join(this.root, 'docker.pid'), '--bridge', this.bridge, '--cgroup-parent', this.cgroupParent, '--iptables=false', '--ip-masq=false', '--ip-forward=false'],
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.unref();
    this.pid = child.pid!;
    for (let i = 0; i < 200; i++) {
      if (this.docker(['version']).ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the second engine did not start:\n${readFileSync(join(this.root, 'dockerd.log'), 'utf8').slice(-2000)}`);
  }

  docker(args: readonly string[], input?: Buffer): { ok: boolean; stdout: string } {
    try {
      return { ok: true, stdout: execFileSync(e2eDockerCli(), ['-H', this.socket, ...args], { input, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 }).toString() };
    } catch {
      return { ok: false, stdout: '' };
    }
  }

  /** Copies an image of the shared engine into this one (`docker save | docker load`). */
  loadImage(image: string): void {
    const tar = execFileSync(e2eDockerCli(), ['save', image], { maxBuffer: 256 * 1024 * 1024 });
    if (!this.docker(['load'], tar).ok) throw new Error(`could not load ${image} into the second engine`);
  }

  /** The fault: the engine dies at once, as on an OOM kill or a crash. */
  kill(): void {
    process.kill(this.pid, 'SIGKILL');
  }

  /**
   * Stops what it started: the engine by pid (SIGTERM) if it still runs; after a kill, the
   * container shims it left (processes naming its folder). Then its mounts, cgroups, bridge and
   * folder. A killed build's container runs `sleep` for a few seconds more and then exits.
   */
  async destroy(): Promise<void> {
    if (alive(this.pid)) {
      process.kill(this.pid, 'SIGTERM');
      for (let i = 0; i < 150 && alive(this.pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    for (const pid of processesNaming(this.root)) process.kill(pid, 'SIGKILL');
    for (const mount of mountsUnder(this.root).reverse()) execFileSync('umount', ['-l', mount]);
    execFileSync('ip', ['link', 'del', this.bridge]);
    await rm(this.root, { recursive: true, force: true });
    removeCgroups(this.cgroupParent);
  }
}

/** Processes whose command line names `root` (the engine's containerd and shims). */
function processesNaming(root: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(root);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Empty cgroups under `parent` (v1: in each controller; v2: the unified tree); busy ones stay. */
function removeCgroups(parent: string): void {
  const roots = ['/sys/fs/cgroup', ...readdirSync('/sys/fs/cgroup').map((c) => `/sys/fs/cgroup/${c}`)];
  for (const base of roots) {
    const dir = `${base}${parent}`;
    let children: string[] = [];
    try {
      children = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${dir}/${d.name}`);
    } catch {
      continue;
    }
    for (const d of [...children, dir]) {
      try {
        rmdirSync(d);
      } catch {
        // still in use (a container process not yet exited) or not ours to remove
      }
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function mountsUnder(root: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${root}/`));
}
