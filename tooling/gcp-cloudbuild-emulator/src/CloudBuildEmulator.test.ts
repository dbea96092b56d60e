import { protos } from '@google-cloud/cloudbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bash, EmulatorBed, LOGS, PROJECT, SOURCES, type Build } from './__fixtures__/emulatorBed.js';
import { projectNumberOf } from './CloudBuildEmulator.js';
import { DOCKER_BUILDER } from './runBuildStep.js';

const statuses = (build: Build) => build.steps?.map((s) => s.status);

// The emulator cannot pull gcr.io/cloud-builders/docker: its entrypoint runs on the host. These
// tests name `bash` as the entrypoint (the builder image has it), so they need no Docker engine.
describe('Cloud Build emulator, real @google-cloud/cloudbuild client (docker builder as the host, entrypoint bash)', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it('fetches and unpacks the storage source keeping modes, runs the steps in order with env, dir and substitutions, and logs as Cloud Build', async () => {
    const files = { 'run.sh': { content: '#!/bin/sh\necho "ran in $(pwd)"\n', mode: 0o755 }, 'sub/data.txt': 'hello\n' };
    const steps = [
      // `$$` is how a build config writes a `$` for the shell: Cloud Build substitutes `$NAME` itself.
      bash('./run.sh && echo "$$GREETING from $$HOME"', { id: 'first', env: ['GREETING=hi'] }),
      bash(`cat data.txt; echo "project=$PROJECT_ID build=\${BUILD_ID} x=$_X" 'literal=$$HOME'`, { dir: 'sub' }),
    ];
    const operation = await bed.create(files, { steps, substitutions: { _X: 'ex' } });
    expect(operation.name).toMatch(/^operations\/build\/stowage-test\/[A-Za-z0-9_-]+$/);
    const created = (operation.metadata as { build: Build }).build;
    // The client decodes the operation's metadata with the enum as a number (it asked for enum-encoding=int).
    expect(created.status).toBe(protos.google.devtools.cloudbuild.v1.Build.Status.QUEUED);
    const done = await bed.finished(operation.name!);
    expect(done.error).toBeFalsy();
    expect((done.result as Build).status).toBe(protos.google.devtools.cloudbuild.v1.Build.Status.SUCCESS);
    const build = await bed.finalBuild(operation);
    expect(build).toMatchObject({ id: created.id, projectId: PROJECT, status: 'SUCCESS', logsBucket: `gs://${LOGS}`, timeout: { seconds: '600' } });
    expect(statuses(build)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(build.steps?.[0]?.timing?.endTime?.seconds).toBeDefined();
    expect(Object.keys(build.timing ?? {}).sort()).toEqual(['BUILD', 'FETCHSOURCE']);
    expect(build.sourceProvenance?.resolvedStorageSource).toMatchObject({ bucket: SOURCES, object: expect.stringMatching(/\.tar\.gz$/) });
    expect(build.logUrl).toBe(`https://console.cloud.google.com/cloud-build/builds/${build.id}?project=${projectNumberOf(PROJECT)}`);
    const lines = bed.emulator.logLines(build.id!);
    expect(lines.slice(0, 4)).toEqual([`starting build "${build.id}"`, '', 'FETCHSOURCE', expect.stringMatching(/^Fetching storage object: gs:\/\/stowage-sources\/contexts\//)]);
    expect(lines).toEqual(expect.arrayContaining([
      'Starting Step #0 - "first"',
      expect.stringMatching(/^Step #0 - "first": ran in \/.+\/workspace$/),
      expect.stringMatching(/^Step #0 - "first": hi from \/.+\/home$/),
      'Finished Step #0 - "first"',
      'Step #1: hello',
      `Step #1: project=${PROJECT} build=${build.id} x=ex literal=$HOME`,
    ]));
    expect(lines.at(-1)).toBe('DONE');
    expect(bed.logObject(build.id!)).toEqual(lines);
  });

  it('fails the build at a failing step: later steps do not run, the failure names the step, the operation ends with an error', async () => {
    const operation = await bed.create({ 'a.txt': 'a' }, { steps: [bash('echo one'), bash('echo about to fail; exit 3'), bash('echo never')] });
    const done = await bed.finished(operation.name!);
    expect(done.error).toMatchObject({ code: 2, message: 'Build failed; check build logs for details' });
    const build = await bed.finalBuild(operation);
    expect(build.status).toBe('FAILURE');
    expect(statuses(build)).toEqual(['SUCCESS', 'FAILURE', 'QUEUED']);
    expect(build.steps?.[1]?.exitCode).toBe(3);
    const detail = `build step 1 "${DOCKER_BUILDER}" failed: step exited with non-zero status: 3`;
    expect(build.failureInfo).toEqual({ type: 'USER_BUILD_STEP', detail });
    expect(build.statusDetail).toBe(detail);
    const lines = bed.emulator.logLines(build.id!);
    expect(lines).toContain('Step #1: about to fail');
    expect(lines).not.toContain('Step #2: never');
    expect(lines.slice(-2)).toEqual(['ERROR', `ERROR: ${detail}`]);
  });

  it('runs steps concurrently as waitFor allows, and a step that waits for both after them', async () => {
    const steps = [
      bash('for i in $(seq 100); do [ -f b.done ] && exit 0; sleep 0.05; done; exit 1', { id: 'a', waitFor: ['-'] }),
      bash('sleep 0.2; touch b.done', { id: 'b', waitFor: ['-'] }),
      bash('ls b.done', { waitFor: ['a', 'b'] }),
    ];
    const build = await bed.finalBuild(await bed.create({ 'x.txt': 'x' }, { steps }));
    expect(build.status).toBe('SUCCESS');
    expect(statuses(build)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  it('fails the step of any builder image other than the docker builder, saying it cannot be pulled here', async () => {
    const build = await bed.finalBuild(await bed.create({ 'x.txt': 'x' }, { steps: [{ name: 'ubuntu', args: ['echo', 'hi'] }] }));
    expect(build.status).toBe('FAILURE');
    expect(build.statusDetail).toBe(`build step 0 "ubuntu" failed: builder image "ubuntu" cannot be pulled here: the emulator runs only ${DOCKER_BUILDER} (as the host's docker)`);
  });

  it('fails FETCHSOURCE for a missing object and for an archive entry that escapes the workspace', async () => {
    const [missing] = await bed.client().createBuild({ projectId: PROJECT, build: { source: { storageSource: { bucket: SOURCES, object: 'nope.tar.gz' } }, steps: [bash('true')] } });
    const gone = await bed.finalBuild(missing);
    expect(gone.failureInfo).toEqual({ type: 'FETCH_SOURCE_FAILED', detail: expect.stringMatching(/^failed to fetch source gs:\/\/stowage-sources\/nope\.tar\.gz: HTTP 404/) });
    const escaping = await bed.finalBuild(await bed.create({ '../evil.txt': 'x' }, { steps: [bash('true')] }));
    expect(escaping.failureInfo?.detail).toContain('archive entry "../evil.txt" escapes the workspace');
    expect(statuses(escaping)).toEqual(['QUEUED']);
  });

  it('ends a build past its timeout: TIMEOUT, the running step TIMEOUT, the operation DEADLINE_EXCEEDED', async () => {
    const operation = await bed.create({ 'x.txt': 'x' }, { steps: [bash('sleep 30')], timeout: { seconds: 1 } });
    const started = Date.now();
    const done = await bed.finished(operation.name!);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(done.error).toMatchObject({ code: 4 });
    const build = await bed.finalBuild(operation);
    expect(build.status).toBe('TIMEOUT');
    expect(statuses(build)).toEqual(['TIMEOUT']);
    expect(bed.emulator.logLines(build.id!).slice(-2)).toEqual(['TIMEOUT', 'ERROR: context deadline exceeded']);
  });

  it('serves regional builds under projects/*/locations/*, and only there', async () => {
    const operation = await bed.create({ 'x.txt': 'x' }, { steps: [bash('echo regional')] }, 'europe-west1');
    expect(operation.name).toMatch(/^projects\/stowage-test\/locations\/europe-west1\/operations\/[A-Za-z0-9_-]+$/);
    const build = await bed.finalBuild(operation, 'europe-west1');
    expect(build).toMatchObject({ status: 'SUCCESS', name: `projects/${PROJECT}/locations/europe-west1/builds/${build.id}` });
    expect(build.logUrl).toBe(`https://console.cloud.google.com/cloud-build/builds;region=europe-west1/${build.id}?project=${projectNumberOf(PROJECT)}`);
    await expect(bed.client().getBuild({ projectId: PROJECT, id: build.id! })).rejects.toMatchObject({ code: 404 });
  });

  it('answers enums as numbers when the client asks for enum-encoding=int, as strings otherwise', async () => {
    const operation = await bed.create({ 'x.txt': 'x' }, { steps: [bash('true')] });
    const build = await bed.finalBuild(operation);
    const url = `${bed.emulator.endpoint}/v1/projects/${PROJECT}/builds/${build.id}`;
    const get = (query: string) => fetch(url + query, { headers: { authorization: `Bearer ${bed.token}` } }).then((r) => r.json() as Promise<{ status: unknown; steps: { status: unknown }[] }>);
    expect(await get('?$alt=json%3Benum-encoding=int')).toMatchObject({ status: 3, steps: [{ status: 3 }] });
    expect(await get('')).toMatchObject({ status: 'SUCCESS', steps: [{ status: 'SUCCESS' }] });
  });
});
