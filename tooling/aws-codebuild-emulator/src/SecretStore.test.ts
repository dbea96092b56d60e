import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from './CodeBuildEmulator.js';
import { EmulatorBed } from './__fixtures__/emulatorBed.js';
import { parseSecretReference } from './resolveVariables.js';

describe('Secrets Manager (secretsmanager.*), driven by the real Secrets Manager client', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it('creates a secret and reads its value by name and by ARN; a second create is ResourceExistsException', async () => {
    const sm = bed.secretsManager();
    const created = await sm.send(new CreateSecretCommand({ Name: 'stowage/test/registry', SecretString: '{"username":"ci","password":"pw"}' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:stowage\/test\/registry-[A-Za-z0-9]{6}$/);
    for (const SecretId of ['stowage/test/registry', created.ARN!]) {
      expect(await sm.send(new GetSecretValueCommand({ SecretId }))).toMatchObject({ Name: 'stowage/test/registry', ARN: created.ARN, SecretString: '{"username":"ci","password":"pw"}', VersionStages: ['AWSCURRENT'] });
    }
    await expect(sm.send(new CreateSecretCommand({ Name: 'stowage/test/registry', SecretString: 'x' }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
  });

  it("answers ResourceNotFoundException for a secret, a version stage or a version id it does not have", async () => {
    const sm = bed.secretsManager();
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } });
    bed.emulator.secrets.add('stowage/test/staged', 'v');
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'stowage/test/staged', VersionStage: 'AWSPREVIOUS' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'stowage/test/staged', VersionId: 'not-a-version' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('verifies SigV4 for the secretsmanager signing name', async () => {
    const wrong = bed.secretsManager({ ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' });
    await expect(wrong.send(new GetSecretValueCommand({ SecretId: 'stowage/test/registry' }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(bed.emulator.calls.at(-1)).toMatchObject({ target: 'secretsmanager.GetSecretValue', rejected: 'InvalidSignatureException' });
  });
});

describe('parseSecretReference (the value of a SECRETS_MANAGER variable)', () => {
  it.each([
    ['reg', { secretId: 'reg' }],
    ['reg:password', { secretId: 'reg', jsonKey: 'password' }],
    ['reg::AWSPREVIOUS', { secretId: 'reg', versionStage: 'AWSPREVIOUS' }],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:reg-AbCdEf:username', { secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:reg-AbCdEf', jsonKey: 'username' }],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:reg-AbCdEf:password:AWSCURRENT:v1', { secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:reg-AbCdEf', jsonKey: 'password', versionStage: 'AWSCURRENT', versionId: 'v1' }],
  ])('%s', (reference, parsed) => {
    expect(parseSecretReference(reference)).toEqual(parsed);
  });
});
