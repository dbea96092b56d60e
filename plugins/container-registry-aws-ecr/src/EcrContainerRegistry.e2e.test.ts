/**
 * A real push with the ECR emulator's login: Debian's docker-registry on a free loopback port,
 * with an htpasswd user `AWS` whose password is the token the emulator hands out, is the stack's
 * registry (`uri: 127.0.0.1:<port>`, `region`, `endpoint`: an ECR host cannot be reached from
 * here). The docker CLI logs in with what the plugin's `auth()` returned and pushes; then the
 * plugin finds the image and its digest through the distribution API.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HtpasswdRegistry, type EcrEmulator } from '@stowage/aws-ecr-emulator';
import { configFor, flavorContext, startEmulator } from './__fixtures__/ecrBed.js';
import type { EcrContainerRegistry } from './EcrContainerRegistry.js';
import { ecrContainerRegistryFlavor } from './plugin.js';
import { harnessEnv } from '@stowage/testing';


const env = harnessEnv();
// The docker.io 20.10 client matches the daemon (a newer client earlier in PATH may not).
const DOCKER = env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const succeeds = (file: string, args: string[]) => promisify(execFile)(file, args).then(() => true, () => false);

// STOWAGE_E2E_READY (pnpm test, after up.sh) or CI: the engine and docker-registry must be there, never skip.
const required = Boolean(env['STOWAGE_E2E_READY'] || env['CI']);
const ready = required || ((await succeeds(DOCKER, ['info', '--format', '{{.ServerVersion}}'])) && (await succeeds('sh', ['-c', 'command -v docker-registry && command -v htpasswd'])));
if (!ready) {
  console.warn(
    `\n${'!'.repeat(100)}\n!! SKIPPED: container-registry-aws-ecr e2e — no Docker engine, docker-registry or htpasswd here.\n` +
      `!! Start them with: bash tooling/e2e/scripts/up.sh (with CI or STOWAGE_E2E_READY set these tests fail instead).\n${'!'.repeat(100)}\n`,
  );
}

function docker(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`docker ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

describe.skipIf(!ready)('aws-ecr: docker push with the emulator token, then existence and digest through the plugin', () => {
  const run = randomBytes(4).toString('hex');
  const repository = `stowage-ecr-e2e/app-${run}`;
  const localTag = `stowage-ecr-e2e-local:${run}`;
  const token = `ecr-token-${randomBytes(12).toString('hex')}`;
  let registry: HtpasswdRegistry;
  let emulator: EcrEmulator;
  let ecr: EcrContainerRegistry;
  let work = '';
  let pushedTag = '';
  let pushedDigest = '';

  const create = async (target: EcrEmulator, secrets: string[] = []) =>
    (await ecrContainerRegistryFlavor.create(configFor(target, { uri: registry.address, region: 'us-east-1' }), flavorContext(secrets), {})) as EcrContainerRegistry;

  beforeAll(async () => {
    registry = await HtpasswdRegistry.start({ password: token });
    emulator = await startEmulator({ address: registry.address, password: token });
    ecr = await create(emulator);
    work = await mkdtemp(join(tmpdir(), 'stowage-ecr-e2e-'));
    await writeFile(join(work, 'Dockerfile'), 'FROM scratch\nCOPY id /id\n');
    await writeFile(join(work, 'id'), `${run}\n`);
    await docker(['build', '-q', '-t', localTag, work]);

    await ecr.prepareRepository(repository);
    const login = await ecr.auth({ repository, actions: ['pull', 'push'] });
    if (login.type !== 'basic') throw new Error(`expected a basic login, got ${login.type}`);
    // A temporary DOCKER_CONFIG keeps the login out of ~/.docker.
    const dockerEnv = { DOCKER_CONFIG: join(work, 'docker-config') };
    await docker(['login', registry.address, '-u', login.username, '--password-stdin'], { input: login.password, env: dockerEnv });
    pushedTag = `${registry.address}/${repository}:v1`;
    await docker(['tag', localTag, pushedTag]);
    const output = await docker(['push', pushedTag], { env: dockerEnv });
    pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1] ?? '';
    if (!pushedDigest) throw new Error(`no digest in the output of docker push:\n${output}`);
  }, 180_000);

  afterAll(async () => {
    if (pushedTag || localTag) await docker(['rmi', localTag, ...(pushedTag ? [pushedTag] : [])]).catch(() => undefined);
    await emulator?.stop();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('created the repository in ECR before the push', () => {
    expect(emulator.repositories.names()).toContain(repository);
  });

  it('finds the pushed image by tag and digest, with the digest docker push printed', async () => {
    expect(await ecr.imageExists(`${registry.address}/${repository}:v1`)).toBe('present');
    expect(await ecr.imageExists(`${registry.address}/${repository}@${pushedDigest}`)).toBe('present');
    expect(await ecr.resolveDigest(`${registry.address}/${repository}:v1`)).toBe(pushedDigest);
  });

  it('says absent for a tag never pushed', async () => {
    expect(await ecr.imageExists(`${registry.address}/${repository}:never-${run}`)).toBe('absent');
    expect(await ecr.resolveDigest(`${registry.address}/${repository}:never-${run}`)).toBeUndefined();
  });

  it('cannot see the image with a token the registry does not accept (the login is really checked)', async () => {
    const other = await startEmulator({ address: registry.address, password: 'not-the-registry-password' });
    try {
      const stranger = await create(other);
      expect(await stranger.imageExists(`${registry.address}/${repository}:v1`)).toBe('unknown');
    } finally {
      await other.stop();
    }
  });
});
