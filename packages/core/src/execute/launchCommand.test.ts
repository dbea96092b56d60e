import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import type { PipelineBuild } from '../model/PipelineBuild.js';
import { launchCommand } from './launchCommand.js';

const BUILD = {
  id: 'b-1',
  launch: {
    repo: {
      image: `reg/app@sha256:${'1'.repeat(64)}`,
      command: ['python3', '/usr/local/lib/stowage/stowage_bootstrap.py', 'python', '-m', 'repo'],
      environment: { STOWAGE_CODE_URL: 'https://api.github.com/repos/a/b/tarball/c', STOWAGE_CODE_AUTH_ENV: 'GITHUB_TOKEN' },
      secretEnvironment: ['GITHUB_TOKEN'],
      code: { source: 'code-repository', repository: 'main', commit: 'c', url: 'https://api.github.com/repos/a/b/tarball/c', format: 'tar.gz', strip: 1, auth: { header: 'Authorization', prefix: 'Bearer ', tokenEnv: 'GITHUB_TOKEN' } },
    },
    store: {
      image: `reg/app@sha256:${'2'.repeat(64)}`,
      command: ['python3', '/usr/local/lib/stowage/stowage_bootstrap.py'],
      environment: { STOWAGE_CODE_SHA256: 'ab' },
      secretEnvironment: [],
      code: { source: 'artifact-store', uri: `s3://bucket/p/code_uploads/${'a'.repeat(64)}.tar.gz`, key: `code_uploads/${'a'.repeat(64)}.tar.gz`, sha256: 'a'.repeat(64), format: 'tar.gz' },
    },
    plain: { image: 'reg/app:3', command: null, environment: {}, secretEnvironment: [] },
  },
} as unknown as PipelineBuild;

const store = (root: string, presign = true): ArtifactStore =>
  ({
    locate: (key: string) => ({ uri: `${root}/${key}`, scheme: 's3', path: key }),
    ...(presign ? { presign: async (key: string, ttl: number) => `https://s3.test/${key}?sig=secret-signature&ttl=${ttl}` } : {}),
  }) as unknown as ArtifactStore;

describe('launchCommand: `docker run` from a recorded launch spec', () => {
  it('passes every variable by name (values in the environment, never on the command line), args appended', async () => {
    const c = await launchCommand({ build: BUILD, step: 'repo', args: ['--epochs', '3'], env: { GITHUB_TOKEN: 'ghp_secret' }, network: 'host' });
    const env = ['GITHUB_TOKEN', 'STOWAGE_CODE_AUTH_ENV', 'STOWAGE_CODE_AUTH_HEADER', 'STOWAGE_CODE_AUTH_PREFIX', 'STOWAGE_CODE_FORMAT', 'STOWAGE_CODE_STRIP', 'STOWAGE_CODE_URL'];
    expect(c.argv).toEqual(['docker', 'run', '--rm', '--network', 'host', ...env.flatMap((n) => ['-e', n]), `reg/app@sha256:${'1'.repeat(64)}`, 'python3', '/usr/local/lib/stowage/stowage_bootstrap.py', 'python', '-m', 'repo', '--epochs', '3']);
    expect(c.env).toMatchObject({ GITHUB_TOKEN: 'ghp_secret' });
    expect(c.argv.join(' ')).not.toContain('ghp_secret');
  });

  it('a missing token variable is an error naming it (exit 2)', async () => {
    await expect(launchCommand({ build: BUILD, step: 'repo', args: [], env: {} })).rejects.toMatchObject({ code: 'USAGE', exitCode: 2, message: expect.stringContaining('GITHUB_TOKEN') });
  });

  it('an artifact-store archive gets a fresh presigned URL from the same store (a secret: reported for redaction)', async () => {
    const c = await launchCommand({ build: BUILD, step: 'store', args: [], env: {}, store: store('s3://bucket/p'), urlSeconds: 600 });
    expect(c.env.STOWAGE_CODE_URL).toBe(`https://s3.test/code_uploads/${'a'.repeat(64)}.tar.gz?sig=secret-signature&ttl=600`);
    expect(c.secrets).toEqual([c.env.STOWAGE_CODE_URL]);
    expect(c.argv).not.toContain(c.env.STOWAGE_CODE_URL);
    await expect(launchCommand({ build: BUILD, step: 'store', args: [], env: {}, store: store('s3://other/p') })).rejects.toMatchObject({ code: 'STACK_INVALID' });
    await expect(launchCommand({ build: BUILD, step: 'store', args: [], env: {}, store: store('s3://bucket/p', false) })).rejects.toMatchObject({ code: 'STACK_INVALID' });
    await expect(launchCommand({ build: BUILD, step: 'store', args: [], env: {} })).rejects.toMatchObject({ code: 'STACK_INVALID' });
  });

  it("a step without a command runs the image's own; an unknown step lists the steps", async () => {
    expect((await launchCommand({ build: BUILD, step: 'plain', args: [], env: {} })).argv).toEqual(['docker', 'run', '--rm', 'reg/app:3']);
    await expect(launchCommand({ build: BUILD, step: 'nope', args: [], env: {} })).rejects.toMatchObject({ code: 'STEP_UNKNOWN', hint: 'its steps: repo, store, plain' });
  });
});

describe('launchCommand: a build file is data, never host commands', () => {
  const hostile = (spec: Record<string, unknown>) => ({ id: 'evil', launch: { x: { command: null, environment: {}, secretEnvironment: [], ...spec } } }) as unknown as PipelineBuild;

  it('an image that is not an image reference (a docker option) is refused', async () => {
    await expect(launchCommand({ build: hostile({ image: '-v/:/host' }), step: 'x', args: [], env: {} })).rejects.toMatchObject({ exitCode: 2 });
  });

  it("only the code section's variables are passed: the file's own environment and secret names are ignored", async () => {
    const c = await launchCommand({
      build: hostile({ image: 'alpine:3', environment: { PATH: '.', LD_PRELOAD: './x.so', DOCKER_HOST: 'tcp://evil:2375' }, secretEnvironment: ['AWS_SECRET_ACCESS_KEY'] }),
      step: 'x',
      args: [],
      env: { AWS_SECRET_ACCESS_KEY: 'host-secret' },
    });
    expect([c.argv, c.env]).toEqual([['docker', 'run', '--rm', 'alpine:3'], {}]);
  });

  it('a token variable that is not a plain name, or names the host process environment, is refused', async () => {
    const code = { source: 'code-repository', repository: 'r', commit: 'c', url: 'https://x/y', format: 'tar.gz', strip: 1, auth: { header: 'Authorization', prefix: '', tokenEnv: 'LD_PRELOAD' } };
    await expect(launchCommand({ build: hostile({ image: 'alpine:3', code }), step: 'x', args: [], env: { LD_PRELOAD: 'x' } })).rejects.toMatchObject({ code: 'BUILD_INVALID' });
  });

  it('an artifact-store key that is not the code archive of its digest is refused (no presigning other objects)', async () => {
    const code = { source: 'artifact-store', uri: 's3://bucket/p/secrets/db.dump', key: 'secrets/db.dump', sha256: 'a'.repeat(64), format: 'tar.gz' };
    await expect(launchCommand({ build: hostile({ image: 'alpine:3', code }), step: 'x', args: [], env: {}, store: store('s3://bucket/p') })).rejects.toMatchObject({ code: 'BUILD_INVALID' });
  });
});
