import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSteps, STEP_EXECUTORS, type BuildPlan, type PlanStep, type StepExecutor, type StepExecutors } from '@stowage/core';
import { createTestStack, type TestStack } from '../src/index.js';

/** Executors that do the real work and record every step they were given. */
function recordingExecutors(): { ran: PlanStep[]; executors: StepExecutors } {
  const ran: PlanStep[] = [];
  const executors = Object.fromEntries(
    Object.entries(STEP_EXECUTORS).map(([kind, run]) => [
      kind,
      (async (step, ctx) => {
        ran.push(step);
        await (run as StepExecutor)(step, ctx);
      }) satisfies StepExecutor,
    ]),
  ) as unknown as StepExecutors;
  return { ran, executors };
}

/** Plans, then builds that exact plan with recording executors. */
async function buildRecorded(t: TestStack, options: Parameters<TestStack['plan']>[0] = {}) {
  const plan = await t.stowage.plan(options);
  const { ran, executors } = recordingExecutors();
  const result = await t.stowage.build(plan, { executors });
  return { plan, ran, result };
}

/** Images run in parallel: what must hold is each image's own order, and nothing more or less. */
const byImage = (steps: readonly PlanStep[]) => {
  const out: Record<string, PlanStep[]> = {};
  for (const s of steps) (out['image' in s ? s.image : ''] ??= []).push(s);
  return out;
};
const kinds = (steps: readonly PlanStep[]) => steps.map((s) => `${s.kind}${'image' in s ? `:${s.image}` : ''}`);
const PIPELINE = {
  pipeline: { name: 'training', python_version: '3.11' },
  settings: { docker: { requirements: ['pandas==2.2.0'], python_package_installer: 'pip' } },
  steps: { load: {}, train: { settings: { docker: { apt_packages: ['git'], allow_including_files_in_images: false, allow_download_from_code_repository: false, allow_download_from_artifact_store: false } } } },
};
const WITH_REGISTRY = { ...PIPELINE, active_stack: 'reg', stacks: { reg: { image_builder: { flavor: 'fake' }, container_registry: { flavor: 'fake', uri: 'registry.test:5000/team' } } } };

