import { describe, expect, it } from 'vitest';
import type { ImageBuildRequest, ImageBuildResult } from '@stowage/plugin-api';
import { createTestStack, FakeImageBuilder } from '../src/index.js';

/** A builder that reports a size per image, as the local builder does from the engine's `Size`. */
class SizedImageBuilder extends FakeImageBuilder {
  override async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const result = await super.build(request);
    return request.imageName.includes('-train-') ? result : { ...result, sizeBytes: 123_456_789 };
  }
}

const PIPELINE = {
  pipeline: { name: 'sized', python_version: '3.11' },
  settings: { docker: { requirements: ['pandas==2.2.0'] } },
  steps: { load: {}, train: { settings: { docker: { apt_packages: ['git'] } } } },
};

describe('image size', () => {
  it('records the size the builder reported; leaves it out when the builder could not tell', async () => {
    const t = await createTestStack({ config: PIPELINE, overrides: { imageBuilder: new SizedImageBuilder() } });
    const { result } = await t.build();
    expect(Object.fromEntries(result.build.images.map((i) => [i.key, i.sizeBytes]))).toEqual({ pipeline: 123_456_789, train: undefined });
  });

  it('keeps the size through the push step', async () => {
    const stacks = { reg: { image_builder: { flavor: 'fake' }, container_registry: { flavor: 'fake', uri: 'registry.test:5000' } } };
    const t = await createTestStack({ config: { ...PIPELINE, stacks, active_stack: 'reg' }, overrides: { imageBuilder: new SizedImageBuilder() } });
    const { plan, result } = await t.build();
    expect(plan.images.every((i) => i.buildSteps.some((s) => s.kind === 'push'))).toBe(true);
    expect(result.build.images.map((i) => [i.key, i.sizeBytes, i.digest?.startsWith('sha256:')])).toEqual([
      ['pipeline', 123_456_789, true],
      ['train', undefined, true],
    ]);
  });
});
