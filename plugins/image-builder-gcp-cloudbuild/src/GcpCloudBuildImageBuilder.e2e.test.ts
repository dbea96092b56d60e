import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { buildRequest, CloudBuildBed, logLines, LoopbackRegistry, PROJECT } from './__fixtures__/cloudBuildBed.js';
import { AUTH_CREDENTIALS, AUTH_REGISTRY, e2eReady, OPEN_REGISTRY, removeImages } from './__fixtures__/e2eGate.js';

const RUN_ID = randomBytes(4).toString('hex');
const ready = await e2eReady();

async function failureOf(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

/** Host processes whose command line contains `text` (a zombie counts as gone). */
function processesWith(text: string): number[] {
  return readdirSync('/proc').flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return cmdline.includes(text) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

const runningContainerCommands = async () => (await promisify(execFile)('docker', ['ps', '--no-trunc', '--format', '{{.Command}}'])).stdout;

// The emulator cannot pull gcr.io/cloud-builders/docker: the steps' `docker` is the host's, on the
// local engine, pushing to the loopback registries. RUN reaches loopback with `network: host`.
describe.runIf(ready)('gcp-cloudbuild builds and pushes through the emulator (docker builder as the host docker)', () => {
  let bed: CloudBuildBed;
  const tagged: string[] = [];
  beforeAll(async () => {
    // Cloud Build's service account is authorised for the `gcp` registry (the loopback registry with auth stands in).
    bed = await CloudBuildBed.start([{ registry: AUTH_REGISTRY, ...AUTH_CREDENTIALS }]);
  });
  afterAll(async () => {
    await bed?.stop();
    await removeImages(tagged);
  });

  const temporarySecrets = () => bed.emulator.secretManager.names().filter((n) => n.startsWith(`projects/${PROJECT}/secrets/stowage-cloudbuild-`));
  const secretOps = (from: number) => bed.emulator.calls.slice(from).filter((c) => c.service === 'secretmanager').map((c) => `${c.method} ${c.path.replace(/stowage-cloudbuild-[0-9a-f-]{36}/, '<temporary>')} ${c.status}`);
  const TEMPORARY_OPS = [`POST /v1/projects/${PROJECT}/secrets 200`, `POST /v1/projects/${PROJECT}/secrets/<temporary>:addVersion 200`, `DELETE /v1/projects/${PROJECT}/secrets/<temporary> 200`];
  const basicRegistry = () => new LoopbackRegistry({ type: 'basic', ...AUTH_CREDENTIALS });

  it('builds a staged tar.gz, logs in to another registry with the password Cloud Build reads from a temporary Secret Manager secret (deleted after), and returns the digest Cloud Build reports — the registry\'s', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}`;
    tagged.push(imageName);
    const registry = basicRegistry();
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nARG GREETING\nRUN echo "greeting=$GREETING"\n' });
    const request = buildRequest(imageName, staged, { options: { buildArgs: { GREETING: 'costs $5' }, labels: { 'org.example': 'x' } } });
    const calls = bed.emulator.calls.length;
    const result = await bed.builder(registry, { service_account_key: bed.account.keyJson, access_token: undefined }).build(request);
    expect(result.imageName).toBe(imageName);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(registry.prepared).toEqual(['stowage-test/cloudbuild']);
    const build = bed.lastBuild();
    expect(build.options.spec.steps.map((s) => s.id)).toEqual(['login', 'build', 'push']);
    expect(build.options.spec.steps[1]!.args).toEqual(['build', '--network=host', '-t', imageName, '--build-arg', 'GREETING=costs $5', '--label', 'org.example=x', '.']);
    // Secret Manager got the password (as the builder's service account) and lost it again; Cloud Build only its version's name.
    expect(secretOps(calls)).toEqual(TEMPORARY_OPS);
    expect(bed.emulator.calls.find((c) => c.method === 'POST' && c.path.endsWith(':addVersion') && c.principal === bed.account.email)?.body).toContain(Buffer.from(AUTH_CREDENTIALS.password).toString('base64'));
    expect(temporarySecrets()).toEqual([]);
    expect(build.options.spec.availableSecrets).toEqual([{ versionName: expect.stringMatching(/^projects\/\d{12}\/secrets\/stowage-cloudbuild-[0-9a-f-]{36}\/versions\/1$/), env: 'STOWAGE_REGISTRY_PASSWORD' }]);
    expect(bed.emulator.cloudBuildTranscript()).not.toContain(AUTH_CREDENTIALS.password);
    const lines = logLines(request);
    expect(lines).toEqual(expect.arrayContaining(['Step #0 - "login": Login Succeeded', 'Step #1 - "build": greeting=costs $5', 'PUSH', 'DONE']));
    expect(lines.join('\n')).not.toContain(AUTH_CREDENTIALS.password);
    expect(lines).toEqual(bed.emulator.logLines(build.id));
    expect(request.events).toContainEqual({ type: 'status', message: expect.stringMatching(/^the registry password reaches Cloud Build as the Secret Manager version projects\/\d+\/secrets\/stowage-cloudbuild-[0-9a-f-]{36}\/versions\/1, deleted when the build ends$/) });
  }, 180_000);

  it('with registry_username_secret / registry_password_secret, Cloud Build reads the whole login from Secret Manager: the registry is not asked, no secret is created, no password in what Cloud Build saw', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-sm`;
    tagged.push(imageName);
    bed.emulator.secretManager.add(PROJECT, `registry-user-${RUN_ID}`, AUTH_CREDENTIALS.username);
    bed.emulator.secretManager.add(PROJECT, `registry-password-${RUN_ID}`, AUTH_CREDENTIALS.password);
    const registry = basicRegistry();
    const calls = bed.emulator.calls.length;
    const request = buildRequest(imageName, await bed.stage({ Dockerfile: `FROM python:3.11-slim\nRUN echo from-secret-${RUN_ID}\n` }));
    const result = await bed.builder(registry, { registry_username_secret: `registry-user-${RUN_ID}`, registry_password_secret: `projects/${PROJECT}/secrets/registry-password-${RUN_ID}/versions/1` }).build(request);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(registry.scopes).toEqual([]);
    expect(secretOps(calls)).toEqual([]);
    expect(bed.lastBuild().options.spec.steps[0]!.secretEnv).toEqual(['STOWAGE_REGISTRY_USERNAME', 'STOWAGE_REGISTRY_PASSWORD']);
    expect(bed.emulator.cloudBuildTranscript()).not.toContain(AUTH_CREDENTIALS.password);
    expect(logLines(request)).toContain('Step #0 - "login": Login Succeeded');
  }, 180_000);

  it('a temporary secret it could not delete after a successful build is a warning naming the gcloud command that deletes it', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-left`;
    tagged.push(imageName);
    bed.emulator.secretManager.deny('secretmanager.secrets.delete', 'stowage-cloudbuild-');
    try {
      const request = buildRequest(imageName, await bed.stage({ Dockerfile: 'FROM python:3.11-slim\n' }));
      const result = await bed.builder(basicRegistry()).build(request);
      expect(result.digest).toMatch(/^sha256:/);
      const [left] = temporarySecrets();
      const id = left!.slice(left!.lastIndexOf('/') + 1);
      expect(request.events).toContainEqual({ type: 'status', message: expect.stringMatching(new RegExp(`^warning: the temporary Secret Manager secret ${left} could not be deleted \\(HTTP 403: .*\\): delete it with \`gcloud secrets delete ${id} --project=${PROJECT} --quiet\`$`)) });
    } finally {
      bed.emulator.secretManager.allowAll();
      for (const name of temporarySecrets()) await (await bed.apis.at(-1)!.secretManager()).deleteSecret(name);
    }
  }, 180_000);

  it('pushes to a `gcp` registry without a login step, as a regional build (projects/*/locations/*)', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-gcp`;
    tagged.push(imageName);
    const registry = new LoopbackRegistry({ type: 'basic', ...AUTH_CREDENTIALS });
    const staged = await bed.stage({ Dockerfile: `FROM python:3.11-slim\nRUN echo built-${RUN_ID}\n` });
    const request = buildRequest(imageName, staged);
    const result = await bed.builder(registry, { location: 'europe-west1' }, 'gcp').build(request);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(registry.scopes).toEqual([]);
    expect(bed.lastBuild().options.spec.steps.map((s) => s.id)).toEqual(['build', 'push']);
    expect(bed.emulator.calls.filter((c) => c.method === 'POST').at(-1)?.path).toBe(`/v1/projects/${PROJECT}/locations/europe-west1/builds`);
    expect(logLines(request)).toContain(`Step #0 - "build": built-${RUN_ID}`);
    expect(request.events).toEqual(expect.arrayContaining([{ type: 'step', step: 'Cloud Build Step #0 - "build"' }, { type: 'step', step: 'Cloud Build Step #1 - "push"' }]));
  }, 180_000);

  it('a failing RUN fails the build naming the step, its last log lines and the console link; the temporary secret of its login is deleted', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-fail`;
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nRUN echo "about to fail" && exit 7\n' });
    const calls = bed.emulator.calls.length;
    const error = await failureOf(bed.builder(basicRegistry()).build(buildRequest(imageName, staged)));
    expect(secretOps(calls)).toEqual(TEMPORARY_OPS);
    expect(temporarySecrets()).toEqual([]);
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toMatch(/ended FAILURE in Step #1 - "build": build step 1 "gcr.io\/cloud-builders\/docker" failed: step exited with non-zero status: \d+$/);
    expect(error.details).toContain('  Step #1 - "build": about to fail');
    expect(error.details.at(-1)).toMatch(/^logs: https:\/\/console\.cloud\.google\.com\/cloud-build\/builds\/[0-9a-f-]{36}\?project=\d{12}$/);
  }, 180_000);

  it('a build past build_timeout ends TIMEOUT, named with the step it stopped and what to raise', async () => {
    const imageName = `${OPEN_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-slow`;
    const staged = await bed.stage({ Dockerfile: `FROM python:3.11-slim\nRUN echo slow-${RUN_ID} && sleep 60\n` });
    const error = await failureOf(bed.builder(new LoopbackRegistry(), { build_timeout: 2 }).build(buildRequest(imageName, staged)));
    expect(error.message).toMatch(/ended TIMEOUT in Step #0 - "build": it ran longer than build_timeout \(2s\)$/);
    expect(error.hint).toContain('raise `build_timeout`');
    expect(error.details).toContain('  ERROR: context deadline exceeded');
  }, 180_000);

  it('cancelling (Ctrl-C) mid-step calls CancelBuild: the build ends CANCELLED, its docker process and RUN container are gone, the temporary secret of its login is deleted', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-cancel`;
    const marker = `sleeping-${RUN_ID}`;
    const staged = await bed.stage({ Dockerfile: `FROM python:3.11-slim\nRUN echo ${marker} && sleep 120\n` });
    let running: number[] = [];
    const request = buildRequest(imageName, staged, {
      onEvent: (e) => {
        request.events.push(e);
        if (e.type === 'log' && e.line.endsWith(marker)) {
          running = processesWith(imageName);
          request.controller.abort();
        }
      },
    });
    const calls = bed.emulator.calls.length;
    const error = await failureOf(bed.builder(basicRegistry()).build(request));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(running.length).toBeGreaterThan(0);
    expect(secretOps(calls)).toEqual(TEMPORARY_OPS);
    expect(temporarySecrets()).toEqual([]);
    expect(bed.emulator.calls.map((c) => `${c.method} ${c.path}`)).toContain(`POST /v1/projects/${PROJECT}/builds/${bed.lastBuild().id}:cancel`);
    const build = bed.lastBuild();
    for (let i = 0; i < 200 && !build.done; i++) await new Promise((r) => setTimeout(r, 50));
    expect(build.status).toBe('CANCELLED');
    expect(build.steps.map((s) => s.status)).toEqual(['SUCCESS', 'CANCELLED', 'QUEUED']);
    expect(processesWith(imageName)).toEqual([]);
    for (let i = 0; i < 100 && (await runningContainerCommands()).includes(marker); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await runningContainerCommands()).not.toContain(marker);
  }, 180_000);
});
