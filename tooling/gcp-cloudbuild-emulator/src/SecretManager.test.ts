import { crc32c } from '@aws-crypto/crc32c';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorBed, PROJECT } from './__fixtures__/emulatorBed.js';
import { projectNumberOf } from './CloudBuildEmulator.js';

const NUMBER = projectNumberOf(PROJECT);

/** The error a call fails with: its HTTP status code and Google's JSON error body (google-gax's REST transport puts the body in `message`). */
async function failure(promise: Promise<unknown>): Promise<{ code: unknown; status: string; message: string }> {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as { code?: unknown; message: string } | undefined;
  if (!error) throw new Error('expected the call to fail');
  const body = (JSON.parse(error.message) as { error: { message: string; status: string } }).error;
  return { code: error.code, status: body.status, message: body.message };
}

const payload = (text: string, checksum = crc32c(Buffer.from(text))) => ({ data: Buffer.from(text), dataCrc32c: checksum });

describe('Secret Manager on the emulator port, real @google-cloud/secret-manager 6.3 client over REST', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it('creates a secret (labels, ttl), adds a version whose CRC32C it checks, accesses it by number and as latest, and deletes it', async () => {
    const client = bed.secretManager();
    const before = Date.now();
    const [secret] = await client.createSecret({ parent: `projects/${PROJECT}`, secretId: 'login-1', secret: { replication: { automatic: {} }, labels: { 'managed-by': 'stowage' }, ttl: { seconds: 3600 } } });
    expect(secret).toMatchObject({ name: `projects/${NUMBER}/secrets/login-1`, labels: { 'managed-by': 'stowage' }, replication: { automatic: {} } });
    const expires = Number(secret.expireTime!.seconds) * 1000;
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000);
    expect(expires).toBeLessThan(Date.now() + 3_601_000);

    const [version] = await client.addSecretVersion({ parent: `projects/${PROJECT}/secrets/login-1`, payload: payload('pa$$ "word"') });
    expect(version).toMatchObject({ name: `projects/${NUMBER}/secrets/login-1/versions/1`, state: 'ENABLED', clientSpecifiedPayloadChecksum: true });
    for (const v of ['1', 'latest']) {
      const [read] = await client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/login-1/versions/${v}` });
      expect(read.name).toBe(`projects/${NUMBER}/secrets/login-1/versions/1`);
      expect(Buffer.from(read.payload!.data as Uint8Array).toString()).toBe('pa$$ "word"');
      expect(String(read.payload!.dataCrc32c)).toBe(String(crc32c(Buffer.from('pa$$ "word"'))));
    }
    // By project number too, as Google names it back.
    const [got] = await client.getSecret({ name: `projects/${NUMBER}/secrets/login-1` });
    expect(got.name).toBe(secret.name);

    await client.deleteSecret({ name: `projects/${PROJECT}/secrets/login-1` });
    expect(bed.emulator.secretManager.names()).toEqual([]);
    expect(await failure(client.getSecret({ name: `projects/${PROJECT}/secrets/login-1` }))).toEqual({ code: 404, status: 'NOT_FOUND', message: `Secret [projects/${NUMBER}/secrets/login-1] not found.` });
    expect((await failure(client.deleteSecret({ name: `projects/${PROJECT}/secrets/login-1` }))).code).toBe(404);
  });

  it('refuses a second secret of the same id with 409 ALREADY_EXISTS, and a payload whose dataCrc32c does not match with 400 (no version added)', async () => {
    const client = bed.secretManager();
    await client.createSecret({ parent: `projects/${PROJECT}`, secretId: 'twice', secret: { replication: { automatic: {} } } });
    expect(await failure(client.createSecret({ parent: `projects/${PROJECT}`, secretId: 'twice', secret: { replication: { automatic: {} } } }))).toEqual({
      code: 409,
      status: 'ALREADY_EXISTS',
      message: `Secret [projects/${NUMBER}/secrets/twice] already exists.`,
    });
    const corrupted = await failure(client.addSecretVersion({ parent: `projects/${PROJECT}/secrets/twice`, payload: payload('value', crc32c(Buffer.from('other'))) }));
    expect(corrupted).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(/^Checksum mismatch: SecretPayload\.dataCrc32c \d+ is not the CRC32C of the data received/) });
    expect(await failure(client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/twice/versions/latest` }))).toMatchObject({ code: 404, message: `Secret [projects/${NUMBER}/secrets/twice] not found or has no versions.` });
    // Without a checksum the version is stored, and one is returned on access.
    const [plain] = await client.addSecretVersion({ parent: `projects/${PROJECT}/secrets/twice`, payload: { data: Buffer.from('value') } });
    expect(plain.clientSpecifiedPayloadChecksum).toBe(false);
    expect(await failure(client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/twice/versions/2` }))).toMatchObject({ code: 404, message: `Secret Version [projects/${NUMBER}/secrets/twice/versions/2] not found.` });
    await client.deleteSecret({ name: `projects/${PROJECT}/secrets/twice` });
  });

  it.each([
    ['a secret id with a slash-free but invalid character', { secretId: 'no.dots', secret: { replication: { automatic: {} } } }, 400, 'The provided Secret ID [no.dots] does not match'],
    ['no replication', { secretId: 'norep', secret: {} }, 400, 'Secret.replication is required'],
    ['an upper-case label key', { secretId: 'lab', secret: { replication: { automatic: {} }, labels: { Owner: 'x' } } }, 400, 'Secret.labels: invalid key "Owner"'],
  ])('refuses %s', async (_name, request, code, message) => {
    const failed = await failure(bed.secretManager().createSecret({ parent: `projects/${PROJECT}`, ...request }));
    expect(failed.code).toBe(code);
    expect(failed.message).toContain(message);
  });

  it('deletes a secret when its ttl passes', async () => {
    const client = bed.secretManager();
    await client.createSecret({ parent: `projects/${PROJECT}`, secretId: 'short-lived', secret: { replication: { automatic: {} }, ttl: { seconds: 0, nanos: 200_000_000 } } });
    expect(bed.emulator.secretManager.names()).toContain(`projects/${PROJECT}/secrets/short-lived`);
    await new Promise((r) => setTimeout(r, 300));
    expect((await failure(client.getSecret({ name: `projects/${PROJECT}/secrets/short-lived` }))).code).toBe(404);
  });

  it('answers a denied permission with 403 PERMISSION_DENIED in Google\'s words, an unknown project likewise, and an unknown token with 401', async () => {
    const client = bed.secretManager();
    await client.createSecret({ parent: `projects/${PROJECT}`, secretId: 'kept-1', secret: { replication: { automatic: {} } } });
    bed.emulator.secretManager.deny('secretmanager.secrets.delete', 'kept-');
    try {
      expect(await failure(client.deleteSecret({ name: `projects/${PROJECT}/secrets/kept-1` }))).toEqual({
        code: 403,
        status: 'PERMISSION_DENIED',
        message: `Permission 'secretmanager.secrets.delete' denied for resource 'projects/${PROJECT}/secrets/kept-1' (or it may not exist).`,
      });
    } finally {
      bed.emulator.secretManager.allowAll();
    }
    await client.deleteSecret({ name: `projects/${PROJECT}/secrets/kept-1` });
    expect(await failure(client.createSecret({ parent: 'projects/someone-else', secretId: 'x', secret: { replication: { automatic: {} } } }))).toMatchObject({
      code: 403,
      message: "Permission 'secretmanager.secrets.create' denied for resource 'projects/someone-else' (or it may not exist).",
    });
    expect(await failure(bed.secretManager('ya29.stolen').getSecret({ name: `projects/${PROJECT}/secrets/x` }))).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(bed.emulator.calls.at(-1)).toMatchObject({ service: 'secretmanager', method: 'GET', status: 401 });
  });
});
