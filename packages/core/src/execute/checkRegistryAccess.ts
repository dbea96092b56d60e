import { StowageError, parseImageReference } from '@stowage/plugin-api';
import type { BuildPlan } from '../model/plan.js';
import type { StackComponents } from '../stack/openStack.js';

/** The image names the plan pushes (or tags in the registry), in plan order. */
export function pushedImages(plan: BuildPlan): string[] {
  return plan.images.flatMap((i) =>
    i.buildSteps.flatMap((s) => ((s.kind === 'push' || (s.kind === 'docker-build' && s.pushInBuild) || (s.kind === 'tag' && s.where === 'registry')) ? [s.imageName] : [])),
  );
}

/**
 * Before anything is built: when the plan pushes, asks the stack's registry component for the
 * digest of the first image it will push — the component knows its registry's address, scheme and
 * login (`auth()`, ECR tokens, Google tokens, `insecure` http). A registry that does not answer
 * (wrong host or port, down) or refuses the login fails now, instead of after a full build. An
 * answer — present, absent, or access denied for reading (a push-only login) — lets the build go on.
 */
export async function checkRegistryAccess(plan: BuildPlan, components: StackComponents, o: { signal?: AbortSignal }): Promise<void> {
  const first = pushedImages(plan)[0];
  if (!first || !components.containerRegistry) return;
  const registry = await components.containerRegistry.get();
  o.signal?.throwIfAborted();
  try {
    await registry.resolveDigest(first);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Reading refused to a login that may push (a push-only token): the push will tell.
    if (/HTTP 403\b|\bDENIED\b/.test(reason)) return;
    const registryHost = parseImageReference(first).registry;
    throw new StowageError(`cannot push to the registry ${registryHost}: ${reason}; nothing was built`, {
      code: 'REGISTRY_FAILED',
      cause: error,
      hint: StowageError.isInstance(error) && error.hint
        ? error.hint
        : /401|credentials|login|unauthori[sz]ed/i.test(reason)
          ? "check the registry login: the container registry's username and password (or `docker login` for it)"
          : "check the container registry's uri (host and port) and that the registry runs",
    });
  }
}
