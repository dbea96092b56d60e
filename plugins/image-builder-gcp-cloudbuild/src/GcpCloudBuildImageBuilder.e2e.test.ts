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

  it('builds a staged tar.gz, logs in to another registry with credentials from step env only, and returns the digest Cloud Build reports — the registry\'s', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}`;
    tagged.push(imageName);
    const registry = new LoopbackRegistry({ type: 'basic', ...AUTH_CREDENTIALS });
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nARG GREETING\nRUN echo "greeting=$GREETING"\n' });
    const request = buildRequest(imageName, staged, { options: { buildArgs: { GREETING: 'costs $5' }, labels: { 'org.example': 'x' } } });
    const result = await bed.builder(registry, { service_account_key: bed.account.keyJson, access_token: undefined }).build(request);
    expect(result.imageName).toBe(imageName);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(registry.prepared).toEqual(['stowage-test/cloudbuild']);
    const build = bed.lastBuild();
    expect(build.options.spec.steps.map((s) => s.id)).toEqual(['login', 'build', 'push']);
    expect(build.options.spec.steps[1]!.args).toEqual(['build', '--network=host', '-t', imageName, '--build-arg', 'GREETING=costs $5', '--label', 'org.example=x', '.']);
    expect(JSON.stringify(build.options.spec.steps.map((s) => s.args))).not.toContain(AUTH_CREDENTIALS.password);
    const lines = logLines(request);
    expect(lines).toEqual(expect.arrayContaining(['Step #0 - "login": Login Succeeded', 'Step #1 - "build": greeting=costs $5', 'PUSH', 'DONE']));
    expect(lines.join('\n')).not.toContain(AUTH_CREDENTIALS.password);
    expect(lines).toEqual(bed.emulator.logLines(build.id));
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

  it('a failing RUN fails the build naming the step, its last log lines and the console link', async () => {
    const imageName = `${OPEN_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-fail`;
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nRUN echo "about to fail" && exit 7\n' });
    const error = await failureOf(bed.builder(new LoopbackRegistry()).build(buildRequest(imageName, staged)));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toMatch(/ended FAILURE in Step #0 - "build": build step 0 "gcr.io\/cloud-builders\/docker" failed: step exited with non-zero status: \d+$/);
    expect(error.details).toContain('  Step #0 - "build": about to fail');
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

  it('cancelling (Ctrl-C) mid-step calls CancelBuild: the build ends CANCELLED, its docker process and RUN container are gone', async () => {
    const imageName = `${OPEN_REGISTRY}/stowage-test/cloudbuild:${RUN_ID}-cancel`;
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
    const error = await failureOf(bed.builder(new LoopbackRegistry()).build(request));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(running.length).toBeGreaterThan(0);
    expect(bed.emulator.calls.map((c) => `${c.method} ${c.path}`)).toContain(`POST /v1/projects/${PROJECT}/builds/${bed.lastBuild().id}:cancel`);
    const build = bed.lastBuild();
    for (let i = 0; i < 200 && !build.done; i++) await new Promise((r) => setTimeout(r, 50));
    expect(build.status).toBe('CANCELLED');
    expect(build.steps.map((s) => s.status)).toEqual(['CANCELLED', 'QUEUED']);
    expect(processesWith(imageName)).toEqual([]);
    for (let i = 0; i < 100 && (await runningContainerCommands()).includes(marker); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await runningContainerCommands()).not.toContain(marker);
  }, 180_000);
});
