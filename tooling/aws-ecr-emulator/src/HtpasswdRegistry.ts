import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface HtpasswdRegistryOptions {
  /** The one user the registry accepts (default `AWS`, as ECR's logins). */
  username?: string;
  password: string;
  /** Folder for config, htpasswd and blobs (default: a new temporary folder, removed on stop). */
  dir?: string;
}

/**
 * A real Debian `docker-registry` (distribution 2.8) on a free 127.0.0.1 port, with basic auth
 * for one htpasswd user: the registry an ECR emulator's tokens open. Stopped by its own pid.
 */
export class HtpasswdRegistry {
  private constructor(
    readonly address: string,
    readonly username: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly ownsDir: boolean,
  ) {}

  static async start(options: HtpasswdRegistryOptions): Promise<HtpasswdRegistry> {
    const username = options.username ?? 'AWS';
    const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'stowage-ecr-registry-')));
    const port = await freeLoopbackPort();
    // bcrypt, the only hash distribution's htpasswd accepts.
    const { stdout } = await run('htpasswd', ['-Bbn', username, options.password]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    await writeFile(join(dir, 'config.yml'), registryConfig(dir, port));
    const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const registry = new HtpasswdRegistry(`127.0.0.1:${port}`, username, child, dir, options.dir === undefined);
    await registry.waitUntilUp(child);
    return registry;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }

  /** `/v2/` answers 401 once it serves (basic auth is on). */
  private async waitUntilUp(child: ChildProcess): Promise<void> {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`);
      const status = await fetch(`http://${this.address}/v2/`).then((r) => r.status, () => 0);
      if (status === 401) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.stop();
    throw new Error(`docker-registry on ${this.address} did not come up in 10 s: ${stderr}`);
  }
}

function registryConfig(dir: string, port: number): string {
  return [
    'version: 0.1',
    'log: {level: warn, accesslog: {disabled: true}}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: 127.0.0.1:${port}, secret: stowage-ecr-not-a-secret}`,
    `auth: {htpasswd: {realm: stowage-ecr, path: ${join(dir, 'htpasswd')}}}`,
    '',
  ].join('\n');
}

/** A port the kernel just handed out and took back (docker-registry cannot listen on port 0 and say which). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
