import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorBed } from './__fixtures__/emulatorBed.js';
import { AUTH_CREDENTIALS, AUTH_REGISTRY, e2eReady, OPEN_REGISTRY, registryDigest, removeImages } from './__fixtures__/e2eGate.js';
import { DOCKER_BUILDER } from './runBuildStep.js';

const RUN_ID = randomBytes(4).toString('hex');
const ready = await e2eReady();

// gcr.io/cloud-builders/docker cannot be pulled here: the steps' `docker` is the host's, on the
// local engine, pushing to the loopback registries.
describe.runIf(ready)('Cloud Build emulator builds and pushes for real (docker builder as the host docker)', () => {
  let bed: EmulatorBed;
  const tagged: string[] = [];
  beforeAll(async () => {
    // The build's service account may push to the authenticated registry without a login step, as Cloud Build may to the project's registries.
    bed = await EmulatorBed.start({ registryLogins: [{ registry: AUTH_REGISTRY, ...AUTH_CREDENTIALS }] });
  });
  afterAll(async () => {
    await bed?.stop();
    await removeImages(tagged);
  });

  it('runs docker build, pushes `images` in the PUSH phase with the implicit registry login, and reports the digest the registry serves', async () => {
    const image = `${AUTH_REGISTRY}/stowage-test/cloudbuild-emulator:${RUN_ID}`;
    tagged.push(image);
    const files = { Dockerfile: `FROM python:3.11-slim\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt\n`, 'hello.txt': `hello ${RUN_ID}\n` };
    const build = await bed.finalBuild(await bed.create(files, { steps: [{ name: DOCKER_BUILDER, args: ['build', '--network=host', '-t', image, '.'] }], images: [image] }));
    expect(build.status).toBe('SUCCESS');
    const digest = await registryDigest(image, AUTH_CREDENTIALS);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(build.results?.images).toEqual([expect.objectContaining({ name: image, digest })]);
    expect(Object.keys(build.timing ?? {}).sort()).toEqual(['BUILD', 'FETCHSOURCE', 'PUSH']);
    const lines = bed.emulator.logLines(build.id!);
    expect(lines).toEqual(expect.arrayContaining([`Step #0: hello ${RUN_ID}`, 'PUSH', `Pushing ${image}`, 'DONE']));
  }, 180_000);

  it('fails PUSH with PUSH_IMAGE_NOT_FOUND when no step built an image of `images`', async () => {
    const image = `${OPEN_REGISTRY}/stowage-test/cloudbuild-emulator:${RUN_ID}-never-built`;
    const build = await bed.finalBuild(await bed.create({ 'x.txt': 'x' }, { steps: [{ name: DOCKER_BUILDER, args: ['version'] }], images: [image] }));
    expect(build.status).toBe('FAILURE');
    expect(build.failureInfo).toEqual({ type: 'PUSH_IMAGE_NOT_FOUND', detail: `failed to find one or more images after execution of build steps: ["${image}"]` });
  }, 60_000);

  it('fails PUSH with PUSH_NOT_AUTHORIZED for a registry the service account has no login for', async () => {
    const image = `${AUTH_REGISTRY}/stowage-test/cloudbuild-emulator:${RUN_ID}-denied`;
    tagged.push(image);
    const noLogin = await EmulatorBed.start();
    try {
      const files = { Dockerfile: 'FROM python:3.11-slim\n' };
      const build = await noLogin.finalBuild(await noLogin.create(files, { steps: [{ name: DOCKER_BUILDER, args: ['build', '-t', image, '.'] }], images: [image] }));
      expect(build.failureInfo?.type).toBe('PUSH_NOT_AUTHORIZED');
    } finally {
      await noLogin.stop();
    }
  }, 120_000);
});
