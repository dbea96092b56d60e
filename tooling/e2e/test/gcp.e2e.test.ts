/**
 * The GCP stack (issue 11), end to end on the real Docker engine: the quickstart pipeline on a
 * stack `gcp` = image_builder `gcp-cloudbuild` + container_registry `gcp` + artifact_store `gcs`,
 * every Google API an emulator on loopback that verifies bearer tokens and service-account JWTs
 * (see gcpBed.ts), driven by the real Google clients inside the real `stowage` CLI.
 *
 * The emulated Cloud Build runs the docker builder's steps ON THE HOST (the
 * `gcr.io/cloud-builders/docker` image cannot be pulled here): `docker build`/`docker push` run
 * against the local engine and push to the loopback registry that stands in for Artifact Registry.
 *
 * One project, in order: (1) plan + build pushes every image with the digests Cloud Build reports;
 * (2) a rerun is the existing build; (3) Ctrl-C mid-build cancels the remote build; (4) a failing
 * RUN names the step and its log; (5) a bad token is refused with a clear message. (3)-(5) record
 * nothing. (6) stack `gcp-oci`: a basic-auth `oci` registry whose login Cloud Build reads from
 * Secret Manager (`registry_username_secret` / `registry_password_secret`): no password in what
 * Cloud Build was sent, keeps or shows (`cloudBuildTranscript()`), in the CLI's output or the record.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { installLoopbackGuard } from '@stowage/testing';
import { containersMentioning, docker, localTags, removeImages } from './docker.js';
import { useE2E } from './e2eGate.js';
import { BUCKET, GcpBed, GCP_PLUGINS, linkGcpPlugins, LOCATION, OCI_REPOSITORY, PROJECT, REGISTRY_SECRETS, REPOSITORY, STORE_FOLDER } from './gcpBed.js';
import { Cleanup, editYaml, readStore, uniqueSuffix, type PlanJson, type PlanStepJson } from './projects.js';
import { describeRun, REPO_ROOT, runStowage, stowageJson, type StowageResult } from './runStowage.js';

// The CLI reaches the Google clients, and this file talks to the emulators: nothing may leave the
// machine, and no client may look for a metadata server. The CLI subprocesses get the same guard.
installLoopbackGuard();
process.env['METADATA_SERVER_DETECTION'] = 'none';

const gate = useE2E('gcp');
const cleanup = new Cleanup();
let bed: GcpBed;
let project: string;
let pipeline: string;
/** Every image name a build of this file tagged on the host engine (the emulated builds run there). */
const tagged = new Set<string>();

beforeAll(async () => {
  bed = await GcpBed.start();
  const root = cleanup.dir(await mkdtemp(join(tmpdir(), 'stowage-e2e-gcp-project-')));
  await linkGcpPlugins(root);
  project = join(root, 'quickstart');
  const source = join(REPO_ROOT, 'examples', 'quickstart');
  await cp(source, project, { recursive: true, filter: (src) => !/\/(\.stowage|node_modules)(\/|$)/.test(src.slice(source.length)) });
  pipeline = `e2e-gcp-${uniqueSuffix()}`;
  await editYaml(project, (c) => {
    c.pipeline.name = pipeline;
    // The gcs store adds ZenML's gcp integration (gcsfs, …), which the offline index lacks.
    c.settings.docker.install_stack_requirements = false;
    c.plugins = GCP_PLUGINS.map((n) => `@stowage/${n}`);
    c.stacks = { gcp: bed.stack() };
    c.active_stack = 'gcp';
  });
}, 120_000);

afterAll(async () => {
  // The classic builder keeps the container of a failed RUN: remove ours (their commands carry this file's pipeline name).
  if (pipeline) {
    const ids = [...(await containersMentioning(`stowage-e2e-marker-${pipeline}`)).keys()];
    if (ids.length) await docker(['rm', '-f', ...ids]);
  }
  await removeImages(tagged);
  await cleanup.run();
  await bed?.stop();
});

