/**
 * The quickstart example, built for real: a copy of examples/quickstart (with its .dockerignore),
 * whose `train` step pins its own requirements. Built images run their steps; a second build
 * reuses everything without calling the builder; changing only train's requirements rebuilds
 * only train.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { dockerRunOk, imageId } from './docker.js';
import { Cleanup, editYaml, exampleProject, readStore, uniqueSuffix, type PlanJson } from './projects.js';
import { describeRun, stowageJson, stowageOk } from './runStowage.js';

useE2E('quickstart');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

const installedVersion = (image: string, dist: string): Promise<string> =>
  dockerRunOk(image, ['python', '-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(dist)}))`]).then((s) => s.trim());

describe('quickstart example', () => {
  it('builds, runs, reuses, and rebuilds only the step whose requirements changed', async () => {
    const project = cleanup.dir(await exampleProject('quickstart'));
    const pipeline = `e2e-quickstart-${uniqueSuffix()}`;
    await editYaml(project, (c) => {
      c.pipeline.name = pipeline; // unique tags: never touch images of other runs
      c.steps.train.settings.docker.requirements = ['stowage-demo-core==1.1.0', 'stowage-demo-features==1.0.0'];
    });
    const run = { cwd: project };

    // ---- first build: two images, both built
    const { json: first, run: firstRun } = await stowageJson<PipelineBuild>(['build', '--json'], run);
    await cleanup.imagesOfStore(project);
    expect(first.pipeline).toBe(pipeline);
    expect(first.images.map((i) => [i.key, i.action, i.steps])).toEqual([
      ['pipeline', 'built', ['load', 'evaluate']],
      ['train', 'built', ['train']],
    ]);
    // Progress lines are prefixed with the image key (non-TTY output): the contrast for the reuse check below.
    expect(firstRun.stderr).toMatch(/^\[pipeline\] /m);
    expect(firstRun.stderr).toMatch(/^\[train\] /m);
    const store1 = await readStore(project);
    expect(store1.records.map((b) => b.id)).toEqual([first.id]);

    const pipelineImage = first.images.find((i) => i.key === 'pipeline')!;
    const trainImage = first.images.find((i) => i.key === 'train')!;
    expect(pipelineImage.imageReference).toMatch(new RegExp(`^stowage:${pipeline}-[0-9a-f]{12}$`));
    expect(trainImage.imageReference).toMatch(new RegExp(`^stowage:${pipeline}-train-[0-9a-f]{12}$`));

    // ---- `stowage run train` starts the train step from its launch spec (image and command recorded with the build)
    expect(first.launch?.train).toEqual({ image: trainImage.imageReference, command: ['python', '-m', 'steps.train'], environment: {}, secretEnvironment: [] });
    const ran = await stowageOk(['run', 'train'], run);
    const trainOut = JSON.parse(ran.stdout) as Record<string, unknown>;
    expect(trainOut).toMatchObject({ step: 'train', curl: true, model_dir: '/models', epochs: 3 });
    expect(trainOut['greeting']).toBe('hello, train!'); // core 1.1.0 adds the "!"
    expect(await installedVersion(trainImage.imageReference, 'stowage-demo-core')).toBe('1.1.0');

    // ---- the pipeline image runs load and evaluate, and has the requirements.txt packages
    const loadOut = JSON.parse(await dockerRunOk(pipelineImage.imageReference, ['python', '-m', 'steps.load'])) as Record<string, unknown>;
    expect(loadOut).toMatchObject({ step: 'load', greeting: 'hello, load', rows: [1, 2, 3.5] });
    const evalOut = JSON.parse(await dockerRunOk(pipelineImage.imageReference, ['python', '-m', 'steps.evaluate'])) as Record<string, unknown>;
    expect(evalOut).toMatchObject({ step: 'evaluate', features: { count: 2, sum: 2 } });
    expect(await dockerRunOk(pipelineImage.imageReference, ['python', '-c', 'import stowage_demo_core, stowage_demo_features; print("ok")'])).toBe('ok\n');
    expect(await installedVersion(pipelineImage.imageReference, 'stowage-demo-core')).toBe('1.0.0');
    // The .dockerignore allowlist applied: only steps/ and requirements.txt (+ the requirement file) in /app; never the generated Dockerfile.
    const appFiles = (await dockerRunOk(pipelineImage.imageReference, ['ls', '-A', '/app'])).split('\n').filter(Boolean).sort();
    expect(appFiles).toEqual(['.stowage_user_requirements', 'requirements.txt', 'steps']);
    // The pipeline image has no curl (that apt package is train's alone).
    expect(await dockerRunOk(pipelineImage.imageReference, ['python', '-c', 'import shutil; print(bool(shutil.which("curl")))'])).toBe('False\n');

    const ids = { pipeline: await imageId(pipelineImage.imageReference), train: await imageId(trainImage.imageReference) };
    expect(ids.pipeline).toMatch(/^sha256:/);
    expect(ids.train).toMatch(/^sha256:/);

    // ---- second build: nothing changed, the first build is reused, the builder is never called
    const again = await stowageOk(['build'], run);
    expect(again.stdout, describeRun(again)).toContain(`Reusing existing build ${first.id}`);
    expect(again.stderr, describeRun(again)).not.toMatch(/^\[(pipeline|train)\]/m);
    expect((await readStore(project)).files).toEqual(store1.files);
    expect(await imageId(pipelineImage.imageReference)).toBe(ids.pipeline);
    expect(await imageId(trainImage.imageReference)).toBe(ids.train);

    // ---- change only train's own requirements
    await editYaml(project, (c) => {
      c.steps.train.settings.docker.requirements = ['stowage-demo-core==1.0.0', 'stowage-demo-features==1.0.0'];
    });
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], run);
    const planned = Object.fromEntries(plan.images.map((i) => [i.key, i]));
    expect(planned['pipeline']?.action).toBe('reuse');
    expect(planned['pipeline']?.reuse?.buildId).toBe(first.id);
    expect(planned['train']?.action).toBe('build');
    expect(planned['train']?.why.some((w) => w.includes('.stowage_user_requirements')), JSON.stringify(planned['train']?.why)).toBe(true);

    const { json: third, run: thirdRun } = await stowageJson<PipelineBuild>(['build', '--json'], run);
    await cleanup.imagesOfStore(project);
    expect(third.id).not.toBe(first.id);
    const pipeline3 = third.images.find((i) => i.key === 'pipeline')!;
    const train3 = third.images.find((i) => i.key === 'train')!;
    expect(pipeline3.action).toBe('reused');
    expect(pipeline3.imageReference).toBe(pipelineImage.imageReference);
    expect(pipeline3.reusedFrom).toBe(first.id);
    expect(train3.action).toBe('built');
    expect(train3.imageReference).not.toBe(trainImage.imageReference);
    // Only train went to the builder: pipeline's only line is the reuse notice.
    // The pipeline image is only reused: its lines say so, and no builder output of it shows.
    expect(thirdRun.stderr).toMatch(/^\[pipeline\] ↺ reused/m);
    expect(thirdRun.stderr).not.toMatch(/^\[pipeline\] (?!reusing$|↺ reused)/m);
    expect(thirdRun.stderr).toMatch(/^\[train\] /m);
    expect(await imageId(pipelineImage.imageReference)).toBe(ids.pipeline);
    expect(await imageId(train3.imageReference)).not.toBe(ids.train);
    expect(await installedVersion(train3.imageReference, 'stowage-demo-core')).toBe('1.0.0');
    const train3Out = JSON.parse(await dockerRunOk(train3.imageReference, ['python', '-m', 'steps.train'])) as Record<string, unknown>;
    expect(train3Out).toMatchObject({ greeting: 'hello, train', curl: true, epochs: 3 });
    expect((await readStore(project)).records.map((b) => b.id).sort()).toEqual([first.id, third.id].sort());
  });
});
