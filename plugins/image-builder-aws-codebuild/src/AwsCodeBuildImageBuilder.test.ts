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
    expect(bed.emulator.calls.at(-1)).toMatchObject({ target: 'CodeBuild_20161006.StartBuild', rejected: 'InvalidSignatureException' });
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

  describe('a registry that needs a user and password: the password only ever in a temporary SSM parameter', () => {
    const PASSWORD = 'Pa55-registry-only';
    const registry = () => new LoopbackRegistry({ type: 'basic', username: 'ci', password: PASSWORD });
    const ssmCalls = (from: number) => bed.emulator.calls.slice(from).filter((c) => c.target.startsWith('AmazonSSM.')).map((c) => `${c.target.slice(10)}${c.rejected ? ` rejected: ${c.rejected}` : ''}`);
    const stowageParameters = () => bed.emulator.parameters.names().filter((n) => n.startsWith('/stowage/codebuild/'));

    it('deletes the parameter when CodeBuild refuses the build, and CodeBuild was never told the password', async () => {
      const from = bed.emulator.calls.length;
      const request = buildRequest('127.0.0.1:5001/stowage-test/codebuild:refused', await bed.stage({ Dockerfile: 'FROM scratch\n' }));
      const error = await failureOf(bed.builder(registry(), { code_build_project: 'nope' }).build(request));
      expect(error.message).toContain('ResourceNotFoundException');
      expect(ssmCalls(from)).toEqual(['PutParameter', 'DeleteParameter']);
      const start = bed.emulator.calls.slice(from).find((c) => c.target === 'CodeBuild_20161006.StartBuild')!;
      const variables = (JSON.parse(start.body) as { environmentVariablesOverride: unknown[] }).environmentVariablesOverride;
      expect(variables).toEqual([
        { name: 'STOWAGE_REGISTRY_USERNAME', value: 'ci', type: 'PLAINTEXT' },
        { name: 'STOWAGE_REGISTRY_PASSWORD', value: expect.stringMatching(/^\/stowage\/codebuild\/[0-9a-f-]{36}\/registry-password$/), type: 'PARAMETER_STORE' },
      ]);
      expect(bed.emulator.codeBuildTranscript()).not.toContain(PASSWORD);
      expect(request.events).toContainEqual({ type: 'status', message: `the registry password reaches CodeBuild as the SecureString parameter ${(variables[1] as { value: string }).value}, deleted when the build ends` });
      expect(stowageParameters()).toEqual([]);
    });

    it('a Ctrl-C during the login starts no CodeBuild build, and the parameter is deleted', async () => {
      const from = bed.emulator.calls.length;
      const builds = bed.emulator.builds.size;
      const request = buildRequest('127.0.0.1:5001/stowage-test/codebuild:cancelled', await bed.stage({ Dockerfile: 'FROM scratch\n' }));
      request.controller.abort();
      const error = await failureOf(bed.builder(registry()).build(request));
      expect(error.code).toBe('BUILD_CANCELLED');
      expect(error.message).toBe('build cancelled before CodeBuild started a build of 127.0.0.1:5001/stowage-test/codebuild:cancelled');
      expect(bed.emulator.builds.size).toBe(builds);
      expect(ssmCalls(from)).toEqual(['PutParameter', 'DeleteParameter']);
      expect(stowageParameters()).toEqual([]);
    });

    it('names a parameter it could not delete, with the command that deletes it', async () => {
      bed.emulator.parameters.deny('ssm:DeleteParameter', '/stowage/codebuild/');
      try {
        const error = await failureOf(bed.builder(registry(), { code_build_project: 'nope' }).build(buildRequest('127.0.0.1:5001/stowage-test/codebuild:left', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
        const [left] = stowageParameters();
        expect(left).toBeDefined();
        expect(error.details).toEqual([
          `the temporary SSM parameter ${left} could not be deleted (AccessDeniedException (HTTP 400): User: arn:aws:iam::123456789012:user/stowage-test is not authorized to perform: ssm:DeleteParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter${left} because no identity-based policy allows the ssm:DeleteParameter action): delete it with \`aws ssm delete-parameter --name ${left}\``,
        ]);
      } finally {
        bed.emulator.parameters.allowAll();
        for (const name of stowageParameters()) await bed.emulator.parameters.operations.DeleteParameter({ Name: name });
      }
    });

    it('fails before any build starts when Parameter Store refuses the password, saying which permissions are missing', async () => {
      bed.emulator.parameters.deny('ssm:PutParameter', '/stowage/codebuild/');
      const from = bed.emulator.calls.length;
      try {
        const error = await failureOf(bed.builder(registry()).build(buildRequest('127.0.0.1:5001/stowage-test/codebuild:denied', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
        expect(error.code).toBe('BUILD_FAILED');
        expect(error.message).toMatch(/^could not keep the password for 127\.0\.0\.1:5001 in SSM Parameter Store for the CodeBuild build of 127\.0\.0\.1:5001\/stowage-test\/codebuild:denied: AccessDeniedException/);
        expect(error.hint).toContain('ssm:PutParameter and ssm:DeleteParameter on `/stowage/codebuild/*`');
        expect(error.hint).toContain('registry_credentials_secret');
      } finally {
        bed.emulator.parameters.allowAll();
      }
      expect(ssmCalls(from)).toEqual(['PutParameter']);
      expect(bed.emulator.calls.slice(from).map((c) => c.target)).not.toContain('CodeBuild_20161006.StartBuild');
      expect(stowageParameters()).toEqual([]);
    });

    it('with a wrong secret key, Parameter Store (the first AWS call) rejects the signature: the secret_access_key hint, no build', async () => {
      const from = bed.emulator.calls.length;
      const error = await failureOf(bed.builder(registry(), { secret_access_key: 'wrong-secret-key' }).build(buildRequest('127.0.0.1:5001/stowage-test/codebuild:sig', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
      expect(error.message).toContain('InvalidSignatureException (HTTP 400)');
      expect(error.hint).toContain('`secret_access_key`');
      expect(ssmCalls(from)).toEqual(['PutParameter rejected: InvalidSignatureException']);
      expect(error.details).toEqual([]);
      expect(bed.emulator.calls.slice(from).map((c) => c.target)).not.toContain('CodeBuild_20161006.StartBuild');
    });

    it('with registry_credentials_secret, asks the registry nothing and puts no parameter: CodeBuild reads both from Secrets Manager', async () => {
      const from = bed.emulator.calls.length;
      const answering = registry();
      const request = buildRequest('127.0.0.1:5001/stowage-test/codebuild:sm', await bed.stage({ Dockerfile: 'FROM scratch\n' }));
      await failureOf(bed.builder(answering, { code_build_project: 'nope', registry_credentials_secret: 'ci/registry' }).build(request));
      expect(answering.scopes).toEqual([]);
      expect(ssmCalls(from)).toEqual([]);
      const start = bed.emulator.calls.slice(from).find((c) => c.target === 'CodeBuild_20161006.StartBuild')!;
      expect(JSON.parse(start.body)).toMatchObject({
        environmentVariablesOverride: [
          { name: 'STOWAGE_REGISTRY_USERNAME', value: 'ci/registry:username', type: 'SECRETS_MANAGER' },
          { name: 'STOWAGE_REGISTRY_PASSWORD', value: 'ci/registry:password', type: 'SECRETS_MANAGER' },
        ],
      });
    });
  });

  it.each([
    ['a custom env var from a parameter that does not exist', { custom_env_vars: { NPM_TOKEN: { parameter_store: '/ci/missing' } } }, '(parameter does not exist: /ci/missing)', 'may ssm:GetParameters it'],
    ['a registry_credentials_secret that does not exist', { registry_credentials_secret: 'ci/missing' }, "(ResourceNotFoundException: Secrets Manager can't find the specified secret.)", 'may secretsmanager:GetSecretValue it'],
  ])('%s: CodeBuild fails the build in DOWNLOAD_SOURCE, and the error says what to check', async (_what, extra, reason, hint) => {
    const error = await failureOf(bed.builder(new LoopbackRegistry(), extra).build(buildRequest('127.0.0.1:5000/stowage-test/codebuild:unread', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toMatch(/^CodeBuild build stowage:\S+ of 127\.0\.0\.1:5000\/stowage-test\/codebuild:unread ended FAILED in phase DOWNLOAD_SOURCE /);
    expect(error.message).toContain(reason);
    expect(error.hint).toContain(hint);
  });

  it('does not accept a bearer token it cannot hand to docker login', async () => {
    const registry = new LoopbackRegistry({ type: 'bearer', token: 't' });
    const error = await failureOf(bed.builder(registry).build(buildRequest('127.0.0.1:5000/stowage-test/codebuild:b', await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.code).toBe('CAPABILITY_MISSING');
  });
});
