import { describe, expect, it } from 'vitest';
import { BUILD_OPTION_FIELDS, type BuildCheck } from '@stowage/plugin-api';
import { gcpCloudBuildImageBuilderFlavor as flavor } from './plugin.js';
import { GcpCloudBuildImageBuilderConfigSchema } from './config.js';

const config = GcpCloudBuildImageBuilderConfigSchema.parse({ project: 'acme-ml' });

describe('gcp-cloudbuild flavor', () => {
  it('describes a remote builder that pushes in the build and reads a tar.gz context staged on GCS', () => {
    expect(flavor.describe(config, { projectRoot: '/tmp' })).toEqual({
      remote: true,
      platform: 'linux/amd64',
      capabilities: {
        push: 'in-build',
        platforms: ['linux/amd64'],
        stagesContext: 'tar.gz',
        secrets: true,
        cacheMounts: false,
        buildOptions: ['buildArgs', 'labels', 'target', 'platform', 'pull', 'noCache', 'network', 'extraHosts', 'cacheFrom', 'shmSize'],
      },
      identity: { cloud_builder_image: 'gcr.io/cloud-builders/docker', network: 'cloudbuild', project: 'acme-ml', location: undefined, endpoint: undefined },
    });
    expect(flavor.deps).toEqual({ registry: { kind: 'container-registry' }, store: { kind: 'artifact-store', flavors: ['gcs'] } });
    expect(BUILD_OPTION_FIELDS).toEqual(expect.arrayContaining([...flavor.describe(config, { projectRoot: '/' }).capabilities.buildOptions]));
  });

  it("has ZenML's defaults, and a temporary secret prefix", () => {
    expect(config).toMatchObject({ cloud_builder_image: 'gcr.io/cloud-builders/docker', network: 'cloudbuild', build_timeout: 3600, poll_interval_seconds: 5, temporary_secret_prefix: 'stowage-cloudbuild' });
  });

  it.each([
    ['another platform is an error', { platform: 'linux/arm64' }, {}, ['error: gcp-cloudbuild builds linux/amd64 only (Cloud Build workers are x86-64), not linux/arm64']],
    ['builder options are ignored with a warning', {}, { machine_type: 'E2_HIGHCPU_8' }, ['warning: gcp-cloudbuild takes no builder_options; ignored: machine_type']],
    ['linux/amd64 is fine', { platform: 'linux/amd64' }, {}, []],
    [
      'credential-looking build args are a warning (they are step args Cloud Build shows)',
      { options: { buildArgs: { NPM_TOKEN: 'x', PIP_INDEX_PASSWORD: 'y', GREETING: 'hi' }, labels: { 'org.opencontainers.image.authors': 'me' } } },
      {},
      ['warning: gcp-cloudbuild passes build args as arguments of the build step, which Cloud Build keeps and shows with the build: NPM_TOKEN, PIP_INDEX_PASSWORD look like a credential'],
    ],
  ])('check(): %s', (_name, build, builderOptions, expected) => {
    const findings = flavor.check!(config, { imageName: 'r/a:b', options: {}, builderOptions, ...build } as BuildCheck);
    expect(findings.map((f) => `${f.severity}: ${f.message}`)).toEqual(expected);
  });

  it.each([
    [{ access_token: 'ya29.x' }, 'project'],
    [{ project: 'acme-ml', access_token: 't', service_account_key: '{}' }, 'access_token'],
    [{ project: 'acme-ml', service_account_key: 'not json' }, 'service_account_key'],
    [{ build_timeout: 0 }, 'build_timeout'],
    [{ build_timeout: 1.5 }, 'build_timeout'],
    [{ location: 'europe' }, 'location'],
    [{ logs_bucket: 'my-logs' }, 'logs_bucket'],
    [{ poll_interval_seconds: 0 }, 'poll_interval_seconds'],
    [{ endpoint: 'ftp://x' }, 'endpoint'],
    [{ cloudBuilderImage: 'x' }, ''],
    [{ registry_password_secret: 'ci-pass' }, 'registry_username_secret'],
    [{ registry_username_secret: 'ci-user' }, 'registry_password_secret'],
    [{ registry_username_secret: 'ci/user', registry_password_secret: 'p' }, 'registry_username_secret'],
    [{ registry_username_secret: 'u', registry_password_secret: 'projects/p/secrets/x/versions/' }, 'registry_password_secret'],
    [{ temporary_secret_prefix: 'has space' }, 'temporary_secret_prefix'],
    [{ secret_manager_endpoint: 'not a url' }, 'secret_manager_endpoint'],
  ])('rejects %j at %s', (input, path) => {
    const result = GcpCloudBuildImageBuilderConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('never echoes a service-account key it refuses', () => {
    const result = GcpCloudBuildImageBuilderConfigSchema.safeParse({ service_account_key: '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----SECRET"}' });
    expect(JSON.stringify(result.error!.issues)).not.toContain('SECRET');
  });
});
