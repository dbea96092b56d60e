import { StowageError, type ImageRef, type RegistryAuth } from '@stowage/plugin-api';
import { shellWord } from './dockerBuildCommand.js';

/** A CodeBuild environment variable override (PLAINTEXT is all Stowage sends). */
export interface BuildVariable {
  name: string;
  value: string;
  type: 'PLAINTEXT';
}

export interface RegistryLogin {
  commands: string[];
  /** Credentials travel as variables, never in the buildspec text (which CodeBuild records). */
  variables: BuildVariable[];
}

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

/** A login with the registry component's answer to `auth()`; none when it needs none. */
export function explicitLogin(ref: ImageRef, auth: RegistryAuth): RegistryLogin {
  if (auth.type === 'anonymous' || auth.type === 'ambient') return { commands: [], variables: [] };
  if (auth.type === 'bearer') {
    throw new StowageError(`the registry ${ref.registry} answers with a bearer token, which \`docker login\` in a CodeBuild build cannot use`, {
      code: 'CAPABILITY_MISSING',
      hint: 'use a registry that gives a user and password (basic auth), or ECR with implicit_container_registry_auth',
    });
  }
  return {
    commands: [
      `echo Logging in to container registry ${ref.registry}`,
      `printf '%s' "$STOWAGE_REGISTRY_PASSWORD" | docker login --username "$STOWAGE_REGISTRY_USERNAME" --password-stdin${loginServer(ref)}`,
    ],
    variables: [
      { name: 'STOWAGE_REGISTRY_USERNAME', value: auth.username, type: 'PLAINTEXT' },
      { name: 'STOWAGE_REGISTRY_PASSWORD', value: auth.password, type: 'PLAINTEXT' },
    ],
  };
}
