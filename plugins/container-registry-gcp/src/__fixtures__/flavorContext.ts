import { StowageError, type FlavorContext } from '@stowage/plugin-api';

/** What `create()` gets from core; the secrets the registry registers land in `secrets`. */
export function flavorContext(secrets: string[] = []): FlavorContext {
  return {
    stackName: 'default',
    componentKey: 'container_registry',
    projectRoot: '/tmp',
    runner: { run: () => Promise.reject(new Error('the gcp registry runs no processes')) },
    env: {},
    secrets: { add: (value) => void secrets.push(value) },
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
