/**
 * Code that reaches the container (issue 9), end to end on the real Docker engine with the local
 * image builder and no registry: one project, a real git checkout of a private GitHub repository
 * on the forge emulator, with an s3 artifact store on s3rver (see codeBed.ts).
 * (a) a clean, pushed checkout: the image holds no code, and `stowage run` downloads the commit
 *     from the forge (tarball redirect to a second origin, the token dropped there);
 * (b) the same checkout with uncommitted changes: the code is archived to S3, and `stowage run`
 *     downloads it through a presigned URL and checks its sha256;
 * (c) another code change: the image is reused (no docker build) and only the new archive is
 *     uploaded; a build with no change uploads nothing;
 * (d) no code repository and no store containers can reach: the code is copied into the image.
 * The failures (e) are in codeFailures.e2e.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { installLoopbackGuard } from '@stowage/testing';
import { CodeBed, BUCKET, STORE_FOLDER, TOKEN, stepCode, type CodeProject } from './codeBed.js';
import { imageId, imageLeaves } from './docker.js';
import { useE2E } from './e2eGate.js';
import { Cleanup, readStore, uniqueSuffix, writeYaml, type PlanJson } from './projects.js';
import { describeRun, runStowage, stowageJson, stowageOk, type StowageResult } from './runStowage.js';
import { tarGzNames } from './tarGz.js';

// This file reaches cloud SDKs (Octokit, the AWS SDK) in the CLI it starts, and talks to s3rver
// itself: nothing may leave the machine. The CLI subprocesses get the same guard (codeBed.ts).
installLoopbackGuard();

useE2E('code');
const cleanup = new Cleanup();
let bed: CodeBed;
beforeAll(async () => {
  bed = await CodeBed.start();
}, 60_000);
afterAll(async () => {
  await cleanup.run();
  await bed?.stop();
});

const BOOTSTRAP = '/usr/local/lib/stowage/stowage_bootstrap.py';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** `stowage plan --json`, with the code fields these tests read. */
type CodePlan = PlanJson & {
  codeArchive: { digest: string; uri: string; key: string } | null;
  images: { code: { strategy: string; reason: string } }[];
};

const cli = (dir: string, args: string[]) => runStowage(args, { cwd: dir, env: bed.cliEnv() });
const cliOk = (dir: string, args: string[]) => stowageOk(args, { cwd: dir, env: bed.cliEnv() });

async function plan(dir: string): Promise<CodePlan> {
  return (await stowageJson<CodePlan>(['plan', '--json'], { cwd: dir, env: bed.cliEnv() })).json;
}

async function build(dir: string): Promise<{ build: PipelineBuild; run: StowageResult }> {
  const { json, run } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: dir, env: bed.cliEnv() });
  await cleanup.imagesOfStore(dir);
  return { build: json, run };
}

/** `stowage run hello --network host -- <args>`; the step prints one JSON line. */
async function runHello(dir: string, args: string[] = []): Promise<Record<string, unknown>> {
  const run = await cli(dir, ['run', 'hello', '--network', 'host', '--', ...args]);
  expect(run.code, describeRun(run)).toBe(0);
  expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|^\s+at /m);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const codeUploadKey = (hex: string) => `code_uploads/${hex}.tar.gz`;

