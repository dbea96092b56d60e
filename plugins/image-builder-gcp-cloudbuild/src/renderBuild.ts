import { type BuildOptions, type ImageRef, type RegistryAuth } from '@stowage/plugin-api';
import { dockerBuildArgs } from './dockerBuildArgs.js';

/** A build step as `createBuild` takes it. */
export interface CloudBuildStep {
  name: string;
  id: string;
  args: string[];
  entrypoint?: string;
  env?: string[];
}

/** The Build of one image (`google.devtools.cloudbuild.v1.Build`, the fields Stowage sets). */
export interface CloudBuildRequest {
  source: { storageSource: { bucket: string; object: string } };
  steps: CloudBuildStep[];
  images: string[];
  timeout: { seconds: number };
  logsBucket?: string;
}

export interface RenderInput {
  imageName: string;
  options: BuildOptions;
  push: boolean;
  source: { bucket: string; object: string };
  builderImage: string;
  network: string;
  timeoutSeconds: number;
  logsBucket?: string;
  /** A `docker login` step to run first (registries Cloud Build is not implicitly authorised for). */
  login?: CloudBuildStep;
}

/**
 * Cloud Build substitutes `$NAME` in step args and env itself (and refuses unknown names): every
 * `$` Stowage sends is written `$$`, which Cloud Build turns back into `$`.
 */
export const literal = (text: string) => text.replaceAll('$', () => '$$');

/**
 * The Build of one image, as ZenML's `GCPImageBuilder` makes it: the staged tar.gz as the storage
 * source; `docker build --network=<network> -t <image> …` and `docker push <image>` on the builder
 * image; `images: [image]` (so Cloud Build reports its digest); `timeout: <build_timeout>s`.
 */
export function renderBuild(input: RenderInput): CloudBuildRequest {
  const step = (id: string, args: string[]): CloudBuildStep => ({ name: input.builderImage, id, args: args.map(literal) });
  const steps = [
    ...(input.login ? [input.login] : []),
    step('build', dockerBuildArgs(input.imageName, input.network, input.options)),
    ...(input.push ? [step('push', ['push', input.imageName])] : []),
  ];
  return {
    source: { storageSource: input.source },
    steps,
    images: input.push ? [input.imageName] : [],
    timeout: { seconds: input.timeoutSeconds },
    ...(input.logsBucket ? { logsBucket: input.logsBucket } : {}),
  };
}

/** A word for `sh`: single-quoted unless it is plainly safe. */
const shellWord = (text: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);

/**
 * `docker login` with the registry component's user and password, read from the step's env by
 * the shell (`$$` so that Cloud Build leaves `$NAME` to it) and piped to `--password-stdin`: the
 * password is in no arg and no log line. Docker Hub is the CLI's default server.
 */
export function registryLoginStep(builderImage: string, ref: Pick<ImageRef, 'registry'>, auth: Extract<RegistryAuth, { type: 'basic' }>): CloudBuildStep {
  const server = ref.registry === 'docker.io' ? '' : ` ${shellWord(ref.registry)}`;
  return {
    name: builderImage,
    id: 'login',
    entrypoint: 'sh',
    args: ['-c', literal(`printf '%s' "$STOWAGE_REGISTRY_PASSWORD" | docker login --username "$STOWAGE_REGISTRY_USERNAME" --password-stdin${server}`)],
    env: [`STOWAGE_REGISTRY_USERNAME=${literal(auth.username)}`, `STOWAGE_REGISTRY_PASSWORD=${literal(auth.password)}`],
  };
}
