import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlannedImage } from '@stowage/core';
import type { ImageBuildRequest, ImageBuildResult } from '@stowage/plugin-api';
import { createTestStack, FakeImageBuilder } from '../src/index.js';

const dockerfiles = (image: PlannedImage) => image.buildSteps.flatMap((s) => (s.kind === 'docker-build' ? [s.dockerfile] : []));

const PIPELINE = {
  pipeline: { name: 'training', python_version: '3.11' },
  settings: { docker: { requirements: ['pandas==2.2.0'], python_package_installer: 'pip' } },
  steps: { load: {}, train: { settings: { docker: { apt_packages: ['git'] } } } },
};
const records = (root: string) => {
  try {
    return readdirSync(join(root, '.stowage/builds')).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
};

describe('engine with fakes (real load → compose → plan → execute path)', () => {
  it('builds every image, records one build, and reuses it when nothing changed', async () => {
    const t = await createTestStack({ config: PIPELINE, files: { 'main.py': 'print(1)\n' } });
    const first = await t.build();
    expect(first.result.created).toBe(true);
    // Independent images build in parallel: the order they finish in is not fixed.
    expect(t.fakes.imageBuilder.builds.map((b) => b.imageName).sort()).toEqual([
      expect.stringMatching(/^stowage:training-[0-9a-f]{12}$/),
      expect.stringMatching(/^stowage:training-train-[0-9a-f]{12}$/),
    ]);
    expect(first.result.build.images.map((i) => [i.key, i.action, i.steps])).toEqual([
      ['pipeline', 'built', ['load']],
      ['train', 'built', ['train']],
    ]);
    const second = await t.build();
    expect([second.result.created, second.result.build.id]).toEqual([false, first.result.build.id]);
    expect(t.fakes.imageBuilder.builds).toHaveLength(2);
    expect(records(t.root)).toHaveLength(1);
  });

  it('a changed source file rebuilds only images that include code; the plan says why', async () => {
    const t = await createTestStack({
      config: { ...PIPELINE, steps: { ...PIPELINE.steps, train: { settings: { docker: { allow_including_files_in_images: false, allow_download_from_code_repository: false, allow_download_from_artifact_store: false, apt_packages: ['git'] } } } } },
      files: { 'main.py': 'print(1)\n' },
    });
    await t.build();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.root, 'main.py'), 'print(2)\n');
    const plan = await t.plan();
    expect(plan.images.map((i) => [i.key, i.action, i.why])).toEqual([
      ['pipeline', 'build', ['source files changed: 1 changed (main.py)']],
      ['train', 'reuse', [expect.stringMatching(/^unchanged since build /)]],
    ]);
  });

  it('generated files survive an allow-list .dockerignore (ZenML issue 5030)', async () => {
    const t = await createTestStack({ config: PIPELINE, files: { 'main.py': 'x', '.dockerignore': '*\n!main.py\n' } });
    await t.build();
    const names = t.fakes.imageBuilder.builds[0]!.files.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Dockerfile', '.stowage_user_requirements', 'stowage_code/main.py']));
    expect(names.filter((n) => n.endsWith('stowage.yaml'))).toEqual([]);
  });

  it('a failed build records nothing and says which image failed', async () => {
    const builder = new FakeImageBuilder();
    const t = await createTestStack({ config: PIPELINE, overrides: { imageBuilder: builder } });
    const plan = await t.plan();
    builder.failing.add(plan.images[1]!.imageName);
    await expect(t.build()).rejects.toMatchObject({ code: 'BUILD_FAILED', message: expect.stringContaining(plan.images[1]!.imageName) });
    expect(records(t.root)).toEqual([]);
  });

  it('cancelling records nothing', async () => {
    const t = await createTestStack({ config: PIPELINE });
    const controller = new AbortController();
    controller.abort();
    await expect(t.build({ signal: controller.signal })).rejects.toMatchObject({ code: 'BUILD_CANCELLED' });
    expect(records(t.root)).toEqual([]);
  });

  it('builds at most --jobs images at once, and a Dockerfile image before the image on top of it', async () => {
    class SlowBuilder extends FakeImageBuilder {
      running = 0;
      peak = 0;
      order: string[] = [];
      override async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
        this.running++;
        this.peak = Math.max(this.peak, this.running);
        this.order.push(request.imageName);
        await new Promise((r) => setTimeout(r, 20));
        this.running--;
        return super.build(request);
      }
    }
    const builder = new SlowBuilder();
    const steps = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((s) => [s, { settings: { docker: { environment: { STEP: s } } } }]));
    const t = await createTestStack({ config: { ...PIPELINE, steps }, overrides: { imageBuilder: builder } });
    await t.build({ jobs: 2 });
    expect(builder.peak).toBe(2);
    // The five steps' images and the pipeline image (always planned).
    expect(builder.builds).toHaveLength(6);

    const custom = new SlowBuilder();
    const t2 = await createTestStack({
      config: { pipeline: { name: 'p' }, settings: { docker: { dockerfile: 'Dockerfile', requirements: ['x'] } } },
      files: { Dockerfile: 'FROM python:3.11-slim\n' },
      overrides: { imageBuilder: custom },
    });
    await t2.build();
    expect(custom.order.map((n) => n.replace(/[0-9a-f]{12}/, 'H'))).toEqual(['stowage:p-H-intermediate', 'stowage:p-H']);
    expect(custom.builds[1]!.dockerfile.split('\n')[0]).toBe(`FROM ${custom.order[0]}`);
  });

  it('with a registry: pushes, records name@digest, and verifies existence before reusing', async () => {
    const config = { ...PIPELINE, stacks: { reg: { image_builder: { flavor: 'fake' }, container_registry: { flavor: 'fake', uri: 'registry.test:5000' } } }, active_stack: 'reg' };
    const t = await createTestStack({ config });
    const { result } = await t.build();
    const image = result.build.images[0]!;
    expect(image.imageReference).toBe(`${image.imageName.split(':').slice(0, -1).join(':')}@${image.digest}`);
    expect([...t.fakes.imageBuilder.pushes].sort()).toEqual(result.build.images.map((i) => i.imageName).sort());
    expect(t.fakes.containerRegistry.pushed.get(image.imageName)).toBe(image.digest);
    expect(result.build.isLocal).toBe(false);
    t.fakes.containerRegistry.pushed.clear(); // the images were deleted from the registry
    const plan = await t.plan();
    expect(plan.images.map((i) => i.action)).toEqual(['build', 'build']);
    expect(plan.images[0]!.why[0]).toMatch(/no longer exists/);
  });

  it('a remote builder needs the registry and artifact store it declares as deps, before any work', async () => {
    const t = createTestStack({ config: { ...PIPELINE, stacks: { r: { image_builder: { flavor: 'fake-remote' } } }, active_stack: 'r' } });
    await expect(t).rejects.toMatchObject({
      code: 'STACK_INVALID',
      message: `stack "r": image_builder 'fake-remote' needs a container_registry (its "registry"), but the stack has none`,
      details: [`stack "r": image_builder 'fake-remote' needs an artifact_store (its "store"), but the stack has none`],
      file: 'stowage.yaml',
      keyPath: 'stacks.r.image_builder.flavor',
      line: expect.any(Number),
    });
  });

  it('stack requirements of the components are installed (and force a build only then)', async () => {
    const config = { ...PIPELINE, stacks: { r: { image_builder: { flavor: 'fake-remote' }, container_registry: { flavor: 'fake', uri: 'r.test' }, artifact_store: { flavor: 'fake' } } }, active_stack: 'r' };
    const t = await createTestStack({ config });
    const plan = await t.plan();
    expect(plan.images[0]!.requirementFiles.map((f) => [f.name, f.content])).toEqual([
      ['.stowage_stack_requirements', 'fake-remote-sdk>=1\n'],
      ['.stowage_user_requirements', 'pandas==2.2.0\n'],
    ]);
    expect(dockerfiles(plan.images[0]!)[0]).toContain("'ca-certificates'");
  });

  it('--build: a given build is planned and verified, and build then returns it as-is', async () => {
    const t = await createTestStack({ config: PIPELINE });
    const { result } = await t.build();
    const given = { reference: result.build.id.slice(0, 8), baseDir: t.root };
    const plan = await t.plan({ givenBuild: given });
    expect(plan.outcome).toMatchObject({ kind: 'given-build', buildId: result.build.id, from: 'store', save: false });
    expect(plan.images).toEqual([]);
    const messages = plan.warnings.map((w) => w.message);
    expect(messages).toContainEqual(expect.stringMatching(/images contain code/));
    expect(messages).toContainEqual(expect.stringMatching(/without a registry/));
    expect(messages).not.toContainEqual(expect.stringMatching(/checksum differs/));
    const again = await t.stowage.build(plan);
    expect([again.created, again.build.id]).toEqual([false, result.build.id]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.root, 'drifted.json'), JSON.stringify({ ...result.build, id: 'drifted', checksum: 'sha256:other' }));
    const drifted = await t.plan({ givenBuild: { reference: 'drifted.json', baseDir: t.root } });
    expect(drifted.outcome).toMatchObject({ kind: 'given-build', from: 'file', save: true });
    expect(drifted.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/checksum differs/));
    writeFileSync(join(t.root, 'missing.json'), JSON.stringify({ ...result.build, id: 'missing', images: result.build.images.filter((i) => i.key !== 'train') }));
    await expect(t.plan({ givenBuild: { reference: 'missing.json', baseDir: t.root } })).rejects.toThrow(/missing an image for step "train"/);
    await expect(t.plan({ givenBuild: { reference: 'no-such-build', baseDir: t.root } })).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND', exitCode: 2 });
  });
});

