/**
 * ZenML fidelity with the real engine and registry (fixtures/fidelity), few and small builds:
 * (a) the step user owns /app (it can create a file there), a user file named `Dockerfile` in the
 *     source root reaches /app unchanged (the generated one never does), the image carries OCI
 *     labels (revision, source without credentials, created from the commit time, pipeline,
 *     steps, checksum), the planned pull of a parent that exists only on this engine is skipped,
 *     and editing stowage.yaml changes no image;
 * (b) an image built from a user Dockerfile alone gets a new image_tag / target_repository by a
 *     manifest copy in the registry, or a tag on the engine — nothing is rebuilt;
 * (c) a parent that came from a registry is pulled again: a rebuild does not keep a stale parent.
 */
import { spawnSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { dockerOk, dockerRunOk, imageId } from './docker.js';
import { Cleanup, editYaml, fixtureProject, uniqueSuffix, type PlanJson } from './projects.js';
import { describeRun, stowageJson } from './runStowage.js';

const gate = useE2E('fidelity');
const cleanup = new Cleanup();
/** [repository, digest] of manifests this file pushed to the open registry, deleted at the end. */
const pushed: [string, string][] = [];
afterAll(async () => {
  for (const [repo, digest] of pushed) await fetch(`http://${gate.env.registry}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' }).catch(() => undefined);
  await cleanup.run();
});

interface BuildStepJson {
  kind: string;
  imageName?: string;
  source?: string;
  where?: string;
  options?: { pull?: boolean; labels?: Record<string, string> };
}

const COMMIT_DATE = '2025-01-02T03:04:05Z';

async function project(config = 'stowage.yaml'): Promise<{ dir: string; run: string }> {
  const dir = cleanup.dir(await fixtureProject('fidelity'));
  const run = uniqueSuffix();
  await editYaml(dir, (c) => {
    c.pipeline.name = `${c.pipeline.name}-${run}`;
    if (c.settings.docker.environment) c.settings.docker.environment.E2E_RUN = run;
    if (c.settings.docker.image_tag) c.settings.docker.image_tag = `v1-${run}`;
  }, config);
  return { dir, run };
}

/** A git checkout whose remote URL holds a credential (never to reach a label), committed at COMMIT_DATE. */
function commitAll(dir: string): string {
  const env = { ...process.env, GIT_AUTHOR_DATE: COMMIT_DATE, GIT_COMMITTER_DATE: COMMIT_DATE, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com' };
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-C', dir, ...args], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  git('init', '-q');
  git('remote', 'add', 'origin', 'https://bot:secret-token@git.example.com/acme/fidelity.git');
  git('add', '-A');
  git('commit', '-q', '-m', 'fidelity');
  return git('rev-parse', 'HEAD');
}

const buildSteps = (plan: PlanJson) => plan.images.flatMap((i) => i.buildSteps as unknown as BuildStepJson[]);
const env = { SOURCE_DATE_EPOCH: undefined };

describe('(a) the image a step runs in', () => {
  it('user owns /app, the user Dockerfile is kept, OCI labels are set, a local-only parent is not pulled, stowage.yaml is not code', async () => {
    const { dir } = await project();
    const commit = commitAll(dir);
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir, env });
    const [build] = buildSteps(plan).filter((s) => s.kind === 'docker-build');
    expect(build?.options?.pull).toBe(true); // python:3.11-slim is named explicitly: ZenML would pull it

    // --verbose: the engine's status lines (the builder's "not pulling") are shown.
    const { json: built, run } = await stowageJson<PipelineBuild>(['--verbose', 'build', '--json'], { cwd: dir, env });
    await cleanup.imagesOfStore(dir);
    // Offline engine: had the pull not been skipped, the build would have failed asking Docker Hub.
    expect(run.stderr, describeRun(run)).toMatch(/not pulling: python:3\.11-slim exists only on this engine/);
    const image = built.images[0]!;

    const inApp = await dockerRunOk(image.imageReference, ['sh', '-c', 'id -un && touch /app/created-by-step && stat -c %U /app /app/main.py && cat /app/Dockerfile']);
    expect(inApp.split('\n').slice(0, 3)).toEqual(['nobody', 'nobody', 'nobody']);
    expect(inApp).toContain('FROM users-own-base:1');

    const labels = JSON.parse(await dockerOk(['image', 'inspect', '--format', '{{json .Config.Labels}}', image.imageReference])) as Record<string, string>;
    expect(labels).toMatchObject({
      'org.opencontainers.image.revision': commit,
      'org.opencontainers.image.source': 'https://git.example.com/acme/fidelity',
      'org.opencontainers.image.created': COMMIT_DATE,
      'dev.stowage.pipeline': built.pipeline,
      'dev.stowage.steps': 'main',
      'dev.stowage.checksum': image.checksum,
    });
    expect(JSON.stringify(labels)).not.toContain('secret-token');

    // Editing the config file (not pipeline code) changes no image.
    await appendFile(`${dir}/stowage.yaml`, '# a comment only\n');
    const { json: again } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir, env });
    expect(again.images.map((i) => i.action)).toEqual(['reuse']);
  });
});

describe('(b) a user-Dockerfile-only image under a new name: retagged, not rebuilt', () => {
  it('in the registry: the manifest is copied under the new tag, same digest', async () => {
    const { dir, run } = await project('retag.stowage.yaml');
    const cfg = ['--config', 'retag.stowage.yaml'];
    const { json: first } = await stowageJson<PipelineBuild>(['build', '--json', ...cfg], { cwd: dir });
    await cleanup.imagesOfStore(dir);
    const image = first.images[0]!;
    pushed.push(['stowage', image.digest!]);
    expect(image.imageName).toBe(`${gate.env.registry}/stowage:v1-${run}`);

    await editYaml(dir, (c) => void (c.settings.docker.image_tag = `v2-${run}`), 'retag.stowage.yaml');
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json', ...cfg], { cwd: dir });
    expect(buildSteps(plan).map((s) => [s.kind, s.imageName ?? s.source, s.where])).toEqual([
      ['reuse', undefined, undefined],
      ['tag', `${gate.env.registry}/stowage:v2-${run}`, 'registry'],
    ]);
    const { json: second, run: out } = await stowageJson<PipelineBuild>(['build', '--json', ...cfg], { cwd: dir });
    expect(out.stderr, describeRun(out)).not.toMatch(/^\[pipeline\] building/m);
    const renamed = second.images[0]!;
    expect([renamed.action, renamed.imageName, renamed.digest]).toEqual(['reused', `${gate.env.registry}/stowage:v2-${run}`, image.digest]);
    const head = await fetch(`http://${gate.env.registry}/v2/stowage/manifests/v2-${run}`, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' } });
    expect([head.status, head.headers.get('docker-content-digest')]).toEqual([200, image.digest]);
    expect(await dockerRunOk(renamed.imageReference, ['cat', '/retag.txt'])).toBe('retag\n');
  });

  it('on the engine (no registry): tagged under the new repository, the same image id', async () => {
    const { dir, run } = await project('retag.stowage.yaml');
    const opts = { cwd: dir };
    const cfg = ['--config', 'retag.stowage.yaml', '--stack', 'engine'];
    const { json: first } = await stowageJson<PipelineBuild>(['build', '--json', ...cfg], opts);
    await cleanup.imagesOfStore(dir);
    await editYaml(dir, (c) => void (c.settings.docker.target_repository = `e2e-fidelity-${run}`), 'retag.stowage.yaml');
    const { json: second } = await stowageJson<PipelineBuild>(['build', '--json', ...cfg], opts);
    const name = `e2e-fidelity-${run}:v1-${run}`;
    cleanup.image(name);
    expect([second.images[0]!.action, second.images[0]!.imageName]).toEqual(['reused', name]);
    expect(await imageId(name)).toBe(await imageId(first.images[0]!.imageName));
  });
});

