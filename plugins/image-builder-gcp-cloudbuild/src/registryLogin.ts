import { StowageError, type ImageRef, type RegistryAuth } from '@stowage/plugin-api';
import { literal, type CloudBuildStep, type SecretManagerSecret } from './CloudBuildRequest.js';

export const USERNAME_ENV = 'STOWAGE_REGISTRY_USERNAME';
export const PASSWORD_ENV = 'STOWAGE_REGISTRY_PASSWORD';

/** The login step and the Secret Manager versions Cloud Build reads for it (`availableSecrets`). */
export interface RegistryLogin {
  step: CloudBuildStep;
  secrets: SecretManagerSecret[];
}

/** A word for `sh`: single-quoted unless it is plainly safe. */
const shellWord = (text: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);

/**
 * `docker login` reading the user and password from the step's environment, expanded by the shell
 * (`$$` so that Cloud Build leaves `$NAME` to it), the password piped to `--password-stdin`: no
 * value is in an arg. Docker Hub is the CLI's default server. Never split on `:` (host:port).
 */
function loginStep(builderImage: string, ref: Pick<ImageRef, 'registry'>, env: string[], secretEnv: string[]): CloudBuildStep {
  const server = ref.registry === 'docker.io' ? '' : ` ${shellWord(ref.registry)}`;
  return {
    name: builderImage,
    id: 'login',
    entrypoint: 'sh',
    args: ['-c', literal(`printf '%s' "$${PASSWORD_ENV}" | docker login --username "$${USERNAME_ENV}" --password-stdin${server}`)],
    ...(env.length ? { env } : {}),
    secretEnv,
  };
}

/** The user and password both read by Cloud Build from Secret Manager versions the user keeps. */
export function secretManagerLogin(builderImage: string, ref: Pick<ImageRef, 'registry'>, usernameVersion: string, passwordVersion: string): RegistryLogin {
  return {
    step: loginStep(builderImage, ref, [], [USERNAME_ENV, PASSWORD_ENV]),
    secrets: [
      { versionName: literal(usernameVersion), env: USERNAME_ENV },
      { versionName: literal(passwordVersion), env: PASSWORD_ENV },
    ],
  };
}

/** The user in step env (a name, not a secret); the password read by Cloud Build from a secret version kept for this build only. */
export function temporarySecretLogin(builderImage: string, ref: Pick<ImageRef, 'registry'>, username: string, passwordVersion: string): RegistryLogin {
  return {
    step: loginStep(builderImage, ref, [`${USERNAME_ENV}=${literal(username)}`], [PASSWORD_ENV]),
    secrets: [{ versionName: literal(passwordVersion), env: PASSWORD_ENV }],
  };
}

/** The user and password in a registry's answer to `auth()`; undefined when it needs none. */
export function basicCredentials(ref: Pick<ImageRef, 'registry'>, auth: RegistryAuth): { username: string; password: string } | undefined {
  if (auth.type === 'anonymous' || auth.type === 'ambient') return undefined;
  if (auth.type === 'bearer') {
    throw new StowageError(`the registry ${ref.registry} answers with a bearer token, which \`docker login\` in a Cloud Build step cannot use`, {
      code: 'CAPABILITY_MISSING',
      hint: 'use a registry that gives a user and password (basic auth), a `gcp` container registry (Cloud Build pushes to it without a login), or keep a login in Secret Manager and set registry_username_secret and registry_password_secret',
    });
  }
  return { username: auth.username, password: auth.password };
}