describe('code from the artifact store', () => {
  it('uploads the code archive once, named by its digest, and records it; changed code gives a new record', async () => {
    const config = {
      ...PIPELINE,
      stacks: { r: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 'fake-remote' } } },
      active_stack: 'r',
    };
    const t = await createTestStack({ config, files: { 'main.py': 'print(1)\n' } });
    const plan = await t.plan();
    expect(plan.images.every((i) => i.code.strategy === 'artifact-store')).toBe(true);
    expect(dockerfiles(plan.images[0]!)[0]).not.toContain('COPY . .');
    const first = await t.build();
    const keys = [...t.fakes.artifactStore.objects.keys()];
    expect(keys).toEqual([expect.stringMatching(/^code_uploads\/[0-9a-f]{64}\.tar\.gz$/)]);
    expect(first.result.build.codeArchive?.url).toBe(`memory://artifacts/${keys[0]}`);
    // Same code: nothing uploaded again, same build.
    const again = await t.build();
    expect([again.result.created, t.fakes.artifactStore.objects.size]).toEqual([false, 1]);
    // Changed code: images are reused (code is not in them), a new archive and a new record.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.root, 'main.py'), 'print(2)\n');
    const changed = await t.build();
    expect(changed.plan.images.map((i) => i.action)).toEqual(['reuse', 'reuse']);
    expect(changed.result.created).toBe(true);
    expect(t.fakes.artifactStore.objects.size).toBe(2);
    expect(changed.result.build.codeArchive?.digest).not.toBe(first.result.build.codeArchive?.digest);
    expect(t.fakes.imageBuilder.builds).toHaveLength(2);
  });
});