describe('(c) a parent that came from a registry is pulled again (ZenML pull=True)', () => {
  it('a rebuild (prevent_build_reuse) runs on the newest parent, not a stale local copy', async () => {
    const { dir, run } = await project();
    const repo = `e2e-fidelity-${run}/base`;
    const parent = `${gate.env.registry}/${repo}:latest`;
    const baseImage = async (version: string, tag: string) => {
      await dockerOk(['build', '-q', '-t', tag, '-'], { input: `FROM python:3.11-slim\nRUN echo ${version} > /base-version\n` });
      cleanup.image(tag);
    };
    await baseImage('v1', parent);
    await dockerOk(['push', '-q', parent]);
    const v1 = await fetch(`http://${gate.env.registry}/v2/${repo}/manifests/latest`, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    pushed.push([repo, v1.headers.get('docker-content-digest')!]);
    await editYaml(dir, (c) => {
      c.settings.docker.parent_image = parent;
      c.settings.docker.prevent_build_reuse = true;
    });
    const { json: one } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: dir });
    await cleanup.imagesOfStore(dir);
    expect(await dockerRunOk(one.images[0]!.imageReference, ['cat', '/base-version'])).toBe('v1\n');

    // v2 reaches the registry's :latest; this engine's :latest stays v1.
    const v2 = `${gate.env.registry}/${repo}:v2`;
    await baseImage('v2', v2);
    await dockerOk(['push', '-q', v2]);
    const accept = 'application/vnd.docker.distribution.manifest.v2+json';
    const manifest = await fetch(`http://${gate.env.registry}/v2/${repo}/manifests/v2`, { headers: { Accept: accept } });
    const put = await fetch(`http://${gate.env.registry}/v2/${repo}/manifests/latest`, { method: 'PUT', headers: { 'Content-Type': manifest.headers.get('content-type') ?? accept }, body: new Uint8Array(await manifest.arrayBuffer()) });
    expect(put.status).toBe(201);
    pushed.push([repo, put.headers.get('docker-content-digest')!]);
    expect(await dockerRunOk(parent, ['cat', '/base-version'])).toBe('v1\n');

    const { json: two } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: dir });
    await cleanup.imagesOfStore(dir);
    expect(await dockerRunOk(two.images[0]!.imageReference, ['cat', '/base-version'])).toBe('v2\n');
  });
});
