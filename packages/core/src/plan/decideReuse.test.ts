import type { ImagePresence } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { planInputs, previousOf, type InputsOptions } from '../../test/planInputs.js';
import type { PlanInputs, PreviousImage } from '../model/plan.js';
import { decideReuse } from './decideReuse.js';
import { planImageDrafts } from './planBuild.js';

const REFERENCE = `stowage@sha256:${'b'.repeat(64)}`;

/** The pipeline image's draft, and inputs whose build store holds `previous` (built from that very draft unless overridden). */
function setup(o: InputsOptions, previous: (draft: ReturnType<typeof planImageDrafts>[0]) => PreviousImage[]) {
  const base = planInputs({ steps: {}, ...o });
  const draft = planImageDrafts(base)[0]!;
  const inputs: PlanInputs = { ...base, previousImages: previous(draft) };
  return { draft, inputs };
}

const decide = (presence: ImagePresence | undefined) => {
  const { draft, inputs } = setup({}, (d) => [previousOf(d, { imageReference: REFERENCE })]);
  return decideReuse({ ...inputs, presence: presence ? { [REFERENCE]: presence } : {} }, draft);
};

describe('decideReuse: an image with the same checksum on the same stack, if it still exists', () => {
  const unchecked = `could not check that the image of build b-1 (${REFERENCE}) still exists; building it again`;
  it.each<[string, ImagePresence | undefined, 'reuse' | 'build', unknown[]]>([
    ['present', 'present', 'reuse', ['unchanged since build b-1']],
    ['absent', 'absent', 'build', [`the image of build b-1 (${REFERENCE}) no longer exists`]],
    // plan and build decide alike, so the plan shows what the build then does.
    ['unknown: rebuilt, saying why', 'unknown', 'build', [unchecked]],
    ['never asked counts as unknown', undefined, 'build', [unchecked]],
  ])('%s', (_name, presence, action, why) => {
    const d = decide(presence);
    expect(d.action).toBe(action);
    expect(d.why).toEqual(why);
    if (action === 'reuse') {
      expect(d.reuse).toEqual({ buildId: 'b-1', imageReference: REFERENCE });
      expect(d.imageName).toBe(REFERENCE);
    } else {
      expect(d.reuse).toBeUndefined();
    }
  });

  it('the newest usable match wins: a newer absent one is skipped for an older present one', () => {
    const older = `stowage@sha256:${'1'.repeat(64)}`;
    const newer = `stowage@sha256:${'2'.repeat(64)}`;
    const { draft, inputs } = setup({}, (d) => [
      previousOf(d, { buildId: 'b-old', created: '2026-01-01T00:00:00.000Z', imageReference: older }),
      previousOf(d, { buildId: 'b-new', created: '2026-02-01T00:00:00.000Z', imageReference: newer }),
    ]);
    const present = decideReuse({ ...inputs, presence: { [older]: 'present', [newer]: 'absent' } }, draft);
    expect(present.reuse).toEqual({ buildId: 'b-old', imageReference: older });
    const both = decideReuse({ ...inputs, presence: { [older]: 'present', [newer]: 'present' } }, draft);
    expect(both.reuse).toEqual({ buildId: 'b-new', imageReference: newer });
  });

  it('a record of a reuse (named by reference only) neither hides nor fakes a new name: the records of that reference tell', () => {
    const reference = `reg.example.com/team/stowage@sha256:${'c'.repeat(64)}`;
    const records = (d: ReturnType<typeof planImageDrafts>[0], builtName: string) => [
      previousOf(d, { buildId: 'b-built', created: '2026-01-01T00:00:00.000Z', imageName: builtName, imageReference: reference }),
      previousOf(d, { buildId: 'b-reused', created: '2026-02-01T00:00:00.000Z', imageName: reference, imageReference: reference }),
    ];
    const same = setup({}, (d) => records(d, d.imageName));
    expect(decideReuse({ ...same.inputs, presence: { [reference]: 'present' } }, same.draft).reuse).toEqual({ buildId: 'b-reused', imageReference: reference });
    const renamed = setup({}, (d) => records(d, 'reg.example.com/team/stowage:old-name'));
    expect(decideReuse({ ...renamed.inputs, presence: { [reference]: 'present' } }, renamed.draft).reuse).toEqual({ buildId: 'b-reused', imageReference: reference, retag: true });
  });

  it('no match: says what changed since the last build of that image on this stack', () => {
    const { draft, inputs } = setup({ pipeline: { requirements: ['pandas==2'] } }, (d) => [
      previousOf(d, { checksum: 'sha256:older', checksumInputs: { ...d.checksumInputs, requirements: {} } }),
    ]);
    expect(decideReuse(inputs, draft)).toMatchObject({ action: 'build', why: ['requirements .stowage_user_requirements added: pandas==2'] });
    expect(decideReuse({ ...inputs, previousImages: [] }, draft).why).toEqual(['no earlier build of this image on this stack']);
  });

  it('images that are not built are left as they are', () => {
    const { draft, inputs } = setup({ pipeline: { parent_image: 'team/base:1', skip_build: true } }, () => []);
    expect(decideReuse(inputs, draft)).toBe(draft);
  });
});
