import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { engineConnectionLost } from './engineConnectionLost.js';

const live = new AbortController().signal;
// What the local builder raised when its engine was killed mid-build (seen in the fault suite):
// a "Dockerfile step" failure whose cause is the dropped HTTP response.
const stepFailure = () =>
  new StowageError('building image app:1 failed at Step 3/9 : COPY stowage_code/ ./: aborted', {
    code: 'BUILD_FAILED',
    cause: Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
    details: ['Step 3/9 : COPY stowage_code/ ./'],
    hint: 'fix that Dockerfile step',
  });

describe('engineConnectionLost', () => {
  it('a build that failed because the connection dropped: "the engine connection was lost", what to do, not a Dockerfile step to fix', () => {
    const error = engineConnectionLost(stepFailure(), 'building image app:1', live) as StowageError;
    expect(error).toMatchObject({ code: 'ENGINE_UNAVAILABLE', exitCode: 1, message: 'the engine connection was lost while building image app:1 (ECONNRESET: aborted)', details: ['Step 3/9 : COPY stowage_code/ ./'] });
    expect(error.hint).toMatch(/check that it runs .*docker info.*the Dockerfile is not at fault/);
  });

  it.each([
    ['a refused reconnect', Object.assign(new Error('connect ECONNREFUSED /run/docker.sock'), { code: 'ECONNREFUSED' })],
    ['a socket hang-up', new Error('socket hang up')],
    ['a premature close', Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })],
    ['the engine unreachable mid-build', new StowageError('No Docker engine answers at unix:///x', { code: 'ENGINE_UNAVAILABLE' })],
  ])('%s is a lost connection too', (_, cause) => {
    expect(engineConnectionLost(cause, 'pushing app:1', live)).toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: expect.stringMatching(/^the engine connection was lost while pushing app:1/) });
  });

  it('a real step failure, and anything after a cancel, is left as it is', () => {
    const failed = new StowageError('building image app:1 failed at Step 2/3 : RUN false: returned a non-zero code: 1', { code: 'BUILD_FAILED' });
    expect(engineConnectionLost(failed, 'building image app:1', live)).toBe(failed);
    const dropped = stepFailure();
    expect(engineConnectionLost(dropped, 'building image app:1', AbortSignal.abort())).toBe(dropped);
  });
});
