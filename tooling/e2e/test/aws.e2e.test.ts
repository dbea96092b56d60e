/**
 * The AWS stack (issue 10), end to end on the real Docker engine: the quickstart pipeline on a
 * stack `aws` = image_builder `aws-codebuild` + container_registry `aws-ecr` + artifact_store
 * `s3`, every AWS API an emulator on loopback that verifies SigV4 (see awsBed.ts), driven by the
 * real SDK clients inside the real `stowage` CLI.
 *
 * The emulated CodeBuild runs the buildspec's commands ON THE HOST (the `build_image` cannot be
 * pulled here): `docker build`/`docker push` run against the local engine and push to the
 * ECR-emulated loopback registry.
 *
 * One project, in order: (1) plan + build pushes every image; (2) a rerun is the existing build;
 * (3) a code-only change reuses the images and uploads only a new code archive; (4) Ctrl-C
 * mid-build stops the remote build; (5) a failing RUN names the BUILD phase and its log;
 * (6) a wrong secret key is rejected by the emulator's SigV4 check. (4)-(6) record nothing.
 * (7) stack `aws-oci`: a basic-auth `oci` registry whose login CodeBuild reads from Secrets Manager.
 *
 * Secrets: the ECR-emulated registry needs explicit credentials (its uri is a loopback address, not
 * an ECR host), so every build of (1), (4) and (5) gets the registry password as a temporary
 * SecureString parameter (PARAMETER_STORE), deleted after success, Ctrl-C and failure alike; no
 * password is in anything CodeBuild was sent, keeps or shows (`codeBuildTranscript()`).
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { installLoopbackGuard } from '@stowage/testing';
import { AwsBed, linkAwsPlugins, OCI_REPOSITORY, PROJECT, REGISTRY_SECRET, REPOSITORY } from './awsBed.js';
import { BUCKET, STORE_FOLDER } from './codeBed.js';
import { containersMentioning, docker, localTags, removeImages } from './docker.js';
import { useE2E } from './e2eGate.js';
import { Cleanup, editYaml, readStore, uniqueSuffix, type PlanJson, type PlanStepJson } from './projects.js';
import { describeRun, REPO_ROOT, runStowage, stowageJson, type StowageResult } from './runStowage.js';

// The CLI reaches the AWS SDK, and this file talks to the emulators: nothing may leave the machine.
// The CLI subprocesses get the same guard (preloaded, awsBed.ts) and AWS_EC2_METADATA_DISABLED.
installLoopbackGuard();
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'; // the emulators' own S3 client

const gate = useE2E('aws');
const cleanup = new Cleanup();
let bed: AwsBed;
let project: string;
let pipeline: string;
/** Every image name a build of this file tagged on the host engine (the emulated builds run there). */
const tagged = new Set<string>();