describe('the engine takes exactly the steps the plan shows', () => {
  it('a fresh build: every docker-build and push, in plan order per image', async () => {
    const t = await createTestStack({ config: WITH_REGISTRY, files: { 'main.py': 'print(1)\n' } });
    const { plan, ran, result } = await buildRecorded(t);
    expect(kinds(planSteps(plan))).toEqual(['docker-build:pipeline', 'push:pipeline', 'docker-build:train', 'push:train']);
    expect(byImage(ran)).toEqual(byImage(planSteps(plan)));
    expect(result.created).toBe(true);
    expect(t.fakes.containerRegistry.preparedRepositories).toEqual(['team/stowage', 'team/stowage']);
  });

  it('a reuse: only the changed image is built, the other is a reuse step', async () => {
    const t = await createTestStack({ config: WITH_REGISTRY, files: { 'main.py': 'print(1)\n' } });
    await buildRecorded(t);
    writeFileSync(join(t.root, 'main.py'), 'print(2)\n');
    const { plan, ran } = await buildRecorded(t);
    expect(kinds(planSteps(plan))).toEqual(['docker-build:pipeline', 'push:pipeline', 'reuse:train']);
    expect(byImage(ran)).toEqual(byImage(planSteps(plan)));
  });

  it('an unchanged pipeline: the plan says the existing build is returned, and nothing runs', async () => {
    const t = await createTestStack({ config: WITH_REGISTRY, files: { 'main.py': 'print(1)\n' } });
    const first = await buildRecorded(t);
    const { plan, ran, result } = await buildRecorded(t);
    expect(plan.outcome).toEqual({ kind: 'existing-build', buildId: first.result.build.id });
    expect(plan.images.map((i) => [i.action, i.buildSteps])).toEqual([['reuse', []], ['reuse', []]]);
    expect([planSteps(plan), ran]).toEqual([[], []]);
    expect([result.created, result.build.id]).toEqual([false, first.result.build.id]);
  });

  it('a given build: planned with its verification; nothing runs and a build file is saved to the store', async () => {
    const t = await createTestStack({ config: WITH_REGISTRY, files: { 'main.py': 'print(1)\n' } });
    const first = await buildRecorded(t);
    writeFileSync(join(t.root, 'given.json'), JSON.stringify({ ...first.result.build, id: 'given-1' }));
    const { plan, ran, result } = await buildRecorded(t, { givenBuild: { reference: 'given.json', baseDir: t.root } });
    expect(plan.outcome).toMatchObject({ kind: 'given-build', buildId: 'given-1', from: 'file', save: true });
    expect([planSteps(plan), ran]).toEqual([[], []]);
    expect(result.build.id).toBe('given-1');
    expect((await t.stowage.builds.list()).map((b) => b.id)).toContain('given-1');
  });

  it('code for a remote artifact store: the upload is a planned step with its destination, taken once', async () => {
    const config = { ...PIPELINE, active_stack: 'r', stacks: { r: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 'fake-remote', path: 's3://bucket/stowage' } } } };
    const t = await createTestStack({ config, files: { 'main.py': 'print(1)\n' } });
    const { plan, ran, result } = await buildRecorded(t);
    const upload = plan.preSteps[0]!;
    expect(upload).toMatchObject({ kind: 'upload-code-archive', destination: expect.stringMatching(/^s3:\/\/bucket\/stowage\/code_uploads\/[0-9a-f]{64}\.tar\.gz$/) });
    expect(byImage(ran)).toEqual(byImage(planSteps(plan)));
    expect([...t.fakes.artifactStore.objects.keys()]).toEqual([(upload as { key: string }).key]);
    expect(result.build.codeArchive?.url).toBe((upload as { destination: string }).destination);
    const again = await buildRecorded(t);
    expect([again.plan.preSteps, again.ran.filter((s) => s.kind === 'upload-code-archive')]).toEqual([[], []]);
  });
});

