/**
 * The oci flavor against the real registries of the e2e harness (tooling/e2e/scripts/up.sh):
 * Debian's docker-registry on loopback, open and with htpasswd basic auth. Images are pushed by
 * the docker CLI itself, so the digests compared are the ones `docker push` printed.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError, type FlavorContext } from '@stowage/plugin-api';
import { BearerTokenCache } from '@stowage/oci';
import { OciContainerRegistryConfigSchema } from './config.js';
import { OciContainerRegistry } from './OciContainerRegistry.js';
import { ociContainerRegistryFlavor } from './plugin.js';
import { harnessEnv } from '@stowage/testing';


const env = harnessEnv();
const OPEN = env['STOWAGE_E2E_REGISTRY'] || '127.0.0.1:5000';
const AUTH = env['STOWAGE_E2E_AUTH_REGISTRY'] || '127.0.0.1:5001';
const USER = env['STOWAGE_E2E_REGISTRY_USER'] || 'ciuser';
const PASSWORD = env['STOWAGE_E2E_REGISTRY_PASSWORD'] || 'ci-pass-123';
// The docker.io 20.10 client matches the daemon (a newer client earlier in PATH may not).
const DOCKER = env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
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

// STOWAGE_E2E_READY (pnpm test, after up.sh) or CI: the registries must be there, never skip.
const required = Boolean(env['STOWAGE_E2E_READY'] || env['CI']);
const ready =
  required ||
  ((await status(`http://${OPEN}/v2/`)) === 200 &&
    (await status(`http://${AUTH}/v2/`)) === 401 &&
    (await promisify(execFile)(DOCKER, ['info', '--format', '{{.ServerVersion}}']).then(() => true, () => false)));
if (!ready) {
  console.warn(
    [
      '',
      '!'.repeat(100),
      `!! SKIPPED: container-registry-oci e2e — registries ${OPEN} (open) / ${AUTH} (basic auth) or the`,
      '!! Docker engine do not answer. Start them with: bash tooling/e2e/scripts/up.sh',
      '!! (With CI or STOWAGE_E2E_READY set these tests run and fail instead of skipping.)',
      '!'.repeat(100),
      '',
    ].join('\n'),
  );
}

/** What create() needs from the host: no subprocesses (logins come from files here), a secret sink. */
function flavorContext(projectRoot: string, processEnv: Record<string, string>, secrets: string[] = []): FlavorContext {
  return {
    stackName: 'e2e',
    componentKey: 'container_registry',
    projectRoot,
    runner: { run: () => Promise.reject(new StowageError('no credential helper in this test', { code: 'SUBPROCESS_FAILED' })) },
    env: processEnv,
    secrets: { add: (secret) => void secrets.push(secret) },
  };
}

