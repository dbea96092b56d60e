import { describe, expect, it } from 'vitest';
import { isSecretSchema } from '@stowage/plugin-api';
import { S3ArtifactStoreConfigSchema } from './config.js';
import { s3ArtifactStoreFlavor } from './plugin.js';
import { readS3Path } from './s3Path.js';

const issuesOf = (config: Record<string, unknown>) => {
  const result = S3ArtifactStoreConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('readS3Path', () => {
  it.each([
    ['s3://acme-artifacts', { bucket: 'acme-artifacts', prefix: '', root: 's3://acme-artifacts' }],
    ['s3://acme-artifacts/', { bucket: 'acme-artifacts', prefix: '', root: 's3://acme-artifacts' }],
    ['s3://acme.artifacts/stowage', { bucket: 'acme.artifacts', prefix: 'stowage', root: 's3://acme.artifacts/stowage' }],
    ['s3://acme/team/ml-pipelines/', { bucket: 'acme', prefix: 'team/ml-pipelines', root: 's3://acme/team/ml-pipelines' }],
    ["s3://acme/it's(1)", { bucket: 'acme', prefix: "it's(1)", root: "s3://acme/it's(1)" }],
  ])('%s', (path, location) => {
    expect(readS3Path(path)).toEqual({ location });
  });

  it.each([
    ['acme/stowage', 'is not an s3:// path'],
    ['https://acme.s3.amazonaws.com/stowage', 'is not an s3:// path'],
    ['s3://', 'is not a valid S3 bucket name'],
    ['s3://ab', 'is not a valid S3 bucket name'],
    ['s3://Acme', 'is not a valid S3 bucket name'],
    ['s3://acme_artifacts', 'is not a valid S3 bucket name'],
    ['s3://-acme', 'is not a valid S3 bucket name'],
    ['s3://acme..artifacts', 'is not a valid S3 bucket name'],
    ['s3://192.168.1.10', 'is not a valid S3 bucket name'],
    ['s3://acme//stowage', 'has a bad part ""'],
    ['s3://acme/a/../b', 'has a bad part ".."'],
    ['s3://acme/with space', 'has a bad part "with space"'],
    ['s3://acme/a\\b', 'has a bad part'],
  ])('%s is refused: %s', (path, problem) => {
    const read = readS3Path(path);
    expect('problem' in read && read.problem).toContain(problem);
  });
});

describe('S3ArtifactStoreConfigSchema', () => {
  it('needs only a path; force_path_style defaults to false, the rest to the SDK chains', () => {
    expect(S3ArtifactStoreConfigSchema.parse({ path: 's3://acme/stowage' })).toEqual({ path: 's3://acme/stowage', force_path_style: false });
  });

  it.each([
    [{}, 'path: Invalid input: expected string, received undefined'],
    [{ path: 's3://Acme' }, 'path: "Acme" is not a valid S3 bucket name'],
    [{ path: 's3://acme', bucket: 'acme' }, 'Unrecognized key: "bucket"'],
    [{ path: 's3://acme', region: 'EU West' }, 'region: expected an AWS region like `eu-west-1`'],
    [{ path: 's3://acme', endpoint: 'minio:9000' }, 'endpoint: expected an http(s) URL'],
    [{ path: 's3://acme', endpoint: 'ftp://minio:9000' }, 'endpoint: expected an http(s) URL'],
    [{ path: 's3://acme', request_checksum_calculation: 'never' }, 'request_checksum_calculation: Invalid option'],
    [{ path: 's3://acme', access_key_id: 'AKIA123' }, 'secret_access_key: `access_key_id` is set but `secret_access_key` is not'],
    [{ path: 's3://acme', secret_access_key: 'abcd' }, 'access_key_id: `secret_access_key` is set but `access_key_id` is not'],
    [{ path: 's3://acme', session_token: 'tok1' }, 'session_token: `session_token` goes with `access_key_id` and `secret_access_key`'],
  ])('%j → %s', (config, issue) => {
    expect(issuesOf(config).join('\n')).toContain(issue);
  });

  it('marks the secret key and the session token as secrets, and describes every field', () => {
    const { shape } = S3ArtifactStoreConfigSchema;
    expect(Object.keys(shape)).toHaveLength(9);
    for (const [name, field] of Object.entries(shape)) expect(field.description, name).toBeTruthy();
    const secretFields = Object.entries(shape).filter(([, field]) => isSecretSchema(field));
    expect(secretFields.map(([name]) => name)).toEqual(['secret_access_key', 'session_token']);
  });
});

describe('describe()', () => {
  it('is the root, the scheme, reachable from containers, and an identity of bucket, prefix and endpoint', () => {
    const config = S3ArtifactStoreConfigSchema.parse({ path: 's3://acme/team/stowage/', endpoint: 'https://minio.acme.dev', force_path_style: true });
    expect(s3ArtifactStoreFlavor.describe(config, { projectRoot: '/anywhere' })).toEqual({
      scheme: 's3',
      root: 's3://acme/team/stowage',
      reachableFromContainers: true,
      identity: { bucket: 'acme', prefix: 'team/stowage', endpoint: 'https://minio.acme.dev' },
    });
    const onAws = s3ArtifactStoreFlavor.describe(S3ArtifactStoreConfigSchema.parse({ path: 's3://acme' }), { projectRoot: '/' });
    expect(onAws).toMatchObject({ root: 's3://acme', identity: { bucket: 'acme', prefix: '', endpoint: undefined } });
  });
});