type GcpPlanStep = PlanStepJson & { pushInBuild?: boolean; checksum?: string; stagedContext?: { key: string; destination: string } | null; key?: string; format?: string; destination?: string };
type GcpPlan = Omit<PlanJson, 'images'> & {
  images: (Omit<PlanJson['images'][number], 'buildSteps'> & { code: { strategy: string; reason: string }; buildSteps: GcpPlanStep[] })[];
};

const env = (extra: Record<string, string | undefined> = {}) => bed.cliEnv(extra);
const cli = (args: string[], extra: Record<string, string | undefined> = {}, onStderr?: Parameters<typeof runStowage>[1]['onStderr']) =>
  runStowage(args, { cwd: project, env: env(extra), onStderr, timeoutMs: 600_000 });

async function plan(): Promise<GcpPlan> {
  return (await stowageJson<GcpPlan>(['plan', '--json'], { cwd: project, env: env() })).json;
}

async function build(extra: Record<string, string | undefined> = {}): Promise<{ build: PipelineBuild; run: StowageResult }> {
  const { json, run } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: project, env: env(extra), timeoutMs: 600_000 });
  for (const image of json.images) if (image.action === 'built') for (const n of [image.imageName, ...image.dockerfiles.map((d) => d.imageName)]) tagged.add(n);
  return { build: json, run };
}

/** The registry repository images go to: `<project>/<repository>/<image>`. */
const repositoryOf = (imageName: string) => imageName.slice(imageName.indexOf('/') + 1, imageName.lastIndexOf(':'));

/** What a failed or cancelled build must leave unchanged: the records, the registry's tags, and this pipeline's local tags. */
async function snapshot(repository: string) {
  const tags = [...(await localTags())].filter((t) => t.includes(pipeline)).sort();
  return { records: (await readStore(project)).files, registryTags: await bed.tags(repository), localTags: tags };
}