describe('records', () => {
  it('a pipeline that needs no image built records once, then returns that record', async () => {
    const t = await createTestStack({
      config: { pipeline: { name: 'p' }, settings: { docker: { parent_image: 'team/base:1', skip_build: true } }, steps: { a: {} } },
    });
    const first = await t.build();
    const second = await t.build();
    expect([first.result.created, second.result.created, second.result.build.id]).toEqual([true, false, first.result.build.id]);
    expect(first.result.build.images.map((i) => [i.action, i.imageReference])).toEqual([['skip-build', 'team/base:1']]);
    expect(records(t.root)).toHaveLength(1);
  });
});

describe('state folder', () => {
  it('is left out of the code even when the source root is above the config folder, so builds are reused', async () => {
    const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const top = mkdtempSync(join(tmpdir(), 'stowage-nested-'));
    writeFileSync(join(top, 'train.py'), 'print(1)\n');
    mkdirSync(join(top, 'deploy'));
    const t = await createTestStack({ root: join(top, 'deploy'), config: { ...PIPELINE, pipeline: { name: 'n', source_root: '..' } } });
    const first = await t.build();
    expect(t.fakes.imageBuilder.builds[0]!.files.map((f) => f.name)).not.toContain('deploy/.stowage/');
    const second = await t.build();
    expect([first.result.created, second.result.created]).toEqual([true, false]);
  });
});
