import { describe, expect, it } from 'vitest';
import { cloudBuildState, statusName } from './CloudBuildStatus.js';

describe('Cloud Build status enums', () => {
  it.each([
    [3, 'SUCCESS'],
    ['SUCCESS', 'SUCCESS'],
    [4, 'FAILURE'],
    [7, 'CANCELLED'],
    [6, 'TIMEOUT'],
    [10, 'PENDING'],
    [undefined, 'STATUS_UNKNOWN'],
    [42, 'UNKNOWN_42'],
  ])('%j is %s (numbers from operations, strings from getBuild)', (value, name) => {
    expect(statusName(value)).toBe(name);
  });

  it('names a build read from an operation (numbers) as one read with getBuild (strings)', () => {
    const fromOperation = cloudBuildState({ id: 'b', status: 4, failureInfo: { type: 5, detail: 'd' }, steps: [{ id: 'build', name: 'n', status: 4 }, { name: 'n', status: 1 }], results: { images: [{ name: 'i', digest: 'sha256:1' }] } });
    const fromGet = cloudBuildState({ id: 'b', status: 'FAILURE', failureInfo: { type: 'USER_BUILD_STEP', detail: 'd' }, steps: [{ id: 'build', name: 'n', status: 'FAILURE' }, { name: 'n', status: 'QUEUED' }], results: { images: [{ name: 'i', digest: 'sha256:1' }] } });
    expect(fromOperation).toEqual(fromGet);
    expect(fromGet).toEqual({ id: 'b', status: 'FAILURE', failureType: 'USER_BUILD_STEP', steps: [{ index: 0, id: 'build', name: 'n', status: 'FAILURE' }, { index: 1, name: 'n', status: 'QUEUED' }], images: [{ name: 'i', digest: 'sha256:1' }] });
  });
});