describe('gcp stack (gcp-cloudbuild + gcp registry + gcs) on emulators; the docker builder steps run on the host (gcr.io/cloud-builders/docker is not pulled)', () => {
  let first: PipelineBuild;
  let repository = '';

  it('(1) plan stages each context as tar.gz on GCS then builds with push in the build; build pushes every image with the digest Cloud Build reports', async () => {
    const planned = await plan();
    expect(planned.stack.name).toBe('gcp');
    expect(planned.outcome.kind).toBe('new-build');
    expect(planned.images.map((i) => [i.key, i.action])).toEqual([
      ['pipeline', 'build'],
      ['train', 'build'],
    ]);
    for (const image of planned.images) {
      expect(image.buildSteps.map((s) => s.kind), image.key).toEqual(['stage-context', 'docker-build']);
      const [stage, dockerBuild] = image.buildSteps as [GcpPlanStep, GcpPlanStep];
      const hex = dockerBuild.checksum!.replace(/^sha256:/, '');
      const destination = `gs://${BUCKET}/${STORE_FOLDER}/contexts/${hex}.tar.gz`;
      expect(stage).toMatchObject({ kind: 'stage-context', image: image.key, key: `contexts/${hex}.tar.gz`, destination, format: 'tar.gz' });
      expect(dockerBuild).toMatchObject({ kind: 'docker-build', image: image.key, pushInBuild: true, stagedContext: { key: `contexts/${hex}.tar.gz`, destination } });
      expect(image.imageName.startsWith(`${bed.registry.address}/${PROJECT}/${REPOSITORY}/`), image.imageName).toBe(true);
      expect(image.buildSteps.some((s) => s.kind === 'push')).toBe(false);
    }
    repository = repositoryOf(planned.images[0]!.imageName);
    // The quickstart copy is no checkout: with the GCS store reachable, code goes to the store.
    expect(planned.images.map((i) => i.code.strategy)).toEqual(['artifact-store', 'artifact-store']);
    expect(planned.preSteps.map((s) => s.kind)).toEqual(['upload-code-archive']);
    expect(await bed.tags(repository)).toEqual([]);

    const calls = bed.cloudbuild.calls.length;
    const { build: b, run } = await build();
    first = b;
    expect(b.images.map((i) => [i.key, i.action])).toEqual([
      ['pipeline', 'built'],
      ['train', 'built'],
    ]);
    // Two Cloud Build builds, both accepted (the builder's service-account JWT verified), both SUCCESS.
    expect(bed.creates(calls)).toHaveLength(2);
    expect(bed.creates(calls).every((c) => c.endsWith(' 200'))).toBe(true);
    const remote = [...bed.cloudbuild.builds.values()];
    expect(remote.map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(bed.cloudbuild.calls.slice(calls).every((c) => c.principal === bed.account.email)).toBe(true);
    // The build log reached the progress output.
    expect(run.stderr).toMatch(/^\[pipeline\] .*Step #\d/m);
    expect(run.stderr).toMatch(/^\[train\] .*Step #\d/m);

    // The store: one tar.gz per image under contexts/, one code archive, the builds' logs.
    const keys = bed.storeKeys();
    expect(keys.filter((k) => k.startsWith('contexts/')).sort()).toEqual(planned.images.map((i) => i.buildSteps[0]!.key!).sort());
    expect(keys.filter((k) => k.startsWith('code_uploads/'))).toHaveLength(1);
    const context = bed.gcs.readObject(BUCKET, `${STORE_FOLDER}/${planned.images[0]!.buildSteps[0]!.key}`)!;
    expect([context[0], context[1]]).toEqual([0x1f, 0x8b]);
    expect(bed.gcs.objectNames(BUCKET).filter((k) => k.startsWith('cloud-build-logs/'))).toHaveLength(2);

    // Every image is in the registry with the digest Cloud Build reported and Stowage recorded.
    const tags: string[] = [];
    for (const image of b.images) {
      expect(image.digest, image.key).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await bed.registryDigest(image.imageName)).toBe(image.digest);
      expect(remote.flatMap((r) => r.images.map((i) => i.digest))).toContain(image.digest);
      expect(image.imageReference).toBe(`${bed.registry.address}/${repository}@${image.digest}`);
      tags.push(image.imageName.slice(image.imageName.lastIndexOf(':') + 1));
    }
    expect(await bed.tags(repository)).toEqual(tags.sort());
    expect((await readStore(project)).records.map((r) => r.id)).toEqual([b.id]);
    // No credential shows up in the output or the record.
    const record = await readFile(join(project, '.stowage', 'builds', `${b.id}.json`), 'utf8');
    for (const secret of [bed.token, 'PRIVATE KEY']) {
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(record).not.toContain(secret);
    }
  });

  it('(2) a rerun is the existing build: no createBuild reaches the emulated Cloud Build, nothing is uploaded', async () => {
    const again = await plan();
    expect(again.outcome).toEqual({ kind: 'existing-build', buildId: first.id });
    const calls = bed.cloudbuild.calls.length;
    const objects = bed.gcs.objectNames(BUCKET);
    const records = (await readStore(project)).files;
    const { build: same } = await build();
    expect(same.id).toBe(first.id);
    expect(bed.cloudbuildCalls(calls)).toEqual([]);
    expect(bed.gcs.objectNames(BUCKET)).toEqual(objects);
    expect((await readStore(project)).files).toEqual(records);
  });

  it('(3) Ctrl-C mid-build (a slow RUN on the host engine) cancels the Cloud Build build: CANCELLED, exit 130, nothing recorded', async () => {
    await editYaml(project, (c) => {
      c.steps.train.settings.docker.allow_download_from_artifact_store = false; // code included, so the install command runs
      c.steps.train.settings.docker.local_project_install_command = `echo sleeping-now stowage-e2e-marker-${pipeline} && sleep 60`;
    });
    const before = await snapshot(repository);
    const calls = bed.cloudbuild.calls.length;
    let sent = false;
    const run = await cli(['build'], {}, (stderr, child) => {
      if (!sent && /^\[train\] .*sleeping-now stowage-e2e-marker-/m.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent, describeRun(run)).toBe(true);
    expect(run.code, describeRun(run)).toBe(130);
    expect(run.ms).toBeLessThan(55_000); // did not wait for the sleep
    expect(bed.creates(calls)).toHaveLength(1);
    expect(bed.cloudbuildCalls(calls).some((c) => /^POST \S+:cancel 200$/.test(c))).toBe(true);
    const remote = [...bed.cloudbuild.builds.values()].at(-1)!;
    expect(remote.status).toBe('CANCELLED');
    expect(run.stderr).toMatch(/^error: build cancelled; nothing was recorded$/m);
    // The RUN really stopped on the engine: no container of it is still running.
    await expect.poll(async () => [...(await containersMentioning(`sleeping-now stowage-e2e-marker-${pipeline}`)).values()].filter((st) => /^Up/.test(st)), { timeout: 15_000 }).toEqual([]);
    expect(await snapshot(repository)).toEqual(before);
  });

  it('(4) a failing RUN names the failing Cloud Build step and shows its log lines and the console link, exit 1, nothing recorded', async () => {
    await editYaml(project, (c) => {
      c.steps.train.settings.docker.local_project_install_command = `echo about-to-fail stowage-e2e-marker-${pipeline} && exit 3`;
    });
    const before = await snapshot(repository);
    const calls = bed.cloudbuild.calls.length;
    const run = await cli(['build']);
    expect(run.code, describeRun(run)).toBe(1);
    expect(bed.creates(calls)).toHaveLength(1);
    expect([...bed.cloudbuild.builds.values()].at(-1)!.status).toBe('FAILURE');
    expect(run.stderr, describeRun(run)).toMatch(/^error: Cloud Build build \S+ of \S+ ended FAILURE.*Step #\d+ - "build"/m);
    const tail = run.stderr.slice(run.stderr.indexOf('last log lines:'));
    expect(tail).toMatch(new RegExp(`about-to-fail stowage-e2e-marker-${pipeline}$`, 'm'));
    expect(tail).toMatch(/returned a non-zero code: 3$/m);
    expect(run.stderr).toMatch(new RegExp(`https://console\\.cloud\\.google\\.com/cloud-build/builds(;region=${LOCATION}|/)?`));
    expect(await snapshot(repository)).toEqual(before);
  });

  it('(5) a bad access token is refused by the emulators with a clear message: exit 1, no Cloud Build build, nothing recorded', async () => {
    await editYaml(project, (c) => {
      c.steps.train.settings.docker.local_project_install_command = 'echo fine';
    });
    const before = await snapshot(repository);
    const calls = bed.cloudbuild.calls.length;
    const wrong = 'ya29.wrong-e2e-token';
    const run = await cli(['build'], { E2E_GCP_TOKEN: wrong });
    expect(run.code, describeRun(run)).toBe(1);
    expect(bed.creates(calls)).toEqual([]);
    expect(run.stderr, describeRun(run)).toMatch(/^error: .*(HTTP 401|refused the access token)/m);
    expect(run.stderr).toMatch(/gcloud auth print-access-token|check the credentials/);
    expect(run.stdout + run.stderr).not.toContain(wrong);
    expect(await snapshot(repository)).toEqual(before);
    expect((await readStore(project)).records.map((r) => r.id)).toEqual([first.id]);
  });

  it('(6) stack gcp-oci: a basic-auth oci registry whose login Cloud Build reads from Secret Manager: builds and pushes; no password reaches Cloud Build, the output or the record; a credential-looking build arg is a plan warning', async () => {
    const { authRegistry, registryUser, registryPassword } = gate.env;
    bed.addRegistrySecrets(registryUser, registryPassword);
    await editYaml(project, (c) => {
      c.plugins = [...c.plugins, '@stowage/container-registry-oci'];
      c.settings.docker.build_config.build_options.buildargs = { API_TOKEN: 'plain-e2e-arg' };
      c.stacks['gcp-oci'] = bed.ociStack(authRegistry);
      c.active_stack = 'gcp-oci';
    });
    const [calls, builds] = [bed.cloudbuild.calls.length, bed.cloudbuild.builds.size];
    const { build: b, run } = await build({ E2E_REGISTRY_USER: registryUser, E2E_REGISTRY_PASSWORD: registryPassword });
    expect(b.images.map((i) => [i.key, i.action])).toEqual([
      ['pipeline', 'built'],
      ['train', 'built'],
    ]);
    for (const image of b.images) {
      expect(image.imageName.startsWith(`${authRegistry}/${OCI_REPOSITORY}:${pipeline}`), image.imageName).toBe(true);
      expect(await bed.registryDigest(image.imageName, { username: registryUser, password: registryPassword })).toBe(image.digest);
    }
    // What Cloud Build was given: the names of the secret versions, never their values; Stowage itself called no Secret Manager.
    const remote = [...bed.cloudbuild.builds.values()].slice(builds);
    for (const r of remote) {
      expect(r.status).toBe('SUCCESS');
      expect(r.options.spec.availableSecrets).toEqual([
        { versionName: `projects/${PROJECT}/secrets/${REGISTRY_SECRETS.username}/versions/latest`, env: 'STOWAGE_REGISTRY_USERNAME' },
        { versionName: `projects/${PROJECT}/secrets/${REGISTRY_SECRETS.password}/versions/latest`, env: 'STOWAGE_REGISTRY_PASSWORD' },
      ]);
      expect(r.log.lines).toContain('Step #0 - "login": Login Succeeded');
    }
    expect(remote).toHaveLength(2);
    expect(bed.secretManagerCalls(calls)).toEqual([]);
    for (const secret of [registryPassword, bed.token]) expect(bed.cloudbuild.cloudBuildTranscript()).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain(registryPassword);
    expect(await readFile(join(project, '.stowage', 'builds', `${b.id}.json`), 'utf8')).not.toContain(registryPassword);
    // What it cannot keep secret is said at plan time.
    expect(run.stderr).toMatch(/^warning: .*image pipeline: gcp-cloudbuild passes build args as arguments of the build step, which Cloud Build keeps and shows with the build: API_TOKEN looks like a credential/m);
  });

  it('(7) code included in train: Cloud Build builds its dependency image, the code is appended in the registry with the GCP token; a code-only change then creates no Cloud Build build', async () => {
    await editYaml(project, (c) => {
      c.active_stack = 'gcp';
      delete c.stacks['gcp-oci']; // its login comes from variables this test does not set
      delete c.settings.docker.build_config.build_options.buildargs;
      delete c.steps.train.settings.docker.local_project_install_command;
      c.steps.train.settings.docker.allow_download_from_artifact_store = false;
    });
    const calls = bed.cloudbuild.calls.length;
    const train = (await plan()).images.find((i) => i.key === 'train')!;
    expect(train.buildSteps.map((s) => s.kind)).toEqual(['stage-context', 'docker-build', 'append-layer']);
    const { build: b } = await build();
    expect(bed.creates(calls)).toHaveLength(1); // the dependency image only
    const image = b.images.find((i) => i.key === 'train')!;
    expect(image.action).toBe('built');
    expect(image.dependencyImage?.imageName).toMatch(/-deps$/);
    expect(await bed.registryDigest(image.imageName)).toBe(image.digest);

    await writeFile(join(project, 'steps', 'train.py'), `${await readFile(join(project, 'steps', 'train.py'), 'utf8')}\n# a code-only change\n`);
    expect((await plan()).images.find((i) => i.key === 'train')!.buildSteps.map((s) => s.kind)).toEqual(['append-layer']);
    const before = bed.cloudbuild.calls.length;
    const { build: second, run } = await build();
    expect(bed.creates(before)).toEqual([]);
    const appended = second.images.find((i) => i.key === 'train')!;
    expect(appended.dependencyImage?.reusedFrom).toBe(b.id);
    expect(await bed.registryDigest(appended.imageName)).toBe(appended.digest);
    expect(run.stdout + run.stderr).not.toContain(bed.token);
  });
});
