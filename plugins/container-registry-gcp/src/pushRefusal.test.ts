import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { pushRefusal, repositoryToCreate } from './pushRefusal.js';
import { locateRegistry, type RegistryLocation } from './registryLocation.js';

const at = (config: Record<string, string>): RegistryLocation => locateRegistry(config).location!;
const notFound = new StowageError('could not mount the blob sha256:e3b0 from a/b into a/b: https://eu.gcr.io answered HTTP 404 (NAME_UNKNOWN: Repository "eu.gcr.io" not found)', { code: 'REGISTRY_FAILED' });

describe('the repository a push needs, and the command that creates it', () => {
  it.each([
    [{ uri: 'europe-west1-docker.pkg.dev/my-project/images' }, 'my-project/images/stowage', 'images in project my-project', 'gcloud artifacts repositories create images --repository-format=docker --location=europe-west1 --project=my-project'],
    [{ uri: 'us-docker.pkg.dev/example.com/my-project/images' }, 'example.com/my-project/images/app', 'images in project example.com:my-project', 'gcloud artifacts repositories create images --repository-format=docker --location=us --project=example.com:my-project'],
    // Container Registry hosts are served by Artifact Registry repositories named after them.
    [{ uri: 'gcr.io/my-project' }, 'my-project/stowage', 'gcr.io in project my-project', 'gcloud artifacts repositories create gcr.io --repository-format=docker --location=us --project=my-project'],
    [{ uri: 'eu.gcr.io/my-project' }, 'my-project/stowage', 'eu.gcr.io in project my-project', 'gcloud artifacts repositories create eu.gcr.io --repository-format=docker --location=europe --project=my-project'],
  ])('%j, %s', (config, repository, name, command) => {
    expect(repositoryToCreate(at(config), repository)).toEqual({ name, command });
  });

  it('cannot name a command for a registry_host uri of unknown layout', () => {
    expect(repositoryToCreate(at({ registry_host: '127.0.0.1:5000', uri: '127.0.0.1:5000/team' }), 'team/app')).toBeUndefined();
  });

  it('turns a NAME_UNKNOWN into what to do, keeping the registry’s words', () => {
    const error = pushRefusal(notFound, at({ uri: 'eu.gcr.io/my-project' }), 'my-project/stowage');
    expect(error.message).toBe('eu.gcr.io has no repository for eu.gcr.io/my-project/stowage (Artifact Registry repository eu.gcr.io in project my-project): https://eu.gcr.io answered HTTP 404 (NAME_UNKNOWN: Repository "eu.gcr.io" not found)');
    expect(error.hint).toContain('`gcloud artifacts repositories create eu.gcr.io --repository-format=docker --location=europe --project=my-project`');
    expect(error.cause).toBe(notFound);
  });

  it('keeps other failures’ reason and hint', () => {
    const unreachable = new StowageError('could not mount the blob sha256:e3b0 from a/b into a/b: could not reach https://eu.gcr.io: ECONNREFUSED', { code: 'REGISTRY_FAILED' });
    const error = pushRefusal(unreachable, at({ uri: 'eu.gcr.io/my-project' }), 'my-project/stowage');
    expect(error.message).toBe('could not check that eu.gcr.io/my-project/stowage takes pushes: could not reach https://eu.gcr.io: ECONNREFUSED');
    expect(error.hint).toBe('check that the registry is reachable from here');
  });
});
