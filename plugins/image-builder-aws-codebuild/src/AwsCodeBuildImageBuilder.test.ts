import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { buildRequest, CodeBuildBed, LoopbackRegistry } from './__fixtures__/codeBuildBed.js';

async function failureOf(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

// Real CodeBuild and CloudWatch Logs clients against the emulator, which verifies SigV4.
describe('AwsCodeBuildImageBuilder against the emulator (no Docker needed)', () => {
  let bed: CodeBuildBed;
  beforeAll(async () => {
    bed = await CodeBuildBed.start();
  });
  afterAll(() => bed?.stop());

  it('fails with a clear message when the secret key is wrong: the emulator rejects the SigV4 signature and no build starts', async () => {
    const builder = bed.builder(new LoopbackRegistry(), { secret_access_key: 'wrong-secret-key' });
    const error = await failureOf(builder.build(buildRequest('127.0.0.1:5000/stowage-test/codebuild:sig', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toContain('CodeBuild could not start a build of 127.0.0.1:5000/stowage-test/codebuild:sig in project stowage: InvalidSignatureException (HTTP 400)');
    expect(error.hint).toContain('`secret_access_key`');
    expect(bed.emulator.calls.at(-1)).toEqual({ target: 'CodeBuild_20161006.StartBuild', rejected: 'InvalidSignatureException' });
    expect(bed.emulator.builds.size).toBe(0);
  });

  it('names the project to create when CodeBuild does not know it', async () => {
    const builder = bed.builder(new LoopbackRegistry(), { code_build_project: 'nope' });
    const error = await failureOf(builder.build(buildRequest('127.0.0.1:5000/stowage-test/codebuild:nope', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.message).toContain('ResourceNotFoundException');
    expect(error.hint).toContain('create the CodeBuild project "nope"');
  });

  it('refuses a context that was not staged on S3, before calling CodeBuild', async () => {
    const calls = bed.emulator.calls.length;
    const local = { uri: 'file:///tmp/ctx.zip', scheme: 'file', path: '/tmp/ctx.zip' };
    for (const staged of [undefined, local]) {
      const error = await failureOf(bed.builder(new LoopbackRegistry()).build(buildRequest('127.0.0.1:5000/stowage-test/codebuild:x', staged)));
      expect(error.code).toBe('CAPABILITY_MISSING');
      expect(error.hint).toContain('`s3` artifact store');
    }
    expect(bed.emulator.calls.length).toBe(calls);
  });

  it('does not accept a bearer token it cannot hand to docker login', async () => {
    const registry = new LoopbackRegistry({ type: 'bearer', token: 't' });
    const error = await failureOf(bed.builder(registry).build(buildRequest('127.0.0.1:5000/stowage-test/codebuild:b', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.code).toBe('CAPABILITY_MISSING');
  });
});