describe.skipIf(!ready)('OciContainerRegistry against real registries', () => {
  const run = randomBytes(4).toString('hex');
  const repository = `stowage-oci-e2e/img-${run}`;
  const localTag = `stowage-oci-e2e:${run}`;
  const pushed: { open?: string; auth?: string } = {};
  let work = '';
  let loginConfigDir = '';

  const registry = (uri: string, credentials: { username: string; password: string } | null = null) =>
    new OciContainerRegistry({ uri, login: async () => credentials, tokens: new BearerTokenCache() });
  const pushTo = async (host: string, dockerEnv?: Record<string, string>) => {
    await docker(['tag', localTag, `${host}/${repository}:v1`]);
    const output = await docker(['push', `${host}/${repository}:v1`], { env: dockerEnv });
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
    if (!digest) throw new Error(`no digest in the output of docker push:\n${output}`);
    return digest;
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stowage-oci-e2e-'));
    loginConfigDir = join(work, 'docker-config');
    // Unique content, so the digest is new and cannot be present by accident.
    await writeFile(join(work, 'f'), `stowage oci e2e ${run}\n`);
    await writeFile(join(work, 'Dockerfile'), 'FROM scratch\nCOPY f /f\n');
    await docker(['build', '-q', '-t', localTag, work]);
    pushed.open = await pushTo(OPEN);
    // A temporary DOCKER_CONFIG keeps the login out of ~/.docker.
    await docker(['login', AUTH, '-u', USER, '--password-stdin'], { input: PASSWORD, env: { DOCKER_CONFIG: loginConfigDir } });
    pushed.auth = await pushTo(AUTH, { DOCKER_CONFIG: loginConfigDir });
  }, 120_000);

  afterAll(async () => {
    if (!work) return;
    await docker(['rmi', localTag, `${OPEN}/${repository}:v1`, `${AUTH}/${repository}:v1`]).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  it('open registry: present/absent by tag and digest; digest equals what docker push printed', async () => {
    const open = registry(OPEN);
    expect(await open.imageExists(`${OPEN}/${repository}:v1`)).toBe('present');
    expect(await open.imageExists(`${OPEN}/${repository}:v2`)).toBe('absent');
    expect(await open.imageExists(`${OPEN}/${repository}@${pushed.open}`)).toBe('present');
    expect(await open.imageExists(`${OPEN}/${repository}@sha256:${'0'.repeat(64)}`)).toBe('absent');
    expect(await open.imageExists(`${OPEN}/stowage-oci-e2e/never-pushed-${run}:v1`)).toBe('absent');
    expect(await open.resolveDigest(`${OPEN}/${repository}:v1`)).toBe(pushed.open);
  });

  it('basic-auth registry with username/password: present/absent, same digest as on the open registry', async () => {
    const auth = registry(AUTH, { username: USER, password: PASSWORD });
    expect(await auth.imageExists(`${AUTH}/${repository}:v1`)).toBe('present');
    expect(await auth.imageExists(`${AUTH}/${repository}:v2`)).toBe('absent');
    expect(await auth.imageExists(`${AUTH}/${repository}@${pushed.auth}`)).toBe('present');
    expect(await auth.resolveDigest(`${AUTH}/${repository}:v1`)).toBe(pushed.auth);
    expect(pushed.auth).toBe(pushed.open);
  });

  it('basic-auth registry with a wrong password or no login: unknown, never present', async () => {
    expect(await registry(AUTH, { username: USER, password: 'not-the-password' }).imageExists(`${AUTH}/${repository}:v1`)).toBe('unknown');
    expect(await registry(AUTH).imageExists(`${AUTH}/${repository}:v1`)).toBe('unknown');
    await expect(registry(AUTH).resolveDigest(`${AUTH}/${repository}:v1`)).rejects.toMatchObject({ code: 'REGISTRY_FAILED' });
  });

  it('reads the login from a Docker config file given as docker_config (created through the flavor)', async () => {
    const file = join(work, 'written-by-test.json');
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await writeFile(file, JSON.stringify({ auths: { [`http://${AUTH}`]: { auth } } }));
    const config = OciContainerRegistryConfigSchema.parse({ uri: `${AUTH}/`, docker_config: file });
    const secrets: string[] = [];
    const created = await ociContainerRegistryFlavor.create(config, flavorContext(work, { HOME: work }, secrets), {});
    expect(await created.auth({ repository, actions: ['pull', 'push'] })).toEqual({ type: 'basic', username: USER, password: PASSWORD });
    expect(secrets).toEqual([PASSWORD]);
    expect(await created.imageExists(`${AUTH}/${repository}:v1`)).toBe('present');
  });

  it('reads the login `docker login` itself wrote, via $DOCKER_CONFIG', async () => {
    const created = OciContainerRegistry.fromConfig(
      OciContainerRegistryConfigSchema.parse({ uri: AUTH }),
      flavorContext(work, { DOCKER_CONFIG: loginConfigDir, HOME: work }),
    );
    expect(await created.resolveDigest(`${AUTH}/${repository}:v1`)).toBe(pushed.auth);
  });
});
