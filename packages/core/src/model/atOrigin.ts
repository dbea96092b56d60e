import { StowageError } from '@stowage/plugin-api';
import { locationOf, type FieldOrigin } from './origin.js';

/** Runs a check; an error it raises without a location gets the origin's file, line and key path. */
export function atOrigin<T>(origin: FieldOrigin | undefined, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw withOrigin(error, origin);
  }
}

/** The error, located at `origin` unless it already names a file. */
export function withOrigin(error: unknown, origin: FieldOrigin | undefined): unknown {
  if (!origin || !StowageError.isInstance(error) || error.file) return error;
  const { file, line, keyPath } = locationOf(origin);
  return new StowageError(error.message, { ...error, code: error.code, cause: error.cause, details: error.details, file, line, keyPath: keyPath || error.keyPath });
}
