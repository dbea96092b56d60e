import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStowage, definePipeline, planSteps, projectFromDefinition } from '@stowage/core';
import { FakeImageBuilder, testPlugin, TEST_PLUGIN_NAME } from '../src/index.js';

describe('the TS API (README: definePipeline + createStowage)', () => {
  it('plans and builds a pipeline defined in code through the same composition root as the CLI', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stowage-ts-api-'));
    writeFileSync(join(root, 'stowage.yaml'), 'stacks:\n  t: { image_builder: { flavor: fake } }\nactive_stack: t\n');
    writeFileSync(join(root, 'main.py'), 'print(1)\n');
    const training = definePipeline({
      name: 'training',
      pythonVersion: '3.11',
      settings: { docker: { parentImage: 'python:3.11-slim', requirements: ['pandas'] } },
      steps: { train: { settings: { docker: { aptPackages: ['git'] } } } },
    }).withOptions({ configPath: join(root, 'stowage.yaml'), settings: { docker: { environment: { A: '1' } } } });
    const builder = new FakeImageBuilder();
    const stowage = await createStowage({
      project: projectFromDefinition(training, { env: {} }),
      builtins: [{ packageName: TEST_PLUGIN_NAME, plugin: testPlugin({ imageBuilder: builder }) }],
    });
    const plan = await stowage.plan();
    // The pipeline image is always planned (a step a run config does not list runs in it).
    expect(plan.images.map((i) => [i.key, i.action])).toEqual([['pipeline', 'build'], ['train', 'build']]);
    const { build, created } = await stowage.build(plan);
    expect(created).toBe(true);
    expect(builder.builds.map((b) => b.imageName)).toEqual(planSteps(plan).flatMap((s) => (s.kind === 'docker-build' ? [s.imageName] : [])));
    expect(builder.builds[0]!.dockerfile).toContain('ENV A="1"');
    expect(build.images.map((i) => i.steps)).toEqual([[], ['train']]);
  });
});
