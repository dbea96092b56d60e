import { describe, expect, it } from 'vitest';
import { isSecretSchema } from '@stowage/plugin-api';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { GcsArtifactStoreConfigSchema } from './config.js';
import { objectNameOf, readGcsPath } from './gcsPath.js';
import { gcsArtifactStoreFlavor } from './plugin.js';

const issuesOf = (config: Record<string, unknown>) => {
  const result = GcsArtifactStoreConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('readGcsPath', () => {
  it.each([
    ['gs://acme-artifacts', { bucket: 'acme-artifacts', prefix: '', root: 'gs://acme-artifacts' }],
    ['gs://acme-artifacts/', { bucket: 'acme-artifacts', prefix: '', root: 'gs://acme-artifacts' }],
    ['gs://acme_artifacts/stowage', { bucket: 'acme_artifacts', prefix: 'stowage', root: 'gs://acme_artifacts/stowage' }],
    ['gs://artifacts.acme.example/team/ml-pipelines/', { bucket: 'artifacts.acme.example', prefix: 'team/ml-pipelines', root: 'gs://artifacts.acme.example/team/ml-pipelines' }],
  ])('%s', (path, location) => {
    expect(readGcsPath(path)).toEqual({ location });
  });

  it.each([
    ['acme/stowage', 'is not a gs:// path'],
    ['s3://acme/stowage', 'is not a gs:// path'],
    ['https://storage.googleapis.com/acme', 'is not a gs:// path'],
    ['gs://', 'is not a valid GCS bucket name'],
    ['gs://ab', 'is not a valid GCS bucket name'],
    ['gs://Acme', 'is not a valid GCS bucket name'],
    ['gs://-acme', 'is not a valid GCS bucket name'],
    ['gs://acme..artifacts', 'is not a valid GCS bucket name'],
    ['gs://192.168.1.10', 'is not a valid GCS bucket name'],
    [`gs://${'a'.repeat(64)}`, 'is not a valid GCS bucket name'],
    ['gs://google-artifacts', 'cannot start with "goog" or contain "google"'],
    ['gs://acme//stowage', 'has a bad part ""'],
    ['gs://acme/a/../b', 'has a bad part ".."'],
    ['gs://acme/with space', 'has a bad part "with space"'],
  ])('%s is refused: %s', (path, problem) => {
    const read = readGcsPath(path);
    expect('problem' in read && read.problem).toContain(problem);
  });

  it('puts keys below the folder, and refuses keys that could leave it', () => {
    const location = { bucket: 'acme', prefix: 'stowage', root: 'gs://acme/stowage' };
    expect(objectNameOf(location, 'code_uploads/a.tar')).toBe('stowage/code_uploads/a.tar');
    expect(objectNameOf({ ...location, prefix: '' }, 'a.tar')).toBe('a.tar');
    for (const key of ['', '..', '../a', 'a/../../b', '/a', 'a//b', 'a/', './a', 'a\\b', 'a\nb']) expect(() => objectNameOf(location, key), key).toThrow(/is not a key/);
  });
});

describe('GcsArtifactStoreConfigSchema', () => {
  const key = makeTestServiceAccount().keyJson;

  it('needs only a path; credentials default to Application Default Credentials', () => {
    expect(GcsArtifactStoreConfigSchema.parse({ path: 'gs://acme/stowage' })).toEqual({ path: 'gs://acme/stowage' });
    expect(GcsArtifactStoreConfigSchema.parse({ path: 'gs://acme', service_account_key: key, project: 'acme-ml' })).toMatchObject({ project: 'acme-ml' });
  });

  it.each([
    [{}, 'path: Invalid input: expected string, received undefined'],
    [{ path: 'gs://Acme' }, 'path: "Acme" is not a valid GCS bucket name'],
    [{ path: 'gs://acme', bucket: 'acme' }, 'Unrecognized key: "bucket"'],
    [{ path: 'gs://acme', endpoint: 'storage:443' }, 'endpoint: expected an http(s) URL'],
    [{ path: 'gs://acme', project: 'Acme ML' }, 'project: a GCP project id'],
    [{ path: 'gs://acme', access_token: 'ya29.x', service_account_key: key }, 'access_token: `service_account_key` and `access_token` are both set'],
    [{ path: 'gs://acme', service_account_key: '{"type": "authorized_user"}' }, 'service_account_key: the service-account key is a key of type "authorized_user"'],
    [{ path: 'gs://acme', service_account_key: 'not json' }, 'service_account_key: the service-account key is not JSON'],
  ])('%j → %s', (config, issue) => {
    expect(issuesOf(config).join('\n')).toContain(issue);
  });

  it('never echoes a bad key in its message', () => {
    const leaky = '{"type": "service_account", "client_email": "x", "private_key": "SECRET-MATERIAL"}';
    expect(issuesOf({ path: 'gs://acme', service_account_key: leaky }).join('\n')).not.toContain('SECRET-MATERIAL');
  });

  it('marks the key and the token as secrets, and describes every field', () => {
    const { shape } = GcsArtifactStoreConfigSchema;
    expect(Object.keys(shape).sort()).toEqual(['access_token', 'endpoint', 'path', 'project', 'service_account_key']);
    for (const [name, field] of Object.entries(shape)) expect(field.description, name).toBeTruthy();
    expect(Object.entries(shape).filter(([, field]) => isSecretSchema(field)).map(([name]) => name).sort()).toEqual(['access_token', 'service_account_key']);
  });
});

describe('describe()', () => {
  it('is the root, the gs scheme, reachable from containers, and an identity of bucket, prefix and endpoint', () => {
    const config = GcsArtifactStoreConfigSchema.parse({ path: 'gs://acme/team/stowage/', endpoint: 'https://storage-acme.p.googleapis.com' });
    expect(gcsArtifactStoreFlavor.describe(config, { projectRoot: '/anywhere' })).toEqual({
      scheme: 'gs',
      root: 'gs://acme/team/stowage',
      reachableFromContainers: true,
      identity: { bucket: 'acme', prefix: 'team/stowage', endpoint: 'https://storage-acme.p.googleapis.com' },
    });
    const plain = gcsArtifactStoreFlavor.describe(GcsArtifactStoreConfigSchema.parse({ path: 'gs://acme' }), { projectRoot: '/' });
    expect(plain).toMatchObject({ root: 'gs://acme', identity: { bucket: 'acme', prefix: '', endpoint: undefined } });
  });
});
