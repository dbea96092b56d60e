import { StowageError, type FlavorContext } from '@stowage/plugin-api';

/**
 * What a component's `create()` gets from core, for tests of one plugin: the secrets it registers
 * land in `secrets`, and its runner fails (cloud components run no processes) naming `component`.
 */
export function testFlavorContext(componentKey: string, component: string, secrets: string[] = []): FlavorContext {
  return {
    stackName: 'default',
    componentKey,
    projectRoot: '/tmp',
    runner: { run: () => Promise.reject(new Error(`${component} runs no processes`)) },
    env: {},
    secrets: { add: (value) => void secrets.push(value) },
  };
}

/** The StowageError a promise rejects with (fails the test on anything else, including success). */
export async function failureOf(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}
