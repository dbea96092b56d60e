import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StowageError, type ProcessRequest, type ProcessResult, type ProcessRunner } from '@stowage/plugin-api';
import { credentialsOfHelperOutput, resolveRegistryCredentials } from './RegistryCredentialSource.js';

/** Records every command and answers from a script; without one, every command fails as a missing binary. */
class RecordingRunner implements ProcessRunner {
  readonly requests: ProcessRequest[] = [];

  constructor(private readonly reply: (request: ProcessRequest) => { stdout: string } | { fail: string } = () => ({ fail: 'command not found' })) {}

  async run(request: ProcessRequest): Promise<ProcessResult> {
    this.requests.push(request);
    const answer = this.reply(request);
    if ('fail' in answer) throw new StowageError(answer.fail, { code: 'SUBPROCESS_FAILED' });
    return { stdout: answer.stdout, stderr: '', exitCode: 0 };
  }
}

function dockerConfigFile(json: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'stowage-creds-')), 'config.json');
  writeFileSync(file, JSON.stringify(json));
  return file;
}

const helperAnswering = (answers: Record<string, string>) => {
  const inputs: (string | undefined)[] = [];
  const runner = new RecordingRunner((request: ProcessRequest) => {
    inputs.push(request.input);
    const answer = answers[(request.command as string[]).join(' ')];
    return answer === undefined ? { fail: 'command not found' } : { stdout: answer };
  });
  return { runner, inputs };
};

describe('resolveRegistryCredentials', () => {
  it('uses the component username/password over the Docker config file', async () => {
    const file = dockerConfigFile({ auths: { 'ghcr.io': { username: 'file', password: 'file-pw' } } });
    const credentials = await resolveRegistryCredentials({
      registry: 'ghcr.io',
      username: 'cfg',
      password: 'cfg-pw',
      dockerConfigFile: file,
      runner: new RecordingRunner(),
    });
    expect(credentials).toEqual({ username: 'cfg', password: 'cfg-pw' });
  });

  it('falls back to the Docker config file, then to anonymous (null)', async () => {
    const file = dockerConfigFile({ auths: { 'ghcr.io': { username: 'file', password: 'file-pw' } } });
    const options = { dockerConfigFile: file, runner: new RecordingRunner() };
    expect(await resolveRegistryCredentials({ registry: 'ghcr.io', ...options })).toEqual({ username: 'file', password: 'file-pw' });
    expect(await resolveRegistryCredentials({ registry: 'quay.io', ...options })).toBeNull();
    expect(await resolveRegistryCredentials({ registry: 'quay.io', dockerConfigFile: '/nonexistent/config.json', runner: options.runner })).toBeNull();
  });

  it('asks the credential helper with the server URL on stdin', async () => {
    const file = dockerConfigFile({ auths: { 'https://index.docker.io/v1/': {} }, credsStore: 'pass' });
    const { runner, inputs } = helperAnswering({
      'docker-credential-pass get': JSON.stringify({ ServerURL: 'https://index.docker.io/v1/', Username: 'hub', Secret: 'dckr_pat_x' }),
    });
    const credentials = await resolveRegistryCredentials({ registry: 'docker.io', dockerConfigFile: file, runner });
    expect(credentials).toEqual({ username: 'hub', password: 'dckr_pat_x' });
    expect(runner.requests.map((c) => c.command)).toEqual([['docker-credential-pass', 'get']]);
    expect(inputs).toEqual(['https://index.docker.io/v1/']);
  });

  it('treats a missing or failing helper as "no login", without throwing', async () => {
    const file = dockerConfigFile({ credHelpers: { 'gcr.io': 'gcloud' }, credsStore: 'osxkeychain' });
    const missing = new RecordingRunner();
    expect(await resolveRegistryCredentials({ registry: 'gcr.io', dockerConfigFile: file, runner: missing })).toBeNull();
    const failing = new RecordingRunner(() => ({ fail: '`docker-credential-osxkeychain get` exited with code 1' }));
    expect(await resolveRegistryCredentials({ registry: 'ghcr.io', dockerConfigFile: file, runner: failing })).toBeNull();
  });

  it('lets a broken Docker config file surface as REGISTRY_FAILED (so the user can fix it)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stowage-creds-')), 'config.json');
    writeFileSync(file, '{ not json');
    await expect(resolveRegistryCredentials({ registry: 'ghcr.io', dockerConfigFile: file, runner: new RecordingRunner() })).rejects.toMatchObject({
      code: 'REGISTRY_FAILED',
    });
  });
});

describe('credentialsOfHelperOutput', () => {
  it.each([
    ['{"ServerURL":"s","Username":"u","Secret":"p"}', { username: 'u', password: 'p' }],
    ['{"ServerURL":"s","Username":"<token>","Secret":"refresh"}', null],
    ['credentials not found in native keychain', null],
    ['null', null],
    ['{"Username":"u"}', null],
  ])('%s', (stdout, expected) => {
    expect(credentialsOfHelperOutput(stdout)).toEqual(expected);
  });
});
