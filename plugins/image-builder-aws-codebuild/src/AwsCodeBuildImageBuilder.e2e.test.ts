import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { buildRequest, CodeBuildBed, LoopbackRegistry } from './__fixtures__/codeBuildBed.js';
import { AUTH_CREDENTIALS, AUTH_REGISTRY, e2eReady, OPEN_REGISTRY, removeImages } from './__fixtures__/e2eGate.js';

const RUN_ID = randomBytes(4).toString('hex');
const ready = await e2eReady();
const logLines = (request: ReturnType<typeof buildRequest>) => request.events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
const PASSWORD_PARAMETER = /^\/stowage\/codebuild\/[0-9a-f-]{36}\/registry-password$/;
type BuildView = { source: { buildspec: string; location: string }; environment: { environmentVariables: { name: string; value: string; type: string }[] } };

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
  const lastBuild = () => [...bed.emulator.builds.values()].at(-1)!;
  const leftParameters = () => bed.emulator.parameters.names().filter((n) => n.startsWith('/stowage/codebuild/'));
  const authRegistry = () => new LoopbackRegistry({ type: 'basic', ...AUTH_CREDENTIALS });

  it('builds a staged ZIP context and pushes to a host:port registry whose password reaches CodeBuild only as a temporary SecureString parameter, deleted after; returns the registry digest', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/codebuild:${RUN_ID}`;
    tagged.push(imageName);
    const registry = authRegistry();
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nARG GREETING\nRUN echo "greeting=$GREETING" > /greeting\n' });
    const request = buildRequest(imageName, staged, { options: { buildArgs: { GREETING: 'it is me' }, labels: { 'org.example': 'x' } } });
    const result = await bed.builder(registry).build(request);
    expect(result.imageName).toBe(imageName);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(registry.prepared).toEqual(['stowage-test/codebuild']);
    const build = lastBuild().view() as BuildView;
    expect(build.source.location).toBe(`${staged.bucket}/${staged.path}`);
    expect(build.source.buildspec).toContain(`docker build --build-arg 'GREETING=it is me' --label org.example=x --tag ${imageName} .`);
    expect(build.environment.environmentVariables).toEqual([
      { name: 'STOWAGE_REGISTRY_USERNAME', value: AUTH_CREDENTIALS.username, type: 'PLAINTEXT' },
      { name: 'STOWAGE_REGISTRY_PASSWORD', value: expect.stringMatching(PASSWORD_PARAMETER), type: 'PARAMETER_STORE' },
    ]);
    // Requests, build records and log events of CodeBuild: the password is in none of them.
    expect(bed.emulator.codeBuildTranscript()).not.toContain(AUTH_CREDENTIALS.password);
    expect(leftParameters()).toEqual([]);
    expect(logLines(request)).toEqual(expect.arrayContaining([expect.stringMatching(/Login Succeeded/), expect.stringMatching(/Running command docker push/)]));
  }, 180_000);

  it('with registry_credentials_secret, CodeBuild reads the user and password from Secrets Manager: the registry is not asked, no parameter is put, no password in what CodeBuild saw', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/codebuild:${RUN_ID}-sm`;
    tagged.push(imageName);
    const secretId = `stowage-test/registry-${RUN_ID}`;
    bed.emulator.secrets.add(secretId, JSON.stringify(AUTH_CREDENTIALS));
    const registry = authRegistry();
    const calls = bed.emulator.calls.length;
    const request = buildRequest(imageName, await bed.stage({ Dockerfile: `FROM python:3.11-slim\nRUN echo from-secret-${RUN_ID}\n` }));
    const result = await bed.builder(registry, { registry_credentials_secret: secretId }).build(request);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    expect(registry.scopes).toEqual([]);
    expect(bed.emulator.calls.slice(calls).filter((c) => c.target.startsWith('AmazonSSM.'))).toEqual([]);
    expect((lastBuild().view() as BuildView).environment.environmentVariables).toEqual([
      { name: 'STOWAGE_REGISTRY_USERNAME', value: `${secretId}:username`, type: 'SECRETS_MANAGER' },
      { name: 'STOWAGE_REGISTRY_PASSWORD', value: `${secretId}:password`, type: 'SECRETS_MANAGER' },
    ]);
    expect(bed.emulator.codeBuildTranscript()).not.toContain(AUTH_CREDENTIALS.password);
    expect(logLines(request)).toEqual(expect.arrayContaining([expect.stringMatching(/Login Succeeded/)]));
  }, 180_000);

  it('a parameter it could not delete after a successful build is reported as a warning, with the command that deletes it', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/codebuild:${RUN_ID}-left`;
    tagged.push(imageName);
    bed.emulator.parameters.deny('ssm:DeleteParameter', '/stowage/codebuild/');
    try {
      const request = buildRequest(imageName, await bed.stage({ Dockerfile: 'FROM python:3.11-slim\n' }));
      const result = await bed.builder(authRegistry()).build(request);
      expect(result.digest).toMatch(/^sha256:/);
      const [left] = leftParameters();
      expect(request.events).toContainEqual({ type: 'status', message: expect.stringMatching(new RegExp(`^warning: the temporary SSM parameter ${left} could not be deleted \\(AccessDeniedException .*\\): delete it with \`aws ssm delete-parameter --name ${left}\`$`)) });
    } finally {
      bed.emulator.parameters.allowAll();
      for (const name of leftParameters()) bed.emulator.parameters.operations.DeleteParameter({ Name: name });
    }
  }, 180_000);

  it('pushes anonymously to the open registry with custom env vars (plain, from Parameter Store, from Secrets Manager), streaming the log lines', async () => {
    const imageName = `${OPEN_REGISTRY}/stowage-test/codebuild:${RUN_ID}-open`;
    tagged.push(imageName);
    const registry = new LoopbackRegistry();
    await bed.emulator.parameters.operations.PutParameter({ Name: `/stowage-test/${RUN_ID}/npm-token`, Value: 'npm-secret-value', Type: 'SecureString' });
    bed.emulator.secrets.add(`stowage-test/${RUN_ID}/db`, '{"password":"db-secret-value"}');
    const custom_env_vars = { STAGE: 'e2e', NPM_TOKEN: { parameter_store: `/stowage-test/${RUN_ID}/npm-token` }, DB_PASSWORD: { secrets_manager: `stowage-test/${RUN_ID}/db:password` } };
    const staged = await bed.stage({ Dockerfile: `FROM python:3.11-slim\nRUN echo built-${RUN_ID}\n` });
    const request = buildRequest(imageName, staged);
    const result = await bed.builder(registry, { custom_env_vars }).build(request);
    expect(result.digest).toBe(await registry.resolveDigest(imageName));
    // CodeBuild read both secrets (DOWNLOAD_SOURCE passed) and was given their names only.
    expect((lastBuild().view() as BuildView).environment.environmentVariables).toEqual([
      { name: 'DB_PASSWORD', value: `stowage-test/${RUN_ID}/db:password`, type: 'SECRETS_MANAGER' },
      { name: 'NPM_TOKEN', value: `/stowage-test/${RUN_ID}/npm-token`, type: 'PARAMETER_STORE' },
      { name: 'STAGE', value: 'e2e', type: 'PLAINTEXT' },
    ]);
    for (const secret of ['npm-secret-value', 'db-secret-value']) expect(bed.emulator.codeBuildTranscript()).not.toContain(secret);
    expect(logLines(request)).toContain(`built-${RUN_ID}`);
    expect(request.events).toContainEqual({ type: 'step', step: 'CodeBuild BUILD' });
  }, 180_000);

  it('a failing RUN fails the build naming the BUILD phase, the last log lines and the console link; the password parameter is deleted', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/codebuild:${RUN_ID}-fail`;
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nRUN echo "about to fail" && exit 7\n' });
    const error = await failureOf(bed.builder(authRegistry()).build(buildRequest(imageName, staged)));
    expect((lastBuild().view() as BuildView).environment.environmentVariables[1]).toMatchObject({ type: 'PARAMETER_STORE' });
    expect(leftParameters()).toEqual([]);
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toMatch(/ended FAILED in phase BUILD \(Error while executing command: docker build --tag \S+ \.\. Reason: exit status \d+\)/);
    expect(error.details).toContain('  about to fail');
    expect(error.details.at(-1)).toMatch(/^logs: https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#logEvent:group=\/aws\/codebuild\/stowage;stream=/);
  }, 180_000);

  it('cancelling (Ctrl-C) mid-build calls StopBuild: the emulator reports STOPPED, the build is BUILD_CANCELLED, the password parameter is deleted', async () => {
    const imageName = `${AUTH_REGISTRY}/stowage-test/codebuild:${RUN_ID}-cancel`;
    const staged = await bed.stage({ Dockerfile: 'FROM python:3.11-slim\nRUN echo sleeping-now && sleep 120\n' });
    const request = buildRequest(imageName, staged, {
      onEvent: (e) => {
        request.events.push(e);
        if (e.type === 'log' && e.line === 'sleeping-now') request.controller.abort();
      },
    });
    const error = await failureOf(bed.builder(authRegistry()).build(request));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(leftParameters()).toEqual([]);
    expect(bed.emulator.calls.map((c) => c.target).filter((t) => t.startsWith('AmazonSSM.')).slice(-2)).toEqual(['AmazonSSM.PutParameter', 'AmazonSSM.DeleteParameter']);
    expect(bed.emulator.calls.map((c) => c.target)).toContain('CodeBuild_20161006.StopBuild');
    const build = [...bed.emulator.builds.values()].at(-1)!;
    for (let i = 0; i < 200 && build.status === 'IN_PROGRESS'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(build.status).toBe('STOPPED');
  }, 180_000);
});
