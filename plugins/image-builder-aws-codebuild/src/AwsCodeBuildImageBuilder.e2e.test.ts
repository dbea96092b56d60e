import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { buildRequest, CodeBuildBed, LoopbackRegistry } from './__fixtures__/codeBuildBed.js';
import { AUTH_CREDENTIALS, AUTH_REGISTRY, e2eReady, OPEN_REGISTRY, removeImages } from './__fixtures__/e2eGate.js';

const RUN_ID = randomBytes(4).toString('hex');
const ready = await e2eReady();
const logLines = (request: ReturnType<typeof buildRequest>) => request.events.flatMap((e) => (e.type === 'log' ? [e.line] : []));

async function failureOf(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

// The emulator runs the buildspec with /bin/sh on this host (build_image cannot be pulled here):
// `docker build` and `docker push` use the local engine and the loopback registries.
describe.runIf(ready)('aws-codebuild builds and pushes through the emulator (commands on the host, build_image not pulled)', () => {
  let bed: CodeBuildBed;
  const tagged: string[] = [];
  beforeAll(async () => {
    bed = await CodeBuildBed.start();
  });
  afterAll(async () => {
    await bed?.stop();
    await removeImages(tagged);
  });

  it('builds a staged ZIP context, pushes to host:port registry with explicit credentials passed as variables, and returns the registry digest', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/codebuild:${RUN_ID}`;
    tagged.push(imageName);
    const registry = new LoopbackRegistry({ type: 'basic', ...AUTH_CREDENTIALS });
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nARG GREETING\nRUN echo "greeting=$GREETING" > /greeting\n' });
    const request = buildRequest(imageName, staged, { options: { buildArgs: { GREETING: 'it is me' }, labels: { 'org.example': 'x' } } });
    const result = await bed.builder(registry).build(request);
    expect(result.imageName).toBe(imageName);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(registry.prepared).toEqual(['stowage-test/codebuild']);
    const build = [...bed.emulator.builds.values()].at(-1)!.view() as { source: { buildspec: string; location: string }; environment: { environmentVariables: { name: string }[] } };
    expect(build.source.location).toBe(`${staged.bucket}/${staged.path}`);
    expect(build.source.buildspec).toContain(`docker build --build-arg 'GREETING=it is me' --label org.example=x --tag ${imageName} .`);
    expect(build.source.buildspec).not.toContain(AUTH_CREDENTIALS.password);
    expect(build.environment.environmentVariables.map((v) => v.name)).toEqual(['STOWAGE_REGISTRY_USERNAME', 'STOWAGE_REGISTRY_PASSWORD']);
    expect(logLines(request)).toEqual(expect.arrayContaining([expect.stringMatching(/Login Succeeded/), expect.stringMatching(/Running command docker push/)]));
  }, 180_000);

  it('pushes anonymously to the open registry with custom env vars, streaming the log lines', async () => {
    const imageName = `${OPEN_REGISTRY}/stowage-test/codebuild:${RUN_ID}-open`;
    tagged.push(imageName);
    const registry = new LoopbackRegistry();
    const staged = await bed.stage({ Dockerfile: `FROM python:3.11-slim\nRUN echo built-${RUN_ID}\n` });
    const request = buildRequest(imageName, staged);
    const result = await bed.builder(registry, { custom_env_vars: { STAGE: 'e2e' } }).build(request);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(logLines(request)).toContain(`built-${RUN_ID}`);
    expect(request.events).toContainEqual({ type: 'step', step: 'CodeBuild BUILD' });
  }, 180_000);

  it('a failing RUN fails the build naming the BUILD phase, the last log lines and the console link', async () => {
    const imageName = `${OPEN_REGISTRY}/stowage-test/codebuild:${RUN_ID}-fail`;
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nRUN echo "about to fail" && exit 7\n' });
    const error = await failureOf(bed.builder(new LoopbackRegistry()).build(buildRequest(imageName, staged)));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toMatch(/ended FAILED in phase BUILD \(Error while executing command: docker build --tag \S+ \.\. Reason: exit status \d+\)/);
    expect(error.details).toContain('  about to fail');
    expect(error.details.at(-1)).toMatch(/^logs: https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#logEvent:group=\/aws\/codebuild\/stowage;stream=/);
  }, 180_000);

  it('cancelling (Ctrl-C) mid-build calls StopBuild: the emulator reports STOPPED and the build is BUILD_CANCELLED', async () => {
    const imageName = `${OPEN_REGISTRY}/stowage-test/codebuild:${RUN_ID}-cancel`;
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nRUN echo sleeping-now && sleep 120\n' });
    const request = buildRequest(imageName, staged, {
      onEvent: (e) => {
        request.events.push(e);
        if (e.type === 'log' && e.line === 'sleeping-now') request.controller.abort();
      },
    });
    const error = await failureOf(bed.builder(new LoopbackRegistry()).build(request));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(bed.emulator.calls.map((c) => c.target)).toContain('CodeBuild_20161006.StopBuild');
    const build = [...bed.emulator.builds.values()].at(-1)!;
    for (let i = 0; i < 200 && build.status === 'IN_PROGRESS'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(build.status).toBe('STOPPED');
  }, 180_000);
});
