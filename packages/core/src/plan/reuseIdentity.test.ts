import { describe, expect, it } from 'vitest';
import { planInputs, previousOf } from '../../test/planInputs.js';
import type { PlanInputs } from '../model/plan.js';
import { decideReuse, reuseCandidateKey } from './decideReuse.js';
import { planImageDrafts } from './planBuild.js';
import { reuseCandidates } from './planNeeds.js';

const ID_A = `sha256:${'a'.repeat(64)}`;

/** Without a registry, two builds of a fixed `image_tag` from other settings share one name. */
function fixedTagInputs() {
  const base = planInputs({ steps: {}, pipeline: { image_tag: 'fixed' } });
  const draft = planImageDrafts(base)[0]!;
  const built = previousOf(draft, { buildId: 'b-a', imageId: ID_A, created: '2026-01-01T00:00:00.000Z' });
  const inputs: PlanInputs = { ...base, previousImages: [built] };
  return { draft, inputs, built };
}

describe('reuse without a registry checks the image id, not the name', () => {
  it('gather is asked about the recorded image id, under a key of its own', () => {
    const { inputs, built } = fixedTagInputs();
    expect(reuseCandidates(inputs)).toEqual([[{ key: `stowage:fixed (image ${ID_A})`, imageReference: 'stowage:fixed', imageId: ID_A }]]);
    expect(reuseCandidateKey(built)).toBe(`stowage:fixed (image ${ID_A})`);
  });

  // After reverting a change, "reuse" ran the image built from the other settings under the same tag.
  it('a name that now names another image is rebuilt, saying so', () => {
    const { draft, inputs, built } = fixedTagInputs();
    const d = decideReuse({ ...inputs, presence: { [reuseCandidateKey(built)]: 'absent', 'stowage:fixed': 'present' } }, draft);
    expect(d.action).toBe('build');
    expect(d.why).toEqual([`the image of build b-a (${ID_A}) is no longer what stowage:fixed names`]);
  });

  it('the same image is reused, and its id carried into the new record', () => {
    const { draft, inputs, built } = fixedTagInputs();
    const d = decideReuse({ ...inputs, presence: { [reuseCandidateKey(built)]: 'present' } }, draft);
    expect(d.action).toBe('reuse');
    expect(d.reuse).toEqual({ buildId: 'b-a', imageReference: 'stowage:fixed', imageId: ID_A });
  });

  it('records without an id are asked about by name, as before', () => {
    const { draft, inputs } = fixedTagInputs();
    const legacy = { ...inputs, previousImages: inputs.previousImages.map((p) => ({ ...p, imageId: undefined })) };
    expect(reuseCandidates(legacy)).toEqual([[{ key: 'stowage:fixed', imageReference: 'stowage:fixed', imageId: undefined }]]);
    expect(decideReuse({ ...legacy, presence: { 'stowage:fixed': 'present' } }, draft).action).toBe('reuse');
  });
});
