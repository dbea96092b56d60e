import type { BuildOptions } from '@stowage/plugin-api';
import { literal, type CloudBuildRequest, type CloudBuildStep } from './CloudBuildRequest.js';
import { dockerBuildArgs } from './dockerBuildArgs.js';
import type { RegistryLogin } from './registryLogin.js';

export interface RenderInput {
  imageName: string;
  options: BuildOptions;
  push: boolean;
  source: { bucket: string; object: string };
  builderImage: string;
  network: string;
  timeoutSeconds: number;
  logsBucket?: string;
  /** A `docker login` step to run first, and the Secret Manager versions it reads (registries Cloud Build is not implicitly authorised for). */
  login?: RegistryLogin;
}

/**
 * The Build of one image, as ZenML's `GCPImageBuilder` makes it: the staged tar.gz as the storage
 * source; `docker build --network=<network> -t <image> …` and `docker push <image>` on the builder
 * image; `images: [image]` (so Cloud Build reports its digest); `timeout: <build_timeout>s`. A
 * login's secrets are `availableSecrets`, which Cloud Build reads from Secret Manager itself.
 */
export function renderBuild(input: RenderInput): CloudBuildRequest {
  const step = (id: string, args: string[]): CloudBuildStep => ({ name: input.builderImage, id, args: args.map(literal) });
  const steps = [
    ...(input.login ? [input.login.step] : []),
    step('build', dockerBuildArgs(input.imageName, input.network, input.options)),
    ...(input.push ? [step('push', ['push', input.imageName])] : []),
  ];
  return {
    source: { storageSource: input.source },
    steps,
    images: input.push ? [input.imageName] : [],
    timeout: { seconds: input.timeoutSeconds },
    ...(input.logsBucket ? { logsBucket: input.logsBucket } : {}),
    ...(input.login?.secrets.length ? { availableSecrets: { secretManager: input.login.secrets } } : {}),
  };
}
