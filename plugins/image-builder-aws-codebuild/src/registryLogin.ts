import { StowageError, type ImageRef, type RegistryAuth } from '@stowage/plugin-api';
import type { BuildVariable } from './buildVariables.js';
import { shellWord } from './dockerBuildCommand.js';

export const USERNAME_VARIABLE = 'STOWAGE_REGISTRY_USERNAME';
export const PASSWORD_VARIABLE = 'STOWAGE_REGISTRY_PASSWORD';

export interface RegistryLogin {
  commands: string[];
  /** Credentials travel as variables, never in the buildspec text (which CodeBuild records). */
  variables: BuildVariable[];
}

/** No `docker login`: an anonymous registry, or no push. */
export const NO_LOGIN: RegistryLogin = { commands: [], variables: [] };

const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** The region of an ECR registry host, or undefined for another registry. */
export function ecrRegion(registry: string): string | undefined {
  return ECR_HOST.exec(registry)?.[1];
}

/** What `docker login` names: Docker Hub is the CLI's default server. */
const loginServer = (ref: ImageRef) => (ref.registry === 'docker.io' ? '' : ` ${shellWord(ref.registry)}`);

/** ECR through the CodeBuild project's service role: the AWS CLI in the build image gets the password. */
export function implicitEcrLogin(ref: ImageRef, region: string): RegistryLogin {
  return {
    commands: [`echo Logging in to ECR ${ref.registry}`, `aws ecr get-login-password --region ${shellWord(region)} | docker login --username AWS --password-stdin${loginServer(ref)}`],
    variables: [],
  };
}

/** `docker login` with the user and password the build reads from its two variables. */
function variableLogin(ref: ImageRef, username: BuildVariable, password: BuildVariable): RegistryLogin {
  return {
    commands: [
      `echo Logging in to container registry ${ref.registry}`,
      `printf '%s' "$${PASSWORD_VARIABLE}" | docker login --username "$${USERNAME_VARIABLE}" --password-stdin${loginServer(ref)}`,
    ],
    variables: [username, password],
  };
}

/** The user and password of a Secrets Manager secret `{"username", "password"}`, read by CodeBuild. */
export function secretsManagerLogin(ref: ImageRef, secretId: string): RegistryLogin {
  return variableLogin(
    ref,
    { name: USERNAME_VARIABLE, value: `${secretId}:username`, type: 'SECRETS_MANAGER' },
    { name: PASSWORD_VARIABLE, value: `${secretId}:password`, type: 'SECRETS_MANAGER' },
  );
}

/** The user as PLAINTEXT (a name, not a secret) and the password from a SecureString parameter, read by CodeBuild. */
export function parameterStoreLogin(ref: ImageRef, username: string, passwordParameter: string): RegistryLogin {
  return variableLogin(ref, { name: USERNAME_VARIABLE, value: username, type: 'PLAINTEXT' }, { name: PASSWORD_VARIABLE, value: passwordParameter, type: 'PARAMETER_STORE' });
}

/** The user and password in a registry's answer to `auth()`; undefined when it needs none. */
export function basicCredentials(ref: ImageRef, auth: RegistryAuth): { username: string; password: string } | undefined {
  if (auth.type === 'anonymous' || auth.type === 'ambient') return undefined;
  if (auth.type === 'bearer') {
    throw new StowageError(`the registry ${ref.registry} answers with a bearer token, which \`docker login\` in a CodeBuild build cannot use`, {
      code: 'CAPABILITY_MISSING',
      hint: 'use a registry that gives a user and password (basic auth), ECR with implicit_container_registry_auth, or set registry_credentials_secret',
    });
  }
  return { username: auth.username, password: auth.password };
}
