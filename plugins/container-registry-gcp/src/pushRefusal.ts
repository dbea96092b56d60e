import { StowageError } from '@stowage/plugin-api';
import { artifactRepositoryOf, gcrRepositoryOf } from './googleRegistryUri.js';
import type { RegistryLocation } from './registryLocation.js';

/** What to check when the registry refuses the login (HTTP 401): the token, first of all. */
export const TOKEN_HINT =
  'Google did not accept the access token: `access_token` expires after about an hour (get a new one with `gcloud auth print-access-token`); with `service_account_key` or Application Default Credentials, check that the account is enabled';

/** The Artifact Registry repository an image repository needs, and the gcloud line that creates it. */
export function repositoryToCreate(location: RegistryLocation, dockerRepository: string): { name: string; command?: string } | undefined {
  if (location.kind === 'container-registry') {
    const served = gcrRepositoryOf(location.host)!;
    return { name: `${served.repository} in project ${location.project}`, command: createCommand(served.repository, served.location, location.project!) };
  }
  if (location.kind !== 'artifact-registry') return undefined;
  const target = artifactRepositoryOf(dockerRepository);
  if (!target) return undefined;
  return { name: `${target.repository} in project ${target.project}`, ...(location.location ? { command: createCommand(target.repository, location.location, target.project) } : {}) };
}

function createCommand(repository: string, location: string, project: string): string {
  return `gcloud artifacts repositories create ${repository} --repository-format=docker --location=${location} --project=${project}`;
}

/**
 * The push check's failure said in Google's terms: a missing repository (Artifact Registry does
 * not create repositories on push: HTTP 404 NAME_UNKNOWN), a refused token (401) or a missing
 * permission (403 DENIED). The reason is @stowage/oci's, which names no credential.
 */
export function pushRefusal(error: StowageError, location: RegistryLocation, dockerRepository: string): StowageError {
  const where = `${location.host}/${dockerRepository}`;
  const reason = error.message.replace(/^could not mount the blob \S+ from \S+ into \S+: /, '');
  if (/\bHTTP 401\b/.test(reason)) return refusal(`${location.host} refused the access token for ${where} (HTTP 401)`, TOKEN_HINT, error);
  const missing = repositoryToCreate(location, dockerRepository);
  const create = missing?.command ? `create it with \`${missing.command}\`` : 'create the repository first';
  if (/\bHTTP 403\b|\bDENIED\b/.test(reason)) {
    // Artifact Registry also answers 403 for a repository that does not exist ("or it may not exist").
    const writer = `grant the account Artifact Registry Writer (roles/artifactregistry.writer) on ${describeRepository(location, dockerRepository)}`;
    return refusal(`the credentials may not push to ${where}: ${reason}`, missing ? `${writer}; if the repository does not exist, ${create}` : writer, error);
  }
  if (/\bHTTP 404\b|\bNAME_UNKNOWN\b/.test(reason)) {
    return refusal(
      `${location.host} has no repository for ${where}${missing ? ` (Artifact Registry repository ${missing.name})` : ''}: ${reason}`,
      `Artifact Registry does not create repositories on push, and neither does Stowage: ${create}`,
      error,
    );
  }
  return refusal(`could not check that ${where} takes pushes: ${reason}`, error.hint ?? 'check that the registry is reachable from here', error);
}

function describeRepository(location: RegistryLocation, dockerRepository: string): string {
  const target = location.kind === 'artifact-registry' ? artifactRepositoryOf(dockerRepository) : undefined;
  if (target) return `the repository ${target.repository} of project ${target.project}`;
  if (location.kind === 'container-registry') return `the repository ${gcrRepositoryOf(location.host)!.repository} of project ${location.project}`;
  return location.project ? `project ${location.project}` : location.host;
}

function refusal(message: string, hint: string, cause: StowageError): StowageError {
  return new StowageError(message, { code: 'REGISTRY_FAILED', hint, cause });
}
