import { describe, expect, it } from 'vitest';
import { engineMessage } from './engineMessage.js';

// Shapes of docker-modem 5 errors, as the build and inspect calls reject with them.
function modemError(message: string, json: unknown): Error {
  return Object.assign(new Error(message), { statusCode: 400, json });
}

describe('engineMessage', () => {
  it.each([
    [modemError('(HTTP code 400) unexpected - dockerfile parse error line 1: unknown instruction: FROMM ', null), 'dockerfile parse error line 1: unknown instruction: FROMM'],
    [modemError('(HTTP code 500) server error - Cannot locate specified Dockerfile: Dockerfile ', null), 'Cannot locate specified Dockerfile: Dockerfile'],
    [modemError('(HTTP code 404) no such image - No such image: x:1 ', { message: 'No such image: x:1' }), 'No such image: x:1'],
    [new Error('socket hang up'), 'socket hang up'],
    ['plain text', 'plain text'],
  ])('%#', (error, text) => {
    expect(engineMessage(error)).toBe(text);
  });
});
