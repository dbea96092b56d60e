import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { buildRequest, CloudBuildBed, LoopbackRegistry, PROJECT } from './__fixtures__/cloudBuildBed.js';

async function failureOf(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

const IMAGE = '127.0.0.1:5000/stowage-test/cloudbuild:unit';

// Real @google-cloud/cloudbuild client against the emulator, which verifies the bearer token. A
// builder image other than gcr.io/cloud-builders/docker fails its step there, so the failure path
// needs no Docker engine.
describe('GcpCloudBuildImageBuilder against the emulator (no Docker needed)', () => {
  let bed: CloudBuildBed;
  beforeAll(async () => {
    bed = await CloudBuildBed.start();
  });
  afterAll(() => bed?.stop());

  it('refuses a bad access token with a clear message (401 UNAUTHENTICATED): no build starts', async () => {
    const error = await failureOf(bed.builder(new LoopbackRegistry(), { access_token: 'ya29.expired' }).build(buildRequest(IMAGE, await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toContain(`Cloud Build could not start a build of ${IMAGE} in project ${PROJECT}: HTTP 401: Request had invalid authentication credentials.`);
    expect(error.message).toContain('check the credentials: `access_token`');
    expect(error.message).not.toContain('ya29.expired');
    expect(bed.emulator.calls.at(-1)).toMatchObject({ method: 'POST', path: `/v1/projects/${PROJECT}/builds`, status: 401 });
    expect(bed.emulator.builds.size).toBe(0);
  });

  it('signs with service_account_key (a self-signed JWT the emulator verifies) and names the failing step, its log lines and the console link', async () => {
    const builder = bed.builder(new LoopbackRegistry(), { access_token: undefined, service_account_key: bed.account.keyJson, cloud_builder_image: 'ubuntu:24.04' });
    const request = buildRequest(IMAGE, await bed.stage({ Dockerfile: 'FROM scratch\n' }));
    const error = await failureOf(builder.build(request));
    expect(bed.emulator.calls.filter((c) => c.method === 'POST').at(-1)).toMatchObject({ principal: bed.account.email, status: 200 });
    expect(error.code).toBe('BUILD_FAILED');
    const build = bed.lastBuild();
    expect(error.message).toBe(`Cloud Build build ${build.id} of ${IMAGE} ended FAILURE in Step #0 - "build": build step 0 "ubuntu:24.04" failed: builder image "ubuntu:24.04" cannot be pulled here: the emulator runs only gcr.io/cloud-builders/docker (as the host's docker)`);
    expect(error.details).toContain('  Starting Step #0 - "build"');
    expect(error.details.at(-1)).toBe(`logs: https://console.cloud.google.com/cloud-build/builds/${build.id}?project=${build.options.identity.projectNumber}`);
    expect(request.events).toContainEqual({ type: 'step', step: 'Cloud Build Step #0 - "build"' });
    expect(request.events).toContainEqual({ type: 'log', line: `starting build "${build.id}"` });
  });

  it('answers an unknown project with what to do', async () => {
    const error = await failureOf(bed.builder(new LoopbackRegistry(), { project: 'someone-else' }).build(buildRequest(IMAGE, await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.message).toContain('in project someone-else: HTTP 403: Permission denied on resource project someone-else.');
    expect(error.hint).toContain('Cloud Build API is not enabled');
  });

  it('refuses a context that was not staged on Cloud Storage, before calling Cloud Build', async () => {
    const calls = bed.emulator.calls.length;
    const local = { uri: 'file:///tmp/ctx.tar.gz', scheme: 'file', path: '/tmp/ctx.tar.gz' };
    for (const staged of [undefined, local]) {
      const error = await failureOf(bed.builder(new LoopbackRegistry()).build(buildRequest(IMAGE, staged)));
      expect(error.code).toBe('CAPABILITY_MISSING');
      expect(error.hint).toContain('`gcs` artifact store');
    }
    expect(bed.emulator.calls.length).toBe(calls);
  });

  it('does not accept a bearer token it cannot hand to docker login', async () => {
    const error = await failureOf(bed.builder(new LoopbackRegistry({ type: 'bearer', token: 't' })).build(buildRequest(IMAGE, await bed.stage({ Dockerfile: 'FROM scratch\n' }))));
    expect(error.code).toBe('CAPABILITY_MISSING');
  });
});
