import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The e2e harness's loopback registries (`tooling/e2e/scripts/up.sh`): one open, one with basic auth. */
export const OPEN_REGISTRY = process.env['STOWAGE_E2E_REGISTRY'] ?? '127.0.0.1:5000';
export const AUTH_REGISTRY = process.env['STOWAGE_E2E_AUTH_REGISTRY'] ?? '127.0.0.1:5001';
export const AUTH_CREDENTIALS = { username: process.env['STOWAGE_E2E_REGISTRY_USER'] ?? 'ciuser', password: process.env['STOWAGE_E2E_REGISTRY_PASSWORD'] ?? 'ci-pass-123' };

async function status(url: string): Promise<number> {
  return fetch(url).then((r) => r.status, () => 0);
}

/**
 * Whether the engine, the base image and both loopback registries are there, for a package's own
 * e2e tests. With STOWAGE_E2E_READY (after up.sh) or CI they must be: the tests run and fail
 * instead of skipping. Elsewhere a missing piece is a loud skip naming `what`.
 */
export async function engineReady(what: string): Promise<boolean> {
  if (process.env['STOWAGE_E2E_READY'] || process.env['CI']) return true;
  const docker = await promisify(execFile)('docker', ['image', 'inspect', 'python:3.11-slim']).then(() => true, () => false);
  const ready = docker && (await status(`http://${OPEN_REGISTRY}/v2/`)) === 200 && (await status(`http://${AUTH_REGISTRY}/v2/`)) === 401;
  if (!ready) {
    const bar = '!'.repeat(100);
    console.warn(`\n${bar}\n!! SKIPPED: ${what} e2e — the Docker engine, python:3.11-slim or the loopback registries are missing.\n!! Start them with: bash tooling/e2e/scripts/up.sh (with CI or STOWAGE_E2E_READY set these tests fail instead)\n${bar}\n`);
  }
  return ready;
}

/** Removes local images a test's builds tagged on the engine. */
export async function removeLocalImages(names: readonly string[]): Promise<void> {
  if (names.length) await promisify(execFile)('docker', ['rmi', '-f', ...names]).catch(() => undefined);
}

/** The digest the registry serves for `host:port/repository:tag` (HEAD on the manifest, with basic auth when given). */
export async function registryDigest(reference: string, credentials?: { username: string; password: string }): Promise<string | undefined> {
  const [, host, repository, tag] = /^([^/]+)\/(.+):([^:/]+)$/.exec(reference)!;
  const accept = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json'].join(', ');
  const basic: Record<string, string> = credentials ? { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` } : {};
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept, ...basic } });
  return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}
