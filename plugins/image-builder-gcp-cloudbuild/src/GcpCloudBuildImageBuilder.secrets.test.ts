import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectNumberOf } from '@stowage/gcp-cloudbuild-emulator';
import { StowageError } from '@stowage/plugin-api';
import { buildRequest, CloudBuildBed, LoopbackRegistry, PROJECT } from './__fixtures__/cloudBuildBed.js';

async function failureOf(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

const IMAGE = '127.0.0.1:5001/stowage-test/cloudbuild:secrets';
const PASSWORD = 'pa$$word-"unit"';
const NUMBER = projectNumberOf(PROJECT);
const TEMPORARY = new RegExp(`^projects/${PROJECT}/secrets/stowage-cloudbuild-[0-9a-f-]{36}$`);

// Real Cloud Build and Secret Manager clients against the emulator. The builder image
// `ubuntu:24.04` cannot run there, so a build that gets past its secrets fails at its login
// step without a Docker engine: what these tests check is what happens to the secrets.
describe('gcp-cloudbuild: the registry login reaches Cloud Build through Secret Manager only (no Docker needed)', () => {
  let bed: CloudBuildBed;
  beforeAll(async () => {
    bed = await CloudBuildBed.start();
  });
  afterAll(() => bed?.stop());
  afterEach(() => {
    bed.emulator.allowAll();
    bed.emulator.secretManager.allowAll();
  });

  const secretCalls = (from: number) => bed.emulator.calls.slice(from).filter((c) => c.service === 'secretmanager').map((c) => `${c.method} ${c.path.replace(/stowage-cloudbuild-[0-9a-f-]{36}/, '<temporary>')} ${c.status}`);
  const temporarySecrets = () => bed.emulator.secretManager.names().filter((n) => TEMPORARY.test(n));
  const basicRegistry = () => new LoopbackRegistry({ type: 'basic', username: 'ci', password: PASSWORD });
  const failingBuilder = (extra: Record<string, unknown> = {}) => bed.builder(basicRegistry(), { cloud_builder_image: 'ubuntu:24.04', ...extra });
  const stage = () => bed.stage({ Dockerfile: 'FROM scratch\n' });

  it('keeps the password in a temporary secret (labels, ttl) that the build reads, deletes it after the build failed, and sends Cloud Build no password', async () => {
    const calls = bed.emulator.calls.length;
    const error = await failureOf(failingBuilder().build(buildRequest(IMAGE, await stage())));
    // It got past reading the secret: the login step itself failed (its builder image cannot run here).
    expect(error.message).toMatch(/ended FAILURE in Step #0 - "login": build step 0 "ubuntu:24\.04" failed: builder image "ubuntu:24\.04" cannot be pulled here/);
    expect(secretCalls(calls)).toEqual([`POST /v1/projects/${PROJECT}/secrets 200`, `POST /v1/projects/${PROJECT}/secrets/<temporary>:addVersion 200`, `DELETE /v1/projects/${PROJECT}/secrets/<temporary> 200`]);
    const create = bed.emulator.calls.slice(calls).find((c) => c.service === 'secretmanager' && c.method === 'POST')!;
    expect(JSON.parse(create.body)).toMatchObject({ labels: { 'managed-by': 'stowage', 'stowage-use': 'cloud-build-registry-login' }, ttl: `${3600 + 3600 + 600}s`, replication: { automatic: {} } });
    expect(temporarySecrets()).toEqual([]);
    const build = bed.lastBuild().options.spec;
    expect(build.availableSecrets).toEqual([{ versionName: expect.stringMatching(new RegExp(`^projects/${NUMBER}/secrets/stowage-cloudbuild-[0-9a-f-]{36}/versions/1$`)), env: 'STOWAGE_REGISTRY_PASSWORD' }]);
    expect(build.steps[0]).toMatchObject({ env: ['STOWAGE_REGISTRY_USERNAME=ci'], secretEnv: ['STOWAGE_REGISTRY_PASSWORD'] });
    expect(bed.emulator.cloudBuildTranscript()).not.toContain('pa$$word');
    expect(bed.emulator.cloudBuildTranscript()).not.toContain('unit"');
  });

  it('a Ctrl-C during the login starts no Cloud Build build, and the temporary secret is deleted', async () => {
    const calls = bed.emulator.calls.length;
    const builds = bed.emulator.builds.size;
    const request = buildRequest(IMAGE, await stage());
    request.controller.abort();
    const error = await failureOf(failingBuilder().build(request));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(error.message).toBe(`build cancelled before Cloud Build started a build of ${IMAGE}`);
    expect(bed.emulator.builds.size).toBe(builds);
    expect(bed.emulator.calls.slice(calls).filter((c) => c.service !== 'secretmanager')).toEqual([]);
    expect(temporarySecrets()).toEqual([]);
  });

  it('with registry_username_secret / registry_password_secret, asks the registry nothing, creates no secret, and names the versions (latest of the build project by default)', async () => {
    const calls = bed.emulator.calls.length;
    bed.emulator.secretManager.add(PROJECT, 'ci-user', 'ci');
    bed.emulator.secretManager.add(PROJECT, 'ci-pass', PASSWORD);
    const registry = basicRegistry();
    const builder = bed.builder(registry, { cloud_builder_image: 'ubuntu:24.04', registry_username_secret: 'ci-user', registry_password_secret: `projects/${PROJECT}/secrets/ci-pass/versions/1` });
    const error = await failureOf(builder.build(buildRequest(IMAGE, await stage())));
    expect(error.message).toContain('Step #0 - "login"');
    expect(registry.scopes).toEqual([]);
    expect(secretCalls(calls)).toEqual([]);
    expect(bed.lastBuild().options.spec.availableSecrets).toEqual([
      { versionName: `projects/${PROJECT}/secrets/ci-user/versions/latest`, env: 'STOWAGE_REGISTRY_USERNAME' },
      { versionName: `projects/${PROJECT}/secrets/ci-pass/versions/1`, env: 'STOWAGE_REGISTRY_PASSWORD' },
    ]);
    expect(bed.lastBuild().options.spec.steps[0]).toMatchObject({ env: [], secretEnv: ['STOWAGE_REGISTRY_USERNAME', 'STOWAGE_REGISTRY_PASSWORD'] });
  });

  it('a registry secret Cloud Build cannot read fails the login step in Cloud Build\'s words, with what to check', async () => {
    bed.emulator.secretManager.add(PROJECT, 'ci-user-2', 'ci');
    const builder = bed.builder(basicRegistry(), { registry_username_secret: 'ci-user-2', registry_password_secret: 'no-such-secret' });
    const error = await failureOf(builder.build(buildRequest(IMAGE, await stage())));
    expect(error.message).toBe(
      `Cloud Build build ${bed.lastBuild().id} of ${IMAGE} ended FAILURE in Step #0 - "login": build step 0 "gcr.io/cloud-builders/docker" failed: failed to access secret version for secret projects/${NUMBER}/secrets/no-such-secret/versions/latest: rpc error: code = NotFound desc = Secret [projects/${NUMBER}/secrets/no-such-secret] not found or has no versions.`,
    );
    expect(error.hint).toBe(
      `Cloud Build could not read projects/${NUMBER}/secrets/no-such-secret/versions/latest: check that the secret has that version (\`registry_username_secret\`, \`registry_password_secret\`) and that the build's service account may read it (roles/secretmanager.secretAccessor)`,
    );
  });

  it('a refused createSecret fails before any build, with the permissions to grant; nothing to delete', async () => {
    bed.emulator.secretManager.deny('secretmanager.secrets.create', 'stowage-cloudbuild-');
    const [calls, builds] = [bed.emulator.calls.length, bed.emulator.builds.size];
    const error = await failureOf(failingBuilder().build(buildRequest(IMAGE, await stage())));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toBe(`could not keep the password for 127.0.0.1:5001 in Secret Manager for the Cloud Build build of ${IMAGE}: HTTP 403: Permission 'secretmanager.secrets.create' denied for resource 'projects/${PROJECT}' (or it may not exist). — check the credentials: \`access_token\` (tokens expire after about an hour), \`service_account_key\`, or Application Default Credentials (\`gcloud auth application-default login\`), and that they may use this project`);
    expect(error.hint).toContain('secretmanager.secrets.create, secretmanager.versions.add and secretmanager.secrets.delete on the secrets `stowage-cloudbuild-*` of project stowage-test');
    expect(error.hint).toContain('set `registry_username_secret` and `registry_password_secret`');
    expect(bed.emulator.builds.size).toBe(builds);
    expect(secretCalls(calls)).toEqual([`POST /v1/projects/${PROJECT}/secrets 403`]);
  });

  it.each([
    ['a refused addVersion', () => bed.emulator.secretManager.deny('secretmanager.versions.add', 'stowage-cloudbuild-'), 'could not keep the password'],
    ['a refused createBuild', () => bed.emulator.deny('cloudbuild.builds.create'), 'Cloud Build could not start a build'],
  ])('after %s, the secret it created is deleted and no build runs', async (_name, refuse, message) => {
    refuse();
    const builds = bed.emulator.builds.size;
    const error = await failureOf(failingBuilder().build(buildRequest(IMAGE, await stage())));
    expect(error.message).toContain(message);
    expect(bed.emulator.builds.size).toBe(builds);
    expect(bed.emulator.calls.filter((c) => c.service === 'secretmanager').at(-1)).toMatchObject({ method: 'DELETE', status: 200 });
    expect(temporarySecrets()).toEqual([]);
  });

  it('a secret it may not delete is named in the error, with the gcloud command that deletes it', async () => {
    bed.emulator.secretManager.deny('secretmanager.secrets.delete', 'stowage-cloudbuild-');
    const error = await failureOf(failingBuilder().build(buildRequest(IMAGE, await stage())));
    const [left] = temporarySecrets();
    expect(left).toMatch(TEMPORARY);
    const id = left!.slice(left!.lastIndexOf('/') + 1);
    expect(error.details.at(-1)).toMatch(
      new RegExp(`^the temporary Secret Manager secret ${left} could not be deleted \\(HTTP 403: Permission 'secretmanager\\.secrets\\.delete' denied .*\\): delete it with \`gcloud secrets delete ${id} --project=${PROJECT} --quiet\`$`),
    );
    bed.emulator.secretManager.allowAll();
    await (await bed.apis.at(-1)!.secretManager()).deleteSecret(left!);
  });
});
