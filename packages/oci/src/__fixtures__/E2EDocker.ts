import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { extract } from 'tar-stream';
import type { E2ERegistries } from './e2eRegistries.js';

/** What `docker export` shows of a file. */
export interface ExportedFile {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  content: string;
}

/**
 * Docker itself, for the e2e tests that prove an image the registry holds is a real one, and the
 * clean-up of what those tests leave: manifests pushed (the registry allows deletes) and images
 * pulled (only ours, by the reference we pulled).
 */
export class E2EDocker {
  private readonly pushed: [host: string, repository: string, digest: string][] = [];
  private readonly pulled: string[] = [];
  private containers = 0;

  constructor(
    private readonly registries: E2ERegistries,
    private readonly run: string,
  ) {}

  async cli(...args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(this.registries.docker, args, { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  async assertEngine(): Promise<void> {
    if (!(await this.cli('info', '--format', '{{.ServerVersion}}').then(() => true, () => false))) {
      throw new Error('no Docker engine answers: run bash tooling/e2e/scripts/up.sh');
    }
  }

  /** Remembers a manifest to delete after the tests. */
  pushedManifest(host: string, repository: string, digest: string): string {
    this.pushed.push([host, repository, digest]);
    return digest;
  }

  async pull(reference: string): Promise<void> {
    this.pulled.push(reference);
    await this.cli('pull', '-q', reference);
  }

  async inspect(reference: string): Promise<{ Config: Record<string, unknown>; RootFS: { Layers: string[] }; Created: string; Architecture: string }> {
    return JSON.parse(await this.cli('image', 'inspect', '--format', '{{json .}}', reference)) as never;
  }

  /** The files of a container created from the image (`docker create` + `docker export`), by path. */
  async exportedFiles(reference: string): Promise<Map<string, ExportedFile>> {
    const name = `stowage-oci-e2e-${this.run}-${++this.containers}`;
    // The test images have no shell and no command: the container is only created, never started.
    await this.cli('create', '--name', name, reference, '/never-run');
    try {
      const { stdout } = await promisify(execFile)(this.registries.docker, ['export', name], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 90_000 });
      return await filesOfTar(stdout);
    } finally {
      await this.cli('rm', '-f', name).catch(() => undefined);
    }
  }

  async cleanUp(): Promise<void> {
    for (const reference of this.pulled) await this.cli('rmi', reference).catch(() => undefined);
    for (const [host, repository, digest] of this.pushed) {
      const headers: Record<string, string> = {};
      if (host === this.registries.auth) headers['Authorization'] = `Basic ${Buffer.from(`${this.registries.username}:${this.registries.password}`).toString('base64')}`;
      await fetch(`http://${host}/v2/${repository}/manifests/${digest}`, { method: 'DELETE', headers }).catch(() => undefined);
    }
  }
}

async function filesOfTar(tar: Buffer): Promise<Map<string, ExportedFile>> {
  const files = new Map<string, ExportedFile>();
  const entries = extract();
  entries.end(tar);
  for await (const entry of entries) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const { name, type, mode, uid, gid } = entry.header;
    files.set(name.replace(/^\.?\//, '').replace(/\/$/, ''), { type, mode: mode & 0o7777, uid, gid, content: Buffer.concat(chunks).toString() });
  }
  return files;
}
