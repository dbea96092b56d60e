/**
 * A user's own Dockerfile (fixtures/dockerfile): with settings that add something on top it
 * becomes TWO images (the Dockerfile's, then a generated one FROM it); alone it is ONE image under
 * the final name; and `skip_build` uses the parent image as-is, building nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { dockerRunOk, imageId, localTags } from './docker.js';
import { Cleanup, dockerBuilds, editYaml, fixtureProject, readStore, uniqueSuffix, type PlanJson } from './projects.js';
import { describeRun, stowageJson, stowageOk } from './runStowage.js';

useE2E('dockerfile');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

/** A copy of fixtures/dockerfile with a unique pipeline name in the given config file. */
async function project(configFile: string): Promise<{ dir: string; pipeline: string }> {
  const dir = cleanup.dir(await fixtureProject('dockerfile'));
  const pipeline = `e2e-dockerfile-${uniqueSuffix()}`;
  await editYaml(dir, (c) => void (c.pipeline.name = pipeline), configFile);
  return { dir, pipeline };
}

describe('user Dockerfile', () => {
  it('with requirements and environment on top: two images, the final one FROM the first', async () => {
    const { dir, pipeline } = await project('stowage.yaml');
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir });
    expect(plan.images).toHaveLength(1);
    const planned = plan.images[0]!;
    expect(dockerBuilds(planned).map((b) => b.role)).toEqual(['dockerfile', 'generated']);
    const [first, second] = dockerBuilds(planned) as [ReturnType<typeof dockerBuilds>[0], ReturnType<typeof dockerBuilds>[0]];
    expect(first.dockerfile).toContain('RUN echo from-dockerfile > /marker');
    expect(second.dockerfile.split('\n')[0]).toBe(`FROM ${first.imageName}`);
    expect(second.imageName).toBe(planned.imageName);
    expect(first.imageName).not.toBe(second.imageName);

    // `stowage dockerfile STEP` prints both Dockerfiles, each under a header naming its image.
    const printed = await stowageOk(['dockerfile', 'main'], { cwd: dir });
    expect(printed.stdout).toContain(`# ---- dockerfile image: ${first.imageName}`);
    expect(printed.stdout).toContain(`# ---- generated image: ${second.imageName}`);

    const { json: build } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: dir });
    cleanup.image(first.imageName, second.imageName);
    expect(build.pipeline).toBe(pipeline);
    expect(build.images).toHaveLength(1);
    const image = build.images[0]!;
    expect(image.action).toBe('built');
    expect(image.imageReference).toBe(second.imageName);
    expect(image.dockerfiles.map((d) => [d.role, d.imageName])).toEqual([
      ['dockerfile', first.imageName],
      ['generated', second.imageName],
    ]);
    // Both images exist, and they are different images.
    const ids = [await imageId(first.imageName), await imageId(second.imageName)];
    expect(ids[0], `${first.imageName} should exist`).toMatch(/^sha256:/);
    expect(ids[1], `${second.imageName} should exist`).toMatch(/^sha256:/);
    expect(ids[0]).not.toBe(ids[1]);
    // The final image has the Dockerfile's marker, the requirement and the environment.
    expect(await dockerRunOk(image.imageReference, ['cat', '/marker'])).toBe('from-dockerfile\n');
    expect(await dockerRunOk(image.imageReference, ['python', '-c', 'import importlib.metadata as m; print(m.version("stowage-demo-core"))'])).toBe('1.0.0\n');
    expect(await dockerRunOk(image.imageReference, ['python', '-m', 'app'])).toBe('from-dockerfile from-settings\n');
    // The Dockerfile's image has the marker but nothing Stowage adds.
    expect(await dockerRunOk(first.imageName, ['cat', '/marker'])).toBe('from-dockerfile\n');
    expect(await dockerRunOk(first.imageName, ['python', '-c', 'import importlib.util as u, os; print(u.find_spec("stowage_demo_core") is None, os.environ.get("E2E_FROM_SETTINGS"))'])).toBe('True None\n');
  });

  it('alone (no requirements, code or environment to add): one image, under the final name', async () => {
    const { dir, pipeline } = await project('dockerfile-only.stowage.yaml');
    const cfg = ['--config', 'dockerfile-only.stowage.yaml'];
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json', ...cfg], { cwd: dir });
    const planned = plan.images[0]!;
    expect(planned.action).toBe('build');
    expect(dockerBuilds(planned).map((b) => [b.role, b.imageName])).toEqual([['dockerfile', planned.imageName]]);
    expect(planned.imageName).toMatch(new RegExp(`^stowage:${pipeline}-[0-9a-f]{12}$`)); // no "-intermediate"

    const { json: build } = await stowageJson<PipelineBuild>(['build', '--json', ...cfg], { cwd: dir });
    cleanup.image(planned.imageName);
    const image = build.images[0]!;
    expect(image.action).toBe('built');
    expect(image.imageName).toBe(planned.imageName);
    expect(image.imageReference).toBe(planned.imageName);
    expect(image.dockerfiles.map((d) => d.role)).toEqual(['dockerfile']);
    expect(await dockerRunOk(image.imageReference, ['cat', '/marker'])).toBe('from-dockerfile\n');
    // No code was copied (no /app at all), and no intermediate image was tagged.
    expect(await dockerRunOk(image.imageReference, ['sh', '-c', 'test -e /app && echo present || echo absent'])).toBe('absent\n');
    const tags = [...(await localTags())].filter((t) => t.includes(pipeline));
    expect(tags).toEqual([image.imageName]);
  });

  it('skip_build: true uses the parent image as-is and builds nothing', async () => {
    const { dir, pipeline } = await project('skip-build.stowage.yaml');
    const cfg = ['--config', 'skip-build.stowage.yaml'];
    const baseId = await imageId('python:3.11-slim');
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json', ...cfg], { cwd: dir });
    expect(plan.images.map((i) => [i.action, i.imageName, dockerBuilds(i).length])).toEqual([['skip-build', 'python:3.11-slim', 0]]);

    const built = await stowageJson<PipelineBuild>(['build', '--json', ...cfg], { cwd: dir });
    const image = built.json.images[0]!;
    expect(image.action).toBe('skip-build');
    expect(image.imageReference).toBe('python:3.11-slim');
    expect(image.dockerfiles).toEqual([]);
    expect(built.run.stderr, describeRun(built.run)).not.toMatch(/^\[pipeline\] (Step \d|building )/m); // no builder output
    // Nothing was built or tagged for this pipeline, and the parent image is untouched.
    expect([...(await localTags())].filter((t) => t.includes(pipeline))).toEqual([]);
    expect(await imageId('python:3.11-slim')).toBe(baseId);
    // The build is recorded (with the parent image as the reference).
    const store = await readStore(dir);
    expect(store.records.map((b) => [b.id, b.images[0]?.imageReference])).toEqual([[built.json.id, 'python:3.11-slim']]);
  });
});
