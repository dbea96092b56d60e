import { DeleteParameterCommand, GetParameterCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from './CodeBuildEmulator.js';
import { EmulatorBed } from './__fixtures__/emulatorBed.js';

describe('SSM Parameter Store (AmazonSSM.*), driven by the real SSM client', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it('puts a SecureString, reads it back decrypted (encrypted without WithDecryption), refuses a second put, overwrites, deletes', async () => {
    const ssm = bed.ssm();
    const Name = '/stowage/test/put-get/registry-password';
    expect(await ssm.send(new PutParameterCommand({ Name, Value: 'p4ss-word', Type: 'SecureString', Tier: 'Intelligent-Tiering' }))).toMatchObject({ Version: 1, Tier: 'Standard' });
    const decrypted = (await ssm.send(new GetParameterCommand({ Name, WithDecryption: true }))).Parameter!;
    expect(decrypted).toMatchObject({ Name, Type: 'SecureString', Value: 'p4ss-word', Version: 1, ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${Name}` });
    expect(decrypted.LastModifiedDate).toBeInstanceOf(Date);
    const encrypted = (await ssm.send(new GetParameterCommand({ Name }))).Parameter!;
    expect(encrypted.Value).not.toContain('p4ss-word');
    expect(bed.emulator.parameters.value(decrypted.ARN!)).toBe('p4ss-word');

    await expect(ssm.send(new PutParameterCommand({ Name, Value: 'other', Type: 'SecureString' }))).rejects.toMatchObject({
      name: 'ParameterAlreadyExists',
      message: 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await ssm.send(new PutParameterCommand({ Name, Value: 'other', Overwrite: true }))).toMatchObject({ Version: 2 });

    const many = await ssm.send(new GetParametersCommand({ Names: [Name, '/stowage/test/missing'], WithDecryption: true }));
    expect(many.Parameters?.map((p) => [p.Name, p.Value])).toEqual([[Name, 'other']]);
    expect(many.InvalidParameters).toEqual(['/stowage/test/missing']);

    await ssm.send(new DeleteParameterCommand({ Name }));
    expect(bed.emulator.parameters.names()).not.toContain(Name);
    await expect(ssm.send(new GetParameterCommand({ Name }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new DeleteParameterCommand({ Name }))).rejects.toMatchObject({ name: 'ParameterNotFound', $metadata: { httpStatusCode: 400 } });
  });

  it.each([
    ['a reserved prefix', '/aws/reserved', 'ValidationException', 'prefixed with "aws" or "ssm"'],
    ['a path without its leading slash', 'stowage/x', 'ValidationException', 'fully qualified'],
    ['characters AWS refuses', '/stowage/a b', 'ValidationException', 'a-zA-Z0-9_.-/'],
    ['more than 15 levels', `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, 'HierarchyLevelLimitExceededException', '15 levels'],
  ])("refuses %s in a name, with AWS's error", async (_what, Name, name, message) => {
    await expect(bed.ssm().send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' }))).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
  });

  it('holds 4 KB in the Standard tier; Intelligent-Tiering moves a bigger value to Advanced', async () => {
    const Value = 'x'.repeat(5000);
    await expect(bed.ssm().send(new PutParameterCommand({ Name: '/stowage/test/big', Value, Type: 'SecureString' }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('4096') });
    expect(await bed.ssm().send(new PutParameterCommand({ Name: '/stowage/test/big', Value, Type: 'SecureString', Tier: 'Intelligent-Tiering' }))).toMatchObject({ Tier: 'Advanced' });
  });

  it('answers AccessDeniedException for an action its IAM stand-in denies, and leaves the parameter as it was', async () => {
    const ssm = bed.ssm();
    await ssm.send(new PutParameterCommand({ Name: '/stowage/denied/kept', Value: 'v', Type: 'SecureString' }));
    bed.emulator.parameters.deny('ssm:DeleteParameter', '/stowage/denied/');
    bed.emulator.parameters.deny('ssm:PutParameter', '/stowage/denied/new');
    await expect(ssm.send(new DeleteParameterCommand({ Name: '/stowage/denied/kept' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('is not authorized to perform: ssm:DeleteParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/stowage/denied/kept'),
    });
    await expect(ssm.send(new PutParameterCommand({ Name: '/stowage/denied/new', Value: 'v', Type: 'String' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(bed.emulator.parameters.names().filter((n) => n.startsWith('/stowage/denied/'))).toEqual(['/stowage/denied/kept']);
    bed.emulator.parameters.allowAll();
    await ssm.send(new DeleteParameterCommand({ Name: '/stowage/denied/kept' }));
  });

  it('verifies SigV4 for the ssm signing name: a wrong secret key is InvalidSignatureException and stores nothing', async () => {
    const wrong = bed.ssm({ ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' });
    await expect(wrong.send(new PutParameterCommand({ Name: '/stowage/test/unsigned', Value: 'v', Type: 'SecureString' }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(bed.emulator.calls.at(-1)).toMatchObject({ target: 'AmazonSSM.PutParameter', rejected: 'InvalidSignatureException' });
    expect(bed.emulator.parameters.names()).not.toContain('/stowage/test/unsigned');
  });
});
