import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../model/plan.js';
import { BuildImageSchema } from '../model/PipelineBuild.js';
import { ImageTimings } from './imageTimings.js';

const step = (image: string, kind = 'docker-build') => ({ kind, image }) as unknown as PlanStep;

describe('ImageTimings', () => {
  it('times each image from its first step start to its last step end, passing every event on', () => {
    let clock = 1000;
    const seen: string[] = [];
    const timings = new ImageTimings(() => clock);
    const follow = timings.follow((e) => seen.push(e.type));
    follow({ type: 'step-start', step: step('a') });
    clock += 2500;
    follow({ type: 'step-done', step: step('a') });
    follow({ type: 'step-start', step: step('a', 'push') });
    follow({ type: 'image-event', key: 'a', event: { type: 'log', line: 'x' } });
    clock += 1240;
    follow({ type: 'step-done', step: step('a', 'push') });
    follow({ type: 'step-start', step: step('b') });
    expect(timings.seconds()).toEqual(new Map([['a', 3.7]]));
    expect(seen).toEqual(['step-start', 'step-done', 'step-start', 'image-event', 'step-done', 'step-start']);
  });

  it('records written before durations and sizes were recorded still read', () => {
    const old = {
      key: 'p', steps: [], action: 'built', imageName: 'n', imageReference: 'n', checksum: 'c',
      checksumInputs: { settings: {}, dockerfile: 'd', requirements: {}, parentImage: 'p', builder: 'local', buildOptions: '{}' },
      dockerfiles: [], requirements: [], containsCode: false, codeStrategy: 'none',
    };
    expect(BuildImageSchema.parse(old).durationSeconds).toBeUndefined();
    expect(BuildImageSchema.parse({ ...old, durationSeconds: 3.7, sizeBytes: 45_000_000 })).toMatchObject({ durationSeconds: 3.7, sizeBytes: 45_000_000 });
    expect(() => BuildImageSchema.parse({ ...old, sizeBytes: -1 })).toThrow();
  });
});
