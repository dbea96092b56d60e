import { parseImageReference, StowageError, type ArtifactStore } from '@stowage/plugin-api';
import { codeArchiveKey } from '../model/artifactKeys.js';
import { codeEnvironment } from '../plan/launchSpecs.js';
import { CODE_ENV } from '../bootstrap/stowageBootstrap.js';
import type { LaunchSpec, PipelineBuild } from '../model/PipelineBuild.js';

export interface LaunchRequest {
  build: PipelineBuild;
  step: string;
  /** Appended to the step's command (or replacing the image's own when it has none). */
  args: readonly string[];
  /** `docker run --network`, e.g. `host` to reach services on this machine's loopback. */
  network?: string;
  /** The launcher's environment: secret variables are passed from it by name. */
  env: Readonly<Record<string, string | undefined>>;
  /** The stack's artifact store, for a fresh presigned URL of the code archive. */
  store?: ArtifactStore;
  /** How long a presigned code URL lives. */
  urlSeconds?: number;
}

/** A `docker run` command line and the environment to start it with (values never on the command line). */
export interface LaunchCommand {
  argv: string[];
  env: Record<string, string>;
  /** Secret values it carries (a presigned URL): the caller redacts them. */
  secrets: string[];
  /** Names of the variables whose values are secret (the token, a presigned URL). */
  secretNames: string[];
}

/**
 * Turns a recorded launch spec into `docker run`: the bootstrap's variables (a fresh presigned
 * URL for an artifact-store archive), and each secret variable passed by name from the
 * launcher's environment — a missing one is an error naming it.
 */
export async function launchCommand(r: LaunchRequest): Promise<LaunchCommand> {
  const spec = specOf(r.build, r.step);
  // A build file is data from elsewhere: only what the spec's code section implies is used, and
  // the image must be an image reference (never a `docker run` option).
  const image = parseImageReference(spec.image) && spec.image;
  const values: Record<string, string> = spec.code ? codeEnvironment(spec.code) : {};
  const secrets: string[] = [];
  const secretNames: string[] = [];
  if (spec.code?.source === 'artifact-store') {
    values[CODE_ENV.url] = await presignedCodeUrl(spec.code, r);
    secrets.push(values[CODE_ENV.url]!);
    secretNames.push(CODE_ENV.url);
  }
  const tokenEnv = spec.code?.source === 'code-repository' ? spec.code.auth?.tokenEnv : undefined;
  if (tokenEnv) {
    values[tokenEnv] = tokenOf(tokenEnv, r);
    secretNames.push(tokenEnv);
  }
  const envFlags = Object.keys(values).sort().flatMap((name) => ['-e', name]);
  const network = r.network ? ['--network', r.network] : [];
  const argv = ['docker', 'run', '--rm', ...network, ...envFlags, image, ...(spec.command ?? []), ...r.args];
  return { argv, env: values, secrets, secretNames };
}

function tokenOf(name: string, r: LaunchRequest): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^(PATH|LD_|DOCKER_|NODE_)/.test(name)) {
    throw new StowageError(`the build names "${name}" as its token variable, which is not a plain variable name`, { code: 'BUILD_INVALID' });
  }
  const value = r.env[name];
  if (!value) throw new StowageError(`step ${r.step} needs the variable ${name} (its code download token), and it is not set`, { code: 'USAGE', hint: `export ${name}=… before running it` });
  return value;
}

function specOf(build: PipelineBuild, step: string): LaunchSpec {
  const spec = build.launch?.[step];
  if (spec) return spec;
  const steps = Object.keys(build.launch ?? {});
  throw new StowageError(`build ${build.id} has no step "${step}"`, {
    code: 'STEP_UNKNOWN',
    hint: steps.length ? `its steps: ${steps.join(', ')}` : 'the build records no launch specs: build again with this version of Stowage',
  });
}

async function presignedCodeUrl(code: Extract<NonNullable<LaunchSpec['code']>, { source: 'artifact-store' }>, r: LaunchRequest): Promise<string> {
  if (!r.store?.presign) {
    throw new StowageError(`step ${r.step} downloads its code from ${code.uri}, but the stack's artifact store cannot hand out URLs`, { code: 'STACK_INVALID', hint: 'run it on the stack the build was made on' });
  }
  if (!/^[0-9a-f]{64}$/.test(code.sha256) || code.key !== codeArchiveKey(`sha256:${code.sha256}`)) {
    throw new StowageError(`the build names ${code.key} as its code archive, which is not a code archive`, { code: 'BUILD_INVALID' });
  }
  const actual = r.store.locate(code.key).uri;
  if (actual !== code.uri) {
    throw new StowageError(`the build's code archive is ${code.uri}, but this stack's artifact store would read ${actual}`, { code: 'STACK_INVALID', hint: 'run it with --stack set to the stack the build was made on' });
  }
  return r.store.presign(code.key, r.urlSeconds ?? 3600);
}