describe('plugin API v2 through the real wiring', () => {
  const REMOTE = {
    ...PIPELINE,
    active_stack: 'cloud',
    stacks: {
      cloud: {
        image_builder: { flavor: 'fake-remote' },
        // No `uri` key: the flavor's describe() composes it from project/location/repository.
        container_registry: { flavor: 'fake-project', project: 'acme', location: 'europe-west1', repository: 'images' },
        artifact_store: { flavor: 'fake-remote', path: 'gs://bucket/stowage' },
      },
    },
  };

  it('a remote builder gets its stack registry and artifact store through deps, builds from the staged context and pushes', async () => {
    const t = await createTestStack({ config: REMOTE, files: { 'main.py': 'print(1)\n' } });
    const { plan, ran, result } = await buildRecorded(t);
    expect(kinds(plan.images[0]!.buildSteps)).toEqual(['stage-context:pipeline', 'docker-build:pipeline']);
    expect(byImage(ran)).toEqual(byImage(planSteps(plan)));
    const [stage, build] = plan.images[0]!.buildSteps as [Extract<PlanStep, { kind: 'stage-context' }>, Extract<PlanStep, { kind: 'docker-build' }>];
    expect(stage.destination).toMatch(/^gs:\/\/bucket\/stowage\/contexts\/[0-9a-f]{64}\.tar$/);
    expect(build).toMatchObject({ pushInBuild: true, stagedContext: { key: stage.key, destination: stage.destination } });
    expect(build.imageName).toMatch(/^europe-west1-docker\.registry\.test\/acme\/images\/stowage:training-[0-9a-f]{12}$/);
    const recorded = t.fakes.remoteImageBuilder.builds.find((b) => b.imageName === build.imageName)!;
    expect(recorded.stagedContext?.uri).toBe(stage.destination);
    expect(recorded.files.map((f) => f.name)).toContain('Dockerfile');
    expect(t.fakes.containerRegistry.pushed.get(build.imageName)).toBe(result.build.images[0]!.digest);
    expect(t.fakes.containerRegistry.authScopes[0]).toEqual({ repository: 'acme/images/stowage', actions: ['pull', 'push'] });
    expect(t.fakes.imageBuilder.builds).toEqual([]);
  });

  it('capabilities are enforced at plan time: a platform the builder cannot build is exit 2 with the key path', async () => {
    const config = {
      ...REMOTE,
      settings: { docker: { ...PIPELINE.settings.docker, build_config: { build_options: { platform: 'linux/s390x', network_mode: 'host' } } } },
      stacks: { cloud: { ...REMOTE.stacks.cloud, image_builder: { flavor: 'fake-remote', platforms: ['linux/amd64'] } } },
    };
    const t = await createTestStack({ config });
    await expect(t.plan()).rejects.toMatchObject({
      code: 'CAPABILITY_MISSING',
      exitCode: 2,
      file: 'stowage.yaml',
      keyPath: 'settings.docker.build_config.build_options.platform',
      line: expect.any(Number),
    });
  });

  it("a builder's check() and ignored build options are plan warnings at the option's key path", async () => {
    const config = { ...REMOTE, settings: { docker: { ...PIPELINE.settings.docker, build_config: { build_options: { network_mode: 'host' } } } } };
    const plan: BuildPlan = await (await createTestStack({ config })).plan();
    const warnings = plan.warnings.filter((w) => w.keyPath === 'settings.docker.build_config.build_options');
    expect(warnings.map((w) => w.message)).toEqual([
      'image pipeline: the fake-remote image builder ignores build options network',
      'image pipeline: fake-remote ignores network',
      'image train: the fake-remote image builder ignores build options network',
      'image train: fake-remote ignores network',
    ]);
  });
});

describe('given builds are data, never paths', () => {
  it('a build file whose id would escape the build store is rejected (exit 2) and nothing is written', async () => {
    const t = await createTestStack({ config: WITH_REGISTRY, files: { 'main.py': 'print(1)\n' } });
    const first = await buildRecorded(t);
    writeFileSync(join(t.root, 'evil.json'), JSON.stringify({ ...first.result.build, id: '../../escaped' }));
    await expect(t.plan({ givenBuild: { reference: 'evil.json', baseDir: t.root } })).rejects.toMatchObject({ code: 'BUILD_INVALID', exitCode: 2, keyPath: 'id' });
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(t.root, 'escaped.json'))).toBe(false);
    expect((await t.stowage.builds.list()).map((b) => b.id)).toEqual([first.result.build.id]);
  });
});

describe('an existing build is returned only when its steps would launch the same way', () => {
  it('a changed step command gives a new record', async () => {
    const t = await createTestStack({ config: WITH_REGISTRY, files: { 'main.py': 'print(1)\n' } });
    const first = await buildRecorded(t);
    const { readFileSync } = await import('node:fs');
    const yaml = readFileSync(join(t.root, 'stowage.yaml'), 'utf8').replace('load: {}', 'load: { command: [python, -m, load] }');
    writeFileSync(join(t.root, 'stowage.yaml'), yaml);
    const again = await createTestStack({ root: t.root, config: yaml, overrides: t.fakes });
    const { plan, result } = await buildRecorded(again);
    expect(plan.outcome.kind).toBe('new-build');
    // stowage.yaml is not pipeline code: no image changes, only how a step is launched.
    expect(plan.images.map((i) => [i.key, i.action])).toEqual([['pipeline', 'reuse'], ['train', 'reuse']]);
    expect(result.build.id).not.toBe(first.result.build.id);
    expect(result.build.launch?.load?.command).toEqual(['python', '-m', 'load']);
  });
});
