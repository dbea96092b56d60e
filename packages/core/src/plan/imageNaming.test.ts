import { describe, expect, it } from 'vitest';
import { defaultTag, imageName, sanitizeTag } from './imageNaming.js';

describe('sanitizeTag (ZenML sanitize_tag)', () => {
  it.each([
    ['my_pipeline-trainer', 'my_pipeline-trainer'],
    ['my pipeline/trainer!', 'mypipelinetrainer'],
    ['-leading', '_leading'],
    ['.leading', '_leading'],
    ['é-ü', '_'],
    ['a'.repeat(200), 'a'.repeat(128)],
  ])('%s → %s', (input, output) => expect(sanitizeTag(input)).toBe(output));

  it('an empty result is an error', () => expect(() => sanitizeTag('///')).toThrow(/cannot be empty/));
});

describe('image names', () => {
  const checksum = `sha256:${'0123456789ab'.repeat(5)}cdef`;
  it('tag: <pipeline>[-<step>]-<12 hex>, always within 128 characters', () => {
    expect(defaultTag({ pipelineName: 'training', checksum })).toBe('training-0123456789ab');
    expect(defaultTag({ pipelineName: 'training', stepName: 'fit', checksum })).toBe('training-fit-0123456789ab');
    const long = defaultTag({ pipelineName: 'p'.repeat(200), checksum, suffix: 'intermediate' });
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long.endsWith('-0123456789ab-intermediate')).toBe(true);
  });
  it('registry uri (trailing slash stripped) / repository : tag', () => {
    expect(imageName({ pipelineName: 'p', checksum, registry: { uri: 'gcr.io/proj/' } })).toBe('gcr.io/proj/stowage:p-0123456789ab');
  });
});
