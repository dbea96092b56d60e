import { toStowageError, type ContainerRegistry, type DependencyHandle, type RegistryAuth, type RegistryAuthScope } from '@stowage/plugin-api';

/**
 * The stack registry's credentials for one scope. Asked right before each use: tokens (ECR, GCP)
 * may expire during a long build, so a push never reuses the build's answer.
 */
export async function askRegistryAuth(registry: DependencyHandle<ContainerRegistry>, scope: RegistryAuthScope): Promise<RegistryAuth> {
  try {
    return await (await registry.get()).auth(scope);
  } catch (error) {
    throw toStowageError(error, {
      code: 'REGISTRY_FAILED',
      message: `asking the container registry (${registry.flavor}) for ${scope.actions.join('/')} credentials for ${scope.repository} failed`,
    });
  }
}
