import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import type { PipelineBuild } from '../model/PipelineBuild.js';
import { launchCommand } from './launchCommand.js';

const BUILD = {
  id: 'b-1',
  launch: {
    repo: {
      image: 'reg/app@sha256:1',
      command: ['python3', '/usr/local/lib/stowage/stowage_bootstrap.py', 'python', '-m', 'repo'],
      environment: { STOWAGE_CODE_URL: 'https://api.github.com/repos/a/b/tarball/c', STOWAGE_CODE_AUTH_ENV: 'GITHUB_TOKEN' },
      secretEnvironment: ['GITHUB_TOKEN'],
    },
    store: {
      image: 'reg/app@sha256:2',
      command: ['python3', '/usr/local/lib/stowage/stowage_bootstrap.py'],
      environment: { STOWAGE_CODE_SHA256: 'ab' },
      secretEnvironment: [],
      code: { source: 'artifact-store', uri: 's3://bucket/p/code_uploads/ab.tar.gz', key: 'code_uploads/ab.tar.gz', sha256: 'ab', format: 'tar.gz' },
    },
    plain: { image: 'reg/app@sha256:3', command: null, environment: {}, secretEnvironment: [] },
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
    expect(c.argv).toEqual(['docker', 'run', '--rm', '--network', 'host', '-e', 'GITHUB_TOKEN', '-e', 'STOWAGE_CODE_AUTH_ENV', '-e', 'STOWAGE_CODE_URL', 'reg/app@sha256:1', 'python3', '/usr/local/lib/stowage/stowage_bootstrap.py', 'python', '-m', 'repo', '--epochs', '3']);
    expect(c.env).toMatchObject({ GITHUB_TOKEN: 'ghp_secret' });
    expect(c.argv.join(' ')).not.toContain('ghp_secret');
  });

  it('a missing token variable is an error naming it (exit 2)', async () => {
    await expect(launchCommand({ build: BUILD, step: 'repo', args: [], env: {} })).rejects.toMatchObject({ code: 'USAGE', exitCode: 2, message: expect.stringContaining('GITHUB_TOKEN') });
  });

  it('an artifact-store archive gets a fresh presigned URL from the same store (a secret: reported for redaction)', async () => {
    const c = await launchCommand({ build: BUILD, step: 'store', args: [], env: {}, store: store('s3://bucket/p'), urlSeconds: 600 });
    expect(c.env.STOWAGE_CODE_URL).toBe('https://s3.test/code_uploads/ab.tar.gz?sig=secret-signature&ttl=600');
    expect(c.secrets).toEqual([c.env.STOWAGE_CODE_URL]);
    expect(c.argv).not.toContain(c.env.STOWAGE_CODE_URL);
    await expect(launchCommand({ build: BUILD, step: 'store', args: [], env: {}, store: store('s3://other/p') })).rejects.toMatchObject({ code: 'STACK_INVALID' });
    await expect(launchCommand({ build: BUILD, step: 'store', args: [], env: {}, store: store('s3://bucket/p', false) })).rejects.toMatchObject({ code: 'STACK_INVALID' });
    await expect(launchCommand({ build: BUILD, step: 'store', args: [], env: {} })).rejects.toMatchObject({ code: 'STACK_INVALID' });
  });

  it("a step without a command runs the image's own; an unknown step lists the steps", async () => {
    expect((await launchCommand({ build: BUILD, step: 'plain', args: [], env: {} })).argv).toEqual(['docker', 'run', '--rm', 'reg/app@sha256:3']);
    await expect(launchCommand({ build: BUILD, step: 'nope', args: [], env: {} })).rejects.toMatchObject({ code: 'STEP_UNKNOWN', hint: 'its steps: repo, store, plain' });
  });
});
