import type { OpenedStack } from '@stowage/core';
import { parseImageReference, StowageError, type RegistryAuth } from '@stowage/plugin-api';
import { fail, type DoctorCheck } from './DoctorCheck.js';

/** A tag nobody pushes: asking for it proves the registry answers and takes the login, and writes nothing. */
const PROBE_TAG = 'stowage-doctor-probe';

/**
 * The stack's registry login: the component's own `auth()` (pull and push scope of the default
 * repository), then a manifest lookup through the component (pull only) that the registry answers
 * only with that login. Nothing is pushed.
 */
export async function checkRegistry(opened: OpenedStack): Promise<DoctorCheck> {
  const stack = opened.stack.name;
  const description = opened.stack.snapshot.containerRegistry;
  const handle = opened.components.containerRegistry;
  if (!description || !handle) return { check: 'registry', status: 'ok', stack, message: `${stack}: no container registry (images stay where they are built)` };
  const reference = `${description.uri}/${description.defaultRepository ?? 'stowage'}:${PROBE_TAG}`;
  try {
    const registry = await handle.get();
    const auth = await registry.auth({ repository: parseImageReference(reference).repository, actions: ['pull', 'push'] });
    if (auth.type === 'ambient') {
      return { check: 'registry', status: 'ok', stack, message: `${stack}: ${description.uri} logs in on its own (ambient login of the remote builder; not probed from here)` };
    }
    await registry.resolveDigest(reference);
    return { check: 'registry', status: 'ok', stack, message: `${stack}: ${description.uri} answers and accepts the login (${loginText(auth)})` };
  } catch (error) {
    const message = StowageError.isInstance(error) ? error.message : (error as Error).message;
    const hint = (StowageError.isInstance(error) && error.hint) || `check the stack's registry login (username/password, or \`docker login ${description.uri.split('/')[0]}\`) and that the registry is up`;
    return fail('registry', `${stack}: ${description.uri}: ${message}`, hint, stack);
  }
}

function loginText(auth: RegistryAuth): string {
  if (auth.type === 'basic') return `user ${auth.username}`;
  if (auth.type === 'bearer') return 'bearer token';
  return 'anonymous: no login configured or found in the Docker config';
}