beforeAll(async () => {
  bed = await AwsBed.start();
  const root = cleanup.dir(await mkdtemp(join(tmpdir(), 'stowage-e2e-aws-project-')));
  await linkAwsPlugins(root);
  project = join(root, 'quickstart');
  const source = join(REPO_ROOT, 'examples', 'quickstart');
  await cp(source, project, { recursive: true, filter: (src) => !/\/(\.stowage|node_modules)(\/|$)/.test(src.slice(source.length)) });
  pipeline = `e2e-aws-${uniqueSuffix()}`;
  await editYaml(project, (c) => {
    c.pipeline.name = pipeline;
    // The s3 store adds ZenML's s3 integration (s3fs, boto3), which the offline index lacks.
    c.settings.docker.install_stack_requirements = false;
    c.plugins = ['@stowage/image-builder-aws-codebuild', '@stowage/container-registry-aws-ecr', '@stowage/artifact-store-s3'];
    c.stacks = { aws: bed.stack() };
    c.active_stack = 'aws';
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

/** One step of the plan, with the fields of `stage-context` and `docker-build` this file reads. */
type AwsPlanStep = PlanStepJson & { pushInBuild?: boolean; checksum?: string; stagedContext?: { key: string; destination: string } | null; key?: string; format?: string };
type AwsPlan = Omit<PlanJson, 'images'> & {
  images: (Omit<PlanJson['images'][number], 'buildSteps'> & { code: { strategy: string; reason: string }; buildSteps: AwsPlanStep[] })[];
  codeArchive: { digest: string; uri: string; key: string } | null;
};

const env = (extra: Record<string, string | undefined> = {}) => bed.cliEnv(extra);
const cli = (args: string[], extra: Record<string, string | undefined> = {}, onStderr?: Parameters<typeof runStowage>[1]['onStderr']) =>
  runStowage(args, { cwd: project, env: env(extra), onStderr, timeoutMs: 600_000 });

async function plan(): Promise<AwsPlan> {
  return (await stowageJson<AwsPlan>(['plan', '--json'], { cwd: project, env: env() })).json;
}

async function build(extra: Record<string, string | undefined> = {}): Promise<{ build: PipelineBuild; run: StowageResult }> {
  const { json, run } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: project, env: env(extra), timeoutMs: 600_000 });
  for (const image of json.images) if (image.action === 'built') for (const n of [image.imageName, ...image.dockerfiles.map((d) => d.imageName)]) tagged.add(n);
  return { build: json, run };
}

/** Every object key the store holds below its folder (relative to the folder). */
const storeKeys = async () => (await bed.s3.keys()).map((k) => k.slice(`${STORE_FOLDER}/`.length));

type RemoteVariable = { name: string; value: string; type: string };
type RemoteBuild = { buildStatus: string; source: { location: string }; projectName: string; environment: { environmentVariables: RemoteVariable[] } };
const remoteBuilds = (from = 0) => [...bed.codebuild.builds.values()].slice(from).map((x) => x.view() as RemoteBuild);

/** The registry login of a build on the `aws` stack: the ECR user as PLAINTEXT, the token only as the name of a temporary SecureString parameter. */
const PARAMETER_LOGIN = [
  { name: 'STOWAGE_REGISTRY_USERNAME', value: 'AWS', type: 'PLAINTEXT' },
  { name: 'STOWAGE_REGISTRY_PASSWORD', value: expect.stringMatching(/^\/stowage\/codebuild\/[0-9a-f-]{36}\/registry-password$/), type: 'PARAMETER_STORE' },
];

/** What a failed or cancelled build must leave unchanged: the build records, the registry's tags, and the local tags of this pipeline. */
async function snapshot() {
  const tags = [...(await localTags())].filter((t) => t.includes(pipeline)).sort();
  return { records: (await readStore(project)).files, registryTags: await bed.tags(), localTags: tags };
}

describe('aws stack (aws-codebuild + aws-ecr + s3) on emulators; CodeBuild commands run on the host (build_image is not pulled); registry passwords reach CodeBuild as Parameter Store / Secrets Manager references only', () => {
  let first: PipelineBuild;
  let firstPlan: AwsPlan;
  let reusedBuild: PipelineBuild;

  it('(1) plan stages each context on S3 then builds with push in the build; build pushes every image to the ECR-emulated registry (commands on the host)', async () => {
    const planned = await plan();
    firstPlan = planned;
    expect(planned.stack.name).toBe('aws');
    expect(planned.outcome.kind).toBe('new-build');
    expect(planned.images.map((i) => [i.key, i.action])).toEqual([
      ['pipeline', 'build'],
      ['train', 'build'],
    ]);
    for (const image of planned.images) {
      expect(image.buildSteps.map((s) => s.kind), image.key).toEqual(['stage-context', 'docker-build']);
      const [stage, dockerBuild] = image.buildSteps as [AwsPlanStep, AwsPlanStep];
      const hex = dockerBuild.checksum!.replace(/^sha256:/, '');
      const destination = `s3://${BUCKET}/${STORE_FOLDER}/contexts/${hex}.zip`;
      expect(stage).toMatchObject({ kind: 'stage-context', image: image.key, key: `contexts/${hex}.zip`, destination, format: 'zip' });
      expect(dockerBuild).toMatchObject({ kind: 'docker-build', image: image.key, pushInBuild: true, stagedContext: { key: `contexts/${hex}.zip`, destination } });
      expect(image.imageName).toMatch(new RegExp(`^${bed.registry.address.replaceAll('.', '\\.')}/${REPOSITORY}:${pipeline}(-train)?-[0-9a-f]{12}$`));
      // No registry step of its own: CodeBuild pushes.
      expect(image.buildSteps.some((s) => s.kind === 'push')).toBe(false);
    }
    // The quickstart copy is no checkout: with the S3 store reachable, code goes to the store.
    expect(planned.images.map((i) => i.code.strategy)).toEqual(['artifact-store', 'artifact-store']);
    expect(planned.preSteps.map((s) => s.kind)).toEqual(['upload-code-archive']);

    expect(bed.ecr.repositories.names()).toEqual([]);
    expect(await bed.tags()).toEqual([]);
    const calls = bed.codebuild.calls.length;
    const { build: b, run } = await build();
    first = b;
    expect(b.images.map((i) => [i.key, i.action])).toEqual([
      ['pipeline', 'built'],
      ['train', 'built'],
    ]);
    // Two CodeBuild builds, both accepted (SigV4 verified), both SUCCEEDED; log lines reached the progress output.
    expect(bed.startBuilds(calls)).toEqual(['StartBuild', 'StartBuild']);
    const remote = remoteBuilds();
    expect(remote.map((r) => [r.projectName, r.buildStatus])).toEqual([
      [PROJECT, 'SUCCEEDED'],
      [PROJECT, 'SUCCEEDED'],
    ]);
    const stagedKeys = planned.images.map((i) => `${BUCKET}/${STORE_FOLDER}/${i.buildSteps[0]!.key}`).sort();
    expect(remote.map((r) => r.source.location).sort()).toEqual(stagedKeys);
    expect(run.stderr).toMatch(/^\[pipeline\] .*Running command docker push/m);
    expect(run.stderr).toMatch(/^\[train\] .*Running command docker push/m);

    // The store: one ZIP per image under contexts/, one code archive.
    const keys = await storeKeys();
    expect(keys.filter((k) => k.startsWith('contexts/')).sort()).toEqual(planned.images.map((i) => i.buildSteps[0]!.key!).sort());
    expect(keys.filter((k) => k.startsWith('code_uploads/'))).toHaveLength(1);
    const zip = await bed.s3.get(`${STORE_FOLDER}/${planned.images[0]!.buildSteps[0]!.key}`);
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');

    // The repository was created through ECR's CreateRepository, then pushed to.
    expect(bed.ecr.repositories.names()).toEqual([REPOSITORY]);
    const ops = bed.ecr.calls.map((c) => c.operation);
    expect(ops).toContain('CreateRepository');
    expect(ops.indexOf('DescribeRepositories')).toBeLessThan(ops.indexOf('CreateRepository'));
    // Both images prepare the repository concurrently: one CreateRepository wins, the other's
    // RepositoryAlreadyExistsException counts as done (the plugin's documented behaviour).
    expect(bed.ecr.calls.filter((c) => c.operation === 'CreateRepository' && !c.error)).toHaveLength(1);
    expect(bed.ecr.calls.filter((c) => c.error && !['RepositoryNotFoundException', 'RepositoryAlreadyExistsException'].includes(c.error))).toEqual([]);

    // Every image is in the registry with the recorded digest.
    const tags: string[] = [];
    for (const image of b.images) {
      expect(image.digest, image.key).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await bed.registryDigest(image.imageName)).toBe(image.digest);
      // Steps run the image by digest (the repository, no tag).
      expect(image.imageReference).toBe(`${bed.registry.address}/${REPOSITORY}@${image.digest}`);
      tags.push(image.imageName.slice(image.imageName.lastIndexOf(':') + 1));
    }
    expect(await bed.tags()).toEqual(tags.sort());
    expect((await readStore(project)).records.map((r) => r.id)).toEqual([b.id]);
    // The registry login reached CodeBuild only as the name of one SecureString parameter per build,
    // put before StartBuild and deleted after it: its value is in nothing CodeBuild was sent, keeps or shows.
    for (const r of remote) expect(r.environment.environmentVariables).toEqual(PARAMETER_LOGIN);
    expect(bed.ssmOps(calls).sort()).toEqual(['DeleteParameter', 'DeleteParameter', 'PutParameter', 'PutParameter']);
    expect(bed.leftParameters()).toEqual([]);
    expect(bed.codebuild.codeBuildTranscript()).not.toContain(bed.token);
    // The test keys never show up in the output or the record.
    expect(run.stdout + run.stderr).not.toContain(bed.token);
    expect(await readFile(join(project, '.stowage', 'builds', `${b.id}.json`), 'utf8')).not.toContain('wJalrXUtnFEMI');
  });

  it('(2) a rerun is the existing build: no StartBuild reaches the emulated CodeBuild', async () => {
    const again = await plan();
    expect(again.outcome).toEqual({ kind: 'existing-build', buildId: first.id });
    const calls = bed.codebuild.calls.length;
    const writes = bed.s3.requests.length;
    const records = (await readStore(project)).files;
    const { build: same, run } = await build();
    expect(same.id).toBe(first.id);
    expect(bed.codebuildOps(calls)).toEqual([]);
    expect(bed.s3.writesSince(writes)).toEqual([]);
    expect(run.stderr).not.toMatch(/CodeBuild build .* started/);
    expect((await readStore(project)).files).toEqual(records);
  });

  it('(3) a code-only change follows the code strategy: images reused, only a new code archive uploaded, no StartBuild', async () => {
    const file = join(project, 'steps', 'load.py');
    await writeFile(file, `${await readFile(file, 'utf8')}\n# a code-only change\n`);
    const planned = await plan();
    // Reused by digest: the plan names each image by the digest the registry holds for it.
    expect(planned.images.map((i) => [i.key, i.action, i.reuse?.buildId, i.imageName])).toEqual(
      first.images.map((i) => [i.key, 'reuse', first.id, `${bed.registry.address}/${REPOSITORY}@${i.digest}`]),
    );
    expect(firstPlan.images.map((i) => i.key)).toEqual(first.images.map((i) => i.key));
    expect(planned.images.flatMap((i) => i.buildSteps.map((s) => s.kind)).filter((k) => k !== 'reuse')).toEqual([]);
    expect(planned.preSteps.map((s) => s.kind)).toEqual(['upload-code-archive']);
    const newKey = planned.codeArchive!.key;

    const calls = bed.codebuild.calls.length;
    const writes = bed.s3.requests.length;
    const { build: b } = await build();
    reusedBuild = b;
    expect(b.id).not.toBe(first.id);
    expect(b.images.map((i) => [i.key, i.action, i.imageReference])).toEqual(first.images.map((i) => [i.key, 'reused', i.imageReference]));
    expect(bed.startBuilds(calls)).toEqual([]);
    expect(bed.s3.writesSince(writes).map((r) => r.replace(/\?.*/, ''))).toEqual([`PUT /${BUCKET}/${STORE_FOLDER}/${newKey}`]);
    expect((await storeKeys()).filter((k) => k.startsWith('code_uploads/'))).toHaveLength(2);
    expect(b.codeArchive?.key).toBe(newKey);
    // Steps download the new archive from the store (the images hold no code).
    for (const step of ['load', 'evaluate', 'train']) expect(b.launch?.[step]?.code, step).toMatchObject({ source: 'artifact-store', uri: `s3://${BUCKET}/${STORE_FOLDER}/${newKey}`, key: newKey });
  });

  it('(4) Ctrl-C mid-build (a slow RUN on the host engine) calls StopBuild: the emulator reports STOPPED, the password parameter is deleted, nothing is recorded', async () => {
    await editYaml(project, (c) => {
      c.steps.train.settings.docker.allow_download_from_artifact_store = false; // code included, so the install command runs
      c.steps.train.settings.docker.local_project_install_command = `echo sleeping-now stowage-e2e-marker-${pipeline} && sleep 60`;
    });
    const before = await snapshot();
    const calls = bed.codebuild.calls.length;
    let sent = false;
    const run = await cli(['build'], {}, (stderr, child) => {
      if (!sent && /^\[train\] sleeping-now stowage-e2e-marker-/m.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent, describeRun(run)).toBe(true);
    expect(run.code, describeRun(run)).not.toBe(0);
    expect(run.timedOut).toBe(false);
    expect(run.ms).toBeLessThan(55_000); // did not wait for the sleep
    const ops = bed.codebuildOps(calls);
    expect(ops.filter((o) => o === 'StartBuild')).toHaveLength(1);
    expect(ops).toContain('StopBuild');
    const remote = [...bed.codebuild.builds.values()].at(-1)!.view() as { buildStatus: string; phases: { phaseType: string; phaseStatus?: string }[] };
    expect(remote.buildStatus).toBe('STOPPED');
    expect(remote.phases.find((p) => p.phaseType === 'BUILD')?.phaseStatus).toBe('STOPPED');
    expect(bed.ssmOps(calls)).toEqual(['PutParameter', 'DeleteParameter']);
    expect(bed.leftParameters()).toEqual([]);
    expect(run.stderr).toMatch(/^error: build cancelled; nothing was recorded$/m);
    expect(run.code).toBe(130);
    // The RUN really stopped on the engine: no container of it is still running.
    await expect.poll(async () => [...(await containersMentioning(`sleeping-now stowage-e2e-marker-${pipeline}`)).values()].filter((st) => /^Up/.test(st)), { timeout: 15_000 }).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('(5) a failing RUN surfaces the BUILD phase and its log lines, exit 1, the password parameter deleted, nothing recorded (commands on the host)', async () => {
    await editYaml(project, (c) => {
      c.steps.train.settings.docker.local_project_install_command = `echo about-to-fail stowage-e2e-marker-${pipeline} && exit 3`;
    });
    const before = await snapshot();
    const calls = bed.codebuild.calls.length;
    const run = await cli(['build']);
    expect(run.code, describeRun(run)).toBe(1);
    expect(bed.startBuilds(calls)).toEqual(['StartBuild']);
    const remote = remoteBuilds().at(-1)!;
    expect(remote.buildStatus).toBe('FAILED');
    expect(remote.environment.environmentVariables).toEqual(PARAMETER_LOGIN);
    expect(bed.ssmOps(calls)).toEqual(['PutParameter', 'DeleteParameter']);
    expect(bed.leftParameters()).toEqual([]);
    expect(run.stderr, describeRun(run)).toMatch(/^error: CodeBuild build \S+ of \S+ ended FAILED in phase BUILD \(Error while executing command: docker build .*Reason: exit status 3\)/m);
    // The last log lines, indented under the error: the RUN's own output and its exit code.
    const tail = run.stderr.slice(run.stderr.indexOf('  last log lines:'));
    expect(tail).toMatch(new RegExp(`^ {4}about-to-fail stowage-e2e-marker-${pipeline}$`, 'm'));
    expect(tail).toMatch(/^ {4}The command '\/bin\/sh -c echo about-to-fail .*' returned a non-zero code: 3$/m);
    expect(run.stderr).toMatch(/logs: https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#logEvent:group=\/aws\/codebuild\//);
    expect(await snapshot()).toEqual(before);
  });

  const WRONG_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEYX';

  it('(6) a wrong secret key for ECR is rejected by the emulator (SigV4): a clear message, exit 1, nothing recorded', async () => {
    await editYaml(project, (c) => {
      c.steps.train.settings.docker.local_project_install_command = 'echo fine';
    });
    const before = await snapshot();
    const calls = bed.codebuild.calls.length;
    const ecrCalls = bed.ecr.calls.length;
    const run = await cli(['build'], { E2E_ECR_SECRET: WRONG_SECRET });
    expect(run.code, describeRun(run)).toBe(1);
    // Every ECR call of the run was refused for its signature; CodeBuild was never asked to build.
    const refused = bed.ecr.calls.slice(ecrCalls);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.map((c) => c.error)).toEqual(refused.map(() => 'InvalidSignatureException'));
    expect(bed.startBuilds(calls)).toEqual([]);
    expect(bed.ssmOps(calls)).toEqual([]);
    // The first ECR call refused (the reuse check's login, or the repository look-up) ends the run.
    expect(run.stderr).toMatch(/^error: could not (look up repository stowage-e2e in \S+|get a login for \S+ from ECR \(GetAuthorizationToken\)): InvalidSignatureException \(HTTP 400\): The request signature we calculated does not match/m);
    expect(run.stderr).toMatch(/^\s+hint: AWS rejected the request signature: check that `secret_access_key`/m);
    expect(run.stdout + run.stderr).not.toContain(WRONG_SECRET);
    expect(await snapshot()).toEqual(before);
  });

  it('(6) a wrong secret key for the image builder is rejected by the emulator (SigV4) at its first call, PutParameter: a clear message, exit 1, no build, nothing recorded', async () => {
    const before = await snapshot();
    const calls = bed.codebuild.calls.length;
    const run = await cli(['build'], { E2E_CODEBUILD_SECRET: WRONG_SECRET });
    expect(run.code, describeRun(run)).toBe(1);
    expect(bed.ssmOps(calls)).toEqual(['PutParameter rejected: InvalidSignatureException']);
    expect(bed.codebuildOps(calls)).toEqual([]);
    expect(bed.leftParameters()).toEqual([]);
    expect(run.stderr, describeRun(run)).toMatch(/^error: could not keep the password for \S+ in SSM Parameter Store for the CodeBuild build of \S+: InvalidSignatureException \(HTTP 400\)/m);
    expect(run.stderr).toMatch(/^\s+hint: AWS rejected the request signature: check `secret_access_key`/m);
    expect(run.stdout + run.stderr).not.toContain(WRONG_SECRET);
    expect(await snapshot()).toEqual(before);
    // The records still hold the builds of (1) and (3) only.
    expect((await readStore(project)).records.map((r) => r.id).sort()).toEqual([first.id, reusedBuild.id].sort());
  });

  it('(7) stack aws-oci: a basic-auth oci registry whose login CodeBuild reads from Secrets Manager (registry_credentials_secret): builds and pushes; no password or secret value reaches CodeBuild; no parameter; a PLAINTEXT credential is a plan warning', async () => {
    const { authRegistry, registryUser, registryPassword } = gate.env;
    bed.addRegistrySecret(registryUser, registryPassword);
    await editYaml(project, (c) => {
      c.plugins = [...c.plugins, '@stowage/container-registry-oci'];
      const stack = bed.ociStack(authRegistry);
      stack.image_builder.custom_env_vars = { STAGE: 'e2e', API_TOKEN: 'plain-e2e-value', PIP_INDEX_PASSWORD: { secrets_manager: `${REGISTRY_SECRET}:password` } };
      c.stacks['aws-oci'] = stack;
      c.active_stack = 'aws-oci';
    });
    const calls = bed.codebuild.calls.length;
    const builds = bed.codebuild.builds.size;
    const { build: b, run } = await build({ E2E_REGISTRY_USER: registryUser, E2E_REGISTRY_PASSWORD: registryPassword });
    expect(b.images.map((i) => [i.key, i.action])).toEqual([
      ['pipeline', 'built'],
      ['train', 'built'],
    ]);
    for (const image of b.images) {
      expect(image.imageName.startsWith(`${authRegistry}/${OCI_REPOSITORY}:${pipeline}`), image.imageName).toBe(true);
      expect(await bed.registryDigest(image.imageName, { username: registryUser, password: registryPassword })).toBe(image.digest);
    }
    // What CodeBuild was given: names of secrets, never their values; Parameter Store was not needed.
    const secretsManager = (name: string, key: string) => ({ name, value: `${REGISTRY_SECRET}:${key}`, type: 'SECRETS_MANAGER' });
    for (const r of remoteBuilds(builds)) {
      expect(r.buildStatus).toBe('SUCCEEDED');
      expect(r.environment.environmentVariables).toEqual([
        { name: 'API_TOKEN', value: 'plain-e2e-value', type: 'PLAINTEXT' },
        secretsManager('PIP_INDEX_PASSWORD', 'password'),
        { name: 'STAGE', value: 'e2e', type: 'PLAINTEXT' },
        secretsManager('STOWAGE_REGISTRY_USERNAME', 'username'),
        secretsManager('STOWAGE_REGISTRY_PASSWORD', 'password'),
      ]);
    }
    expect(bed.ssmOps(calls)).toEqual([]);
    expect(bed.leftParameters()).toEqual([]);
    for (const secret of [registryPassword, bed.token]) expect(bed.codebuild.codeBuildTranscript()).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain(registryPassword);
    expect(await readFile(join(project, '.stowage', 'builds', `${b.id}.json`), 'utf8')).not.toContain(registryPassword);
    // What it cannot keep secret is said at plan time.
    expect(run.stderr).toMatch(/^warning: .*image pipeline: aws-codebuild sends custom_env_vars API_TOKEN as PLAINTEXT/m);
  });

  it('(8) code included in train: CodeBuild builds its dependency image, the code is appended in the ECR-emulated registry; a code-only change then starts no CodeBuild build', async () => {
    await editYaml(project, (c) => {
      c.active_stack = 'aws';
      delete c.stacks['aws-oci']; // its login comes from variables this test does not set
      delete c.steps.train.settings.docker.local_project_install_command;
      c.steps.train.settings.docker.allow_download_from_artifact_store = false;
    });
    const calls = bed.codebuild.calls.length;
    const planned = await plan();
    const train = planned.images.find((i) => i.key === 'train')!;
    expect(train.buildSteps.map((s) => s.kind)).toEqual(['stage-context', 'docker-build', 'append-layer']);
    const { build: b } = await build();
    expect(bed.startBuilds(calls)).toEqual(['StartBuild']); // the dependency image only
    const image = b.images.find((i) => i.key === 'train')!;
    expect(image.action).toBe('built');
    expect(image.dependencyImage?.imageName).toMatch(/-deps$/);
    expect(await bed.registryDigest(image.imageName)).toBe(image.digest);
    expect(b.launch?.['train']?.code).toBeUndefined(); // the image holds the code

    await writeFile(join(project, 'steps', 'train.py'), `${await readFile(join(project, 'steps', 'train.py'), 'utf8')}\n# a code-only change\n`);
    const again = (await plan()).images.find((i) => i.key === 'train')!;
    expect(again.buildSteps.map((s) => s.kind)).toEqual(['append-layer']);
    const before = bed.codebuild.calls.length;
    const { build: second } = await build();
    expect(bed.startBuilds(before)).toEqual([]);
    const appended = second.images.find((i) => i.key === 'train')!;
    expect(appended.dependencyImage?.reusedFrom).toBe(b.id);
    expect(appended.digest).not.toBe(image.digest);
    expect(await bed.registryDigest(appended.imageName)).toBe(appended.digest);
  });
});
