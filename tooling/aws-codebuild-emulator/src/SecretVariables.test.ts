import { createHash } from 'node:crypto';
import { StartBuildCommand } from '@aws-sdk/client-codebuild';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildspec, EmulatorBed } from './__fixtures__/emulatorBed.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
// Each command prints a hash of its variable, so the test can check the value without the buildspec holding it.
const hashOf = (name: string) => `printf '%s' "$${name}" | sha256sum | cut -c1-64 | sed 's/^/${name}=/'`;

// The emulator runs buildspec commands with /bin/sh on the host: `build_image` cannot be pulled here.
describe('PARAMETER_STORE and SECRETS_MANAGER variables (commands run on the host, build_image not pulled)', () => {
  let bed: EmulatorBed;
  const PASSWORD = 'Reg1stry-Pa55word!';
  const TOKEN = 'tok-0123456789abcdef';
  let secretArn = '';
  beforeAll(async () => {
    bed = await EmulatorBed.start();
    await bed.ssm().send(new PutParameterCommand({ Name: '/stowage/test/registry-password', Value: PASSWORD, Type: 'SecureString' }));
    await bed.ssm().send(new PutParameterCommand({ Name: '/stowage/test/from-buildspec', Value: 'spec-parameter', Type: 'String' }));
    const created = await bed.secretsManager().send(new CreateSecretCommand({ Name: 'stowage/test/registry', SecretString: JSON.stringify({ username: 'ci-user', password: PASSWORD }) }));
    secretArn = created.ARN!;
    await bed.secretsManager().send(new CreateSecretCommand({ Name: 'stowage/test/token', SecretString: TOKEN }));
  });
  afterAll(() => bed?.stop());

  it('reads them from the stores into the build environment, masks their values in the log, and reports the variables exactly as given', async () => {
    const variables = [
      { name: 'FROM_PARAMETER', value: '/stowage/test/registry-password', type: 'PARAMETER_STORE' as const },
      { name: 'FROM_SECRET_KEY', value: 'stowage/test/registry:username', type: 'SECRETS_MANAGER' as const },
      { name: 'FROM_SECRET_ARN', value: `${secretArn}:password`, type: 'SECRETS_MANAGER' as const },
      { name: 'FROM_SECRET_WHOLE', value: 'stowage/test/token', type: 'SECRETS_MANAGER' as const },
      { name: 'PLAIN', value: 'plain-value', type: 'PLAINTEXT' as const },
    ];
    const spec = buildspec({ build: [...variables.map((v) => hashOf(v.name)), hashOf('SPEC_PARAMETER'), 'echo "echoed: $FROM_PARAMETER"'] });
    const specWithStore = spec.replace('"phases"', '"env":{"parameter-store":{"SPEC_PARAMETER":"/stowage/test/from-buildspec"}},"phases"');
    const started = await bed.start({ 'a.txt': 'a' }, specWithStore, { environmentVariablesOverride: variables });
    const build = await bed.finished(started.id!);
    expect(build.buildStatus).toBe('SUCCEEDED');
    const lines = await bed.logLines(build);
    expect(lines).toEqual(expect.arrayContaining([
      `FROM_PARAMETER=${sha256(PASSWORD)}`,
      `FROM_SECRET_KEY=${sha256('ci-user')}`,
      `FROM_SECRET_ARN=${sha256(PASSWORD)}`,
      `FROM_SECRET_WHOLE=${sha256(TOKEN)}`,
      `PLAIN=${sha256('plain-value')}`,
      `SPEC_PARAMETER=${sha256('spec-parameter')}`,
      // CodeBuild masks values read from Parameter Store and Secrets Manager wherever they appear in the log.
      'echoed: ***',
    ]));
    expect(lines.some((l) => l.endsWith('Decrypting parameter store environment variables'))).toBe(true);
    expect(build.environment?.environmentVariables).toEqual(variables);
    const transcript = bed.emulator.codeBuildTranscript();
    expect(transcript).toContain('/stowage/test/registry-password');
    for (const secret of [PASSWORD, TOKEN]) expect(transcript).not.toContain(secret);
  });

  it.each([
    ['a parameter that does not exist', { name: 'P', value: '/stowage/test/nope', type: 'PARAMETER_STORE' as const }, 'Decrypted Variables Error', 'parameter does not exist: /stowage/test/nope'],
    ['a secret that does not exist', { name: 'S', value: 'stowage/test/nope:password', type: 'SECRETS_MANAGER' as const }, 'Secrets Manager Error', "ResourceNotFoundException: Secrets Manager can't find the specified secret."],
    ['a JSON key the secret does not have', { name: 'S', value: 'stowage/test/registry:token', type: 'SECRETS_MANAGER' as const }, 'Secrets Manager Error', 'secret stowage/test/registry has no JSON key token'],
  ])('fails DOWNLOAD_SOURCE for %s, and runs no command', async (_what, variable, statusCode, message) => {
    const started = await bed.start({ 'a.txt': 'a' }, buildspec({ install: ['echo install'], build: ['echo build'] }), { environmentVariablesOverride: [variable] });
    const build = await bed.finished(started.id!);
    expect(build.buildStatus).toBe('FAILED');
    expect(build.phases?.find((p) => p.phaseType === 'DOWNLOAD_SOURCE')).toMatchObject({ phaseStatus: 'FAILED', contexts: [{ statusCode, message }] });
    expect(build.phases?.map((p) => p.phaseType)).not.toContain('INSTALL');
    const lines = await bed.logLines(build);
    expect(lines.some((l) => l.endsWith(`Phase context status code: ${statusCode} Message: ${message}`))).toBe(true);
    expect(lines).not.toContain('build');
  });

  it('refuses a variable type CodeBuild does not have, at StartBuild', async () => {
    const input = { projectName: 'stowage', sourceTypeOverride: 'S3' as const, sourceLocationOverride: 'b/k.zip', environmentVariablesOverride: [{ name: 'X', value: 'v', type: 'VAULT' as never }] };
    await expect(bed.codebuild().send(new StartBuildCommand(input))).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('[PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER]') });
  });
});
