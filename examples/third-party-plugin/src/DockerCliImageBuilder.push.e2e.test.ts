import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createContextArchive } from '@stowage/core';
import { StowageError, type ContainerRegistry, type RegistryAuth } from '@stowage/plugin-api';
import { DockerCliBuilderConfigSchema } from './config.js';
import { DockerCliImageBuilder } from './DockerCliImageBuilder.js';

// The loopback registry with basic auth that tooling/e2e/scripts/registry.sh starts.
const REGISTRY = '127.0.0.1:5001';
const CREDENTIALS = { username: 'ciuser', password: 'ci-pass-123' };
const RUN = randomUUID().slice(0, 8);

async function registryAnswers(): Promise<boolean> {
  return fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.status === 401, () => false);
}
const dockerAnswers = (() => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();
const ready = dockerAnswers && (await registryAnswers());
if (!ready && process.env.CI) throw new Error(`CI: the docker CLI or the registry at ${REGISTRY} is missing (tooling/e2e/scripts/up.sh starts both)`);
if (!ready) console.warn(`\n!!! no docker engine or registry at ${REGISTRY}: SKIPPING the docker-cli push e2e test (bash tooling/e2e/scripts/up.sh) !!!\n`);

const basicAuthorization = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
const MANIFEST_TYPES = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

const registryAnswering = (answer: RegistryAuth) => {
  const registry: ContainerRegistry = { auth: async () => answer, imageExists: async () => 'unknown', resolveDigest: async () => undefined };
  return { flavor: 'fake', description: { uri: '127.0.0.1:5001' }, get: async () => registry };
};

describe.runIf(ready)('docker-cli builder pushes to a registry with basic auth', () => {
  const image = `${REGISTRY}/stowage-test/docker-cli:${RUN}`;
  const config = DockerCliBuilderConfigSchema.parse({});
  let pushed: string | undefined;
  afterAll(async () => {
    execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    if (pushed) await fetch(`http://${REGISTRY}/v2/stowage-test/docker-cli/manifests/${pushed}`, { method: 'DELETE', headers: { Authorization: basicAuthorization } }).catch(() => undefined);
  });

  it('builds, pushes with the login passed through DOCKER_CONFIG, and returns the digest the registry serves', async () => {
    const builder = new DockerCliImageBuilder(config, registryAnswering({ type: 'basic', ...CREDENTIALS }));
    const files = [{ path: 'Dockerfile', content: 'FROM scratch\nCOPY id /id\n' }, { path: 'id', content: `${RUN}\n` }];
    const context = { open: () => createContextArchive({ selection: null, extraFiles: files }), digest: async () => 'sha256:unused' };
    const signal = new AbortController().signal;
    await builder.build({ imageName: image, context, options: { labels: { run: RUN } }, builderOptions: {}, push: false, signal, onEvent: () => {} });
    const pushLines: string[] = [];
    const { digest } = await builder.push({ imageName: image, signal, onEvent: (e) => e.type === 'push' && pushLines.push(e.message) });
    pushed = digest;
    const served = await fetch(`http://${REGISTRY}/v2/stowage-test/docker-cli/manifests/${RUN}`, {
      method: 'HEAD',
      headers: { Authorization: basicAuthorization, Accept: MANIFEST_TYPES },
    });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).toBe(served.headers.get('docker-content-digest'));
    expect(pushLines.join('\n')).not.toContain(CREDENTIALS.password);
  }, 60_000);

  it('fails with REGISTRY_FAILED on a wrong password, without showing it', async () => {
    const builder = new DockerCliImageBuilder(config, registryAnswering({ type: 'basic', username: 'ciuser', password: 'wrong-secret-value' }));
    const error = await builder.push({ imageName: image, signal: new AbortController().signal, onEvent: () => {} }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
    expect((error as StowageError).format()).toMatch(/unauthorized|authentication required|denied/i);
    expect((error as StowageError).format()).not.toContain('wrong-secret-value');
  }, 60_000);
});
