import { describe, expect, it } from 'vitest';
import { planInputs } from '../../test/planInputs.js';
import { digestOf } from '../model/checksum.js';
import { settingsKey } from './planBuild.js';

describe('settingsKey', () => {
  const settingsOf = (requirements: string[]) => planInputs({ steps: {}, pipeline: { requirements } }).pipelineSettings.settings;

  it('is the digest of the resolved settings, the same when asked again', () => {
    const settings = settingsOf(['pandas']);
    expect(settingsKey(settings)).toBe(digestOf(settings));
    expect(settingsKey(settings)).toBe(digestOf(settings));
  });

  it('is equal for equal settings in distinct objects and differs for different settings', () => {
    expect(settingsKey(settingsOf(['pandas']))).toBe(settingsKey(settingsOf(['pandas'])));
    expect(settingsKey(settingsOf(['pandas']))).not.toBe(settingsKey(settingsOf(['numpy'])));
  });
});
