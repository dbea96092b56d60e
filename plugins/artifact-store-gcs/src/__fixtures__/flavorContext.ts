import { StowageError, type FlavorContext } from '@stowage/plugin-api';

/** What `create()` gets from core; the secrets the store registers land in `secrets`. */
export function flavorContext(secrets: string[] = []): FlavorContext {
  return {
    stackName: 'default',
    componentKey: 'artifact_store',
    projectRoot: '/tmp',
    runner: { run: () => Promise.reject(new Error('the gcs artifact store runs no processes')) },
    env: {},
    secrets: { add: (value) => secrets.push(value) },
  };
}

/** The StowageError a promise rejects with (fails the test on anything else). */
export async function failureOf(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}
