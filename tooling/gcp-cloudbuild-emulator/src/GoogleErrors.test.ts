import { CloudBuildClient } from '@google-cloud/cloudbuild';
import { JWT } from 'google-auth-library';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bash, EmulatorBed, PROJECT, SOURCES } from './__fixtures__/emulatorBed.js';

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const account = makeTestServiceAccount('builder@stowage-test.iam.gserviceaccount.com');
const source = { storageSource: { bucket: SOURCES, object: 'none.tar.gz' } };

/** The error a call fails with: its HTTP status code and the message of Google's JSON error body (gaxios puts the body in `message`). */
async function failure(promise: Promise<unknown>): Promise<{ code: unknown; status: string; message: string }> {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as { code?: unknown; message: string } | undefined;
  if (!error) throw new Error('expected the call to fail');
  const body = (JSON.parse(error.message) as { error: { message: string; status: string } }).error;
  return { code: error.code, status: body.status, message: body.message };
}

describe('Cloud Build emulator: authentication and Google JSON errors, real client', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start({ trust: { accessTokens: [], serviceAccounts: [account] } });
  });
  afterAll(() => bed?.stop());

  it("accepts a service account's self-signed JWT (verified with its public key)", async () => {
    const key = JSON.parse(account.keyJson) as { client_email: string; private_key: string; private_key_id: string };
    const authClient = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [CLOUD_PLATFORM] });
    authClient.useJWTAccessWithScope = true;
    const client = new CloudBuildClient({ fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port: bed.emulator.port, authClient });
    const failed = await failure(client.getBuild({ projectId: PROJECT, id: 'no-such-build' }));
    await client.close();
    expect(failed.code).toBe(404);
    expect(bed.emulator.calls.at(-1)).toMatchObject({ method: 'GET', principal: key.client_email, status: 404 });
  });

  it('refuses an access token it does not know with 401 UNAUTHENTICATED, before doing anything', async () => {
    const before = bed.emulator.builds.size;
    const refused = await failure(bed.client('ya29.stolen').createBuild({ projectId: PROJECT, build: { source, steps: [bash('true')] } }));
    expect(refused.code).toBe(401);
    expect(refused).toMatchObject({ status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.' });
    expect(bed.emulator.builds.size).toBe(before);
    expect(bed.emulator.calls.at(-1)).toMatchObject({ method: 'POST', status: 401 });
  });
});

describe('Cloud Build emulator: request errors as Google answers them, real client', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it.each([
    ['an unknown project', { projectId: 'other-project', build: { source, steps: [bash('true')] } }, 403, 'Permission denied on resource project other-project.'],
    ['a $NAME that is no substitution (write $$ for the shell)', { projectId: PROJECT, build: { source, steps: [bash('echo $HOME')] } }, 400, 'key in the template "HOME" is not a valid built-in substitution'],
    ['an unused user substitution', { projectId: PROJECT, build: { source, steps: [bash('true')], substitutions: { _UNUSED: 'x' } } }, 400, 'key "_UNUSED" in the substitution data is not matched in the template'],
    ['no steps', { projectId: PROJECT, build: { source, steps: [] } }, 400, 'a build needs at least one step'],
    ['a waitFor on no earlier step', { projectId: PROJECT, build: { source, steps: [bash('true', { waitFor: ['later'] }), bash('true', { id: 'later' })] } }, 400, 'no earlier step has the id "later"'],
    ['a step field it does not emulate', { projectId: PROJECT, build: { source, steps: [bash('true', { volumes: [{ name: 'v', path: '/v' }] })] } }, 400, 'build.steps[0].volumes is not emulated'],
    ['a secretEnv no availableSecrets defines', { projectId: PROJECT, build: { source, steps: [bash('true', { secretEnv: ['PASSWORD'] })] } }, 400, 'invalid secrets: secretEnv "PASSWORD" is used without being defined'],
    ['an image that is no image reference', { projectId: PROJECT, build: { source, steps: [bash('true')], images: ['Not An Image'] } }, 400, 'build.images: "Not An Image" is not a valid image reference'],
  ])('createBuild with %s', async (_name, request, code, message) => {
    const failed = await failure(bed.client().createBuild(request));
    expect(failed.code).toBe(code);
    expect(failed.message).toContain(message);
  });

  it('answers 404 NOT_FOUND for a build or an operation it does not know', async () => {
    expect(await failure(bed.client().getBuild({ projectId: PROJECT, id: 'nope' }))).toMatchObject({ code: 404, message: expect.stringContaining('Requested entity was not found.') });
    expect(await failure(bed.client().cancelBuild({ projectId: PROJECT, id: 'nope' }))).toMatchObject({ code: 404 });
    expect(await failure(bed.client().checkCreateBuildProgress(`operations/build/${PROJECT}/bm9wZQ`))).toMatchObject({ code: 404 });
  });

  it('answers createBuild with 403 "The caller does not have permission" while cloudbuild.builds.create is denied, and creates nothing', async () => {
    const before = bed.emulator.builds.size;
    bed.emulator.deny('cloudbuild.builds.create');
    try {
      expect(await failure(bed.client().createBuild({ projectId: PROJECT, build: { source, steps: [bash('true')] } }))).toEqual({ code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' });
    } finally {
      bed.emulator.allowAll();
    }
    expect(bed.emulator.builds.size).toBe(before);
  });
});