describe('one checkout, from a clean pushed commit to uncommitted changes', () => {
  let project: CodeProject;
  let commit: string;
  let cleanBuild: PipelineBuild;
  let dirtyBuild: PipelineBuild;
  /** The first archive's object key in the bucket. */
  let firstKey: string;

  beforeAll(async () => {
    project = await bed.project('flow', `e2e-code-${uniqueSuffix()}`);
    cleanup.dir(project.root);
  });

  it('(a) a clean, pushed checkout: the plan downloads the commit from the repository, and the image holds no code', async () => {
    commit = await bed.commitAndPush(project, 'first');

    const planned = await plan(project.dir);
    const image = planned.images[0]!;
    expect(image.code).toEqual({ strategy: 'code-repository', reason: `download commit ${commit.slice(0, 12)} from the code repository demo` });
    expect(planned.preSteps).toEqual([]);
    expect(planned.codeArchive).toBeNull();
    const human = await cliOk(project.dir, ['plan']);
    expect(human.stdout).toMatch(new RegExp(`^\\s+code\\s+code-repository: download commit ${commit.slice(0, 12)} from the code repository demo$`, 'm'));

    const dockerfile = (await cliOk(project.dir, ['dockerfile', 'hello'])).stdout;
    expect(dockerfile).not.toMatch(/^COPY stowage_code\//m);
    expect(dockerfile).toMatch(new RegExp(`^COPY \\.stowage_bootstrap\\.py ${BOOTSTRAP}$`, 'm'));

    const { build: b } = await build(project.dir);
    cleanBuild = b;
    expect(b.images.map((i) => [i.action, i.codeStrategy, i.containsCode])).toEqual([['built', 'code-repository', false]]);
    expect(b.containsCode).toBe(false);
    expect(b.codeReference).toEqual({ commit, subdirectory: 'pipelines', repository: 'demo' });
    expect(b.codeArchive).toBeUndefined();
    const url = `${bed.forge.githubApiUrl()}/repos/acme/demo/tarball/${commit}`;
    expect(b.launch).toEqual({
      hello: {
        image: b.images[0]!.imageReference,
        command: ['python3', BOOTSTRAP, 'python', 'hello.py'],
        environment: {
          STOWAGE_CODE_URL: url,
          STOWAGE_CODE_FORMAT: 'tar.gz',
          STOWAGE_CODE_STRIP: '1',
          STOWAGE_CODE_SUBDIR: 'pipelines',
          STOWAGE_CODE_AUTH_HEADER: 'Authorization',
          STOWAGE_CODE_AUTH_PREFIX: 'Bearer ',
          STOWAGE_CODE_AUTH_ENV: 'GITHUB_TOKEN',
        },
        secretEnvironment: ['GITHUB_TOKEN'],
        code: { source: 'code-repository', repository: 'demo', commit, url, format: 'tar.gz', strip: 1, subdirectory: 'pipelines', auth: { header: 'Authorization', prefix: 'Bearer ', tokenEnv: 'GITHUB_TOKEN' } },
      },
    });
    // `builds get` shows the same launch spec; the record holds the token's name, never its value.
    const shown = (await stowageJson<PipelineBuild>(['builds', 'get', b.id, '--json'], { cwd: project.dir, env: bed.cliEnv() })).json;
    expect(shown.launch).toEqual(b.launch);
    expect(await readFile(join(project.dir, '.stowage', 'builds', `${b.id}.json`), 'utf8')).not.toContain(TOKEN);

    // The image: the bootstrap, and nothing under /app (no step file, no code).
    expect(await imageLeaves(b.images[0]!.imageReference, 'app/')).toEqual([]);
    expect(await imageLeaves(b.images[0]!.imageReference, 'usr/local/lib/stowage/')).toEqual(['stowage_bootstrap.py']);
    // Nothing went to the artifact store.
    expect(await bed.s3.keys()).toEqual([]);
  });

  it('(a) `stowage run hello` downloads the commit through the forge (token to the API only, not across the redirect) and runs it', async () => {
    const dry = await cliOk(project.dir, ['run', 'hello', '--network', 'host', '--dry-run']);
    expect(dry.stdout).toContain(' -e GITHUB_TOKEN ');
    expect(dry.stdout).not.toContain(TOKEN);

    const from = bed.forge.requests.length;
    const out = await runHello(project.dir, ['--epochs', '3']);
    expect(out).toEqual({ version: 'v1', cwd: '/app/code/pipelines', args: ['--epochs', '3'], pythonpath: '/app/code/pipelines' });

    // What the container asked: the API's tarball URL with the token, then the archive origin without it.
    const asked = bed.forge.requests.slice(from).filter((r) => /Python-urllib/.test(String(r.headers['user-agent'])));
    expect(asked.map((r) => [r.origin, r.method, r.url.replace(/\?.*/, '')])).toEqual([
      ['forge', 'GET', `/repos/acme/demo/tarball/${commit}`],
      ['archive', 'GET', `/github.com/acme/demo/legacy.tar.gz/${commit}`],
    ]);
    expect(asked[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // The archive origin answers 400 to any Authorization header: the run succeeding proves it was dropped.
    expect(asked[1]!.headers.authorization).toBeUndefined();
  });

  it('(b) uncommitted changes: the code is archived to S3 (a pre-step), and `stowage run` downloads and verifies it', async () => {
    // A tracked file changed, an untracked file (shipped), an ignored one (not shipped).
    await project.checkout.write({ ...stepCode('v2'), 'pipelines/notes.txt': 'untracked\n', 'pipelines/__pycache__/hello.cpython-311.pyc': 'ignored' });

    const planned = await plan(project.dir);
    const archive = planned.codeArchive!;
    expect(archive.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const hex = archive.digest.slice('sha256:'.length);
    const destination = `s3://${BUCKET}/${STORE_FOLDER}/${codeUploadKey(hex)}`;
    expect(archive).toEqual({ digest: archive.digest, uri: destination, key: codeUploadKey(hex) });
    expect(planned.preSteps).toEqual([expect.objectContaining({ kind: 'upload-code-archive', destination, key: codeUploadKey(hex), digest: archive.digest, selection: 'git' })]);
    expect(planned.images[0]!.code.strategy).toBe('artifact-store');
    const human = await cliOk(project.dir, ['plan']);
    expect(human.stdout).toMatch(new RegExp(`^\\s+1\\. upload-code-archive → ${destination.replaceAll('.', '\\.')}$`, 'm'));

    const writes = bed.s3.requests.length;
    const { build: b } = await build(project.dir);
    dirtyBuild = b;
    expect(b.codeReference).toBeUndefined(); // recorded only when the code comes from the repository
    expect(b.codeArchive).toEqual({ url: destination, digest: archive.digest, key: codeUploadKey(hex) });
    expect(b.launch!.hello).toEqual({
      image: b.images[0]!.imageReference,
      command: ['python3', BOOTSTRAP, 'python', 'hello.py'],
      // No URL: whoever starts the step presigns a fresh one.
      environment: { STOWAGE_CODE_FORMAT: 'tar.gz', STOWAGE_CODE_SHA256: hex },
      secretEnvironment: [],
      code: { source: 'artifact-store', uri: destination, key: codeUploadKey(hex), sha256: hex, format: 'tar.gz' },
    });
    expect(await imageLeaves(b.images[0]!.imageReference, 'app/')).toEqual([]);

    // Uploaded once, named by its digest; the files git would ship from the source root.
    const objectKey = `${STORE_FOLDER}/${codeUploadKey(hex)}`;
    firstKey = objectKey;
    expect(bed.s3.writesSince(writes).map((r) => r.replace(/\?.*/, ''))).toEqual([`PUT /${BUCKET}/${objectKey}`]);
    expect(await bed.s3.keys()).toEqual([objectKey]);
    const bytes = await bed.s3.get(objectKey);
    expect(sha256(bytes)).toBe(hex);
    const names = tarGzNames(bytes).filter((n) => !n.endsWith('/'));
    // The config file is not pipeline code: never archived.
    expect(names.sort()).toEqual(['demo_code/__init__.py', 'hello.py', 'notes.txt']);

    const dry = await cliOk(project.dir, ['run', 'hello', '--network', 'host', '--dry-run']);
    expect(dry.stdout).toContain(' -e STOWAGE_CODE_URL ');
    expect(dry.stdout).not.toMatch(/X-Amz-Signature/i);

    const reads = bed.s3.requests.length;
    const out = await runHello(project.dir);
    expect(out).toEqual({ version: 'v2', cwd: '/app/code', args: [], pythonpath: '/app/code' });
    // The container read the object through a presigned URL (SigV4 in the query, no Authorization header).
    const got = bed.s3.requests.slice(reads).filter((r) => r.startsWith(`GET /${BUCKET}/${objectKey}?`));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/[?&]X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}/);
  });

  it('(c) another code change reuses the image (no docker build) and uploads only the new archive; no change uploads nothing', async () => {
    const image = dirtyBuild.images[0]!.imageReference;
    const idBefore = await imageId(image);
    expect(idBefore).toMatch(/^sha256:/);
    await project.checkout.write(stepCode('v3'));

    const planned = await plan(project.dir);
    expect(planned.images.map((i) => [i.action, i.imageName])).toEqual([['reuse', image]]);
    expect(planned.preSteps.map((s) => s.kind)).toEqual(['upload-code-archive']);
    const newKey = `${STORE_FOLDER}/${planned.codeArchive!.key}`;
    expect(newKey).not.toBe(firstKey);

    const writes = bed.s3.requests.length;
    const { build: b, run } = await build(project.dir);
    expect(b.images.map((i) => [i.action, i.imageReference])).toEqual([['reused', image]]);
    expect(b.id).not.toBe(dirtyBuild.id);
    expect(run.stderr).not.toMatch(/Step \d+\/\d+ :|Successfully built|writing image/);
    expect(await imageId(image)).toBe(idBefore);
    expect(bed.s3.writesSince(writes).map((r) => r.replace(/\?.*/, ''))).toEqual([`PUT /${BUCKET}/${newKey}`]);
    expect(await bed.s3.keys()).toEqual([firstKey, newKey].sort());

    const out = await runHello(project.dir);
    expect(out.version).toBe('v3');

    // Nothing changed since: no pre-step, the same build, nothing written to the store or the build records.
    const again = await plan(project.dir);
    expect(again.preSteps).toEqual([]);
    expect(again.outcome).toEqual({ kind: 'existing-build', buildId: b.id });
    const records = (await readStore(project.dir)).files;
    const quiet = bed.s3.requests.length;
    const { build: same } = await build(project.dir);
    expect(same.id).toBe(b.id);
    expect(bed.s3.writesSince(quiet)).toEqual([]);
    expect((await readStore(project.dir)).files).toEqual(records);
    expect(await bed.s3.keys()).toHaveLength(2);
    expect(cleanBuild.images[0]!.imageReference).not.toBe(image); // the strategy is part of the image (ENV STOWAGE_CODE_SOURCE)
  });
});

describe('(d) no code repository and no store containers can reach', () => {
  it('the code is copied into the image (COPY . .), and `stowage run` runs it', async () => {
    // A plain folder (not a checkout), no `code_repositories:`, a local artifact store.
    const dir = cleanup.dir(await mkdtemp(join(tmpdir(), 'stowage-e2e-code-include-')));
    const pipeline = `e2e-code-include-${uniqueSuffix()}`;
    await writeYaml(dir, {
      pipeline: { name: pipeline, python_version: '3.11' },
      settings: { docker: { python_package_installer: 'pip' } },
      steps: { hello: { command: ['python', 'hello.py'] } },
      stacks: { local: { image_builder: { flavor: 'local' }, artifact_store: { flavor: 'local' } } },
      active_stack: 'local',
    });
    for (const [path, text] of Object.entries(stepCode('v-included'))) {
      const target = join(dir, path.replace(/^pipelines\//, ''));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text);
    }

    const planned = await plan(dir);
    expect(planned.images[0]!.code).toEqual({
      strategy: 'include',
      reason: expect.stringMatching(/^copied into the image \(.*no code repository is registered.*; the local artifact store is not reachable from containers\)$/),
    });
    expect(planned.preSteps).toEqual([]);
    const dockerfile = (await cliOk(dir, ['dockerfile', 'hello'])).stdout;
    expect(dockerfile).toMatch(/^COPY stowage_code\/ \.\/$/m);
    expect(dockerfile).not.toContain('stowage_bootstrap');

    const { build: b } = await build(dir);
    expect(b.containsCode).toBe(true);
    expect(b.codeReference).toBeUndefined();
    expect(b.launch).toEqual({ hello: { image: b.images[0]!.imageReference, command: ['python', 'hello.py'], environment: {}, secretEnvironment: [] } });
    expect(await imageLeaves(b.images[0]!.imageReference, 'app/')).toEqual(expect.arrayContaining(['demo_code/__init__.py', 'hello.py']));

    const run = await cli(dir, ['run', 'hello', '--', 'x']);
    expect(run.code, describeRun(run)).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ version: 'v-included', cwd: '/app', args: ['x'], pythonpath: '' });
  });
});
