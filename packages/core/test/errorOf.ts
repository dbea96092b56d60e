import { StowageError } from '@stowage/plugin-api';

/** The StowageError `fn` throws; anything else (or nothing thrown) fails the test. */
export function errorOf(fn: () => unknown): StowageError {
  try {
    fn();
  } catch (error) {
    if (StowageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a StowageError');
}
