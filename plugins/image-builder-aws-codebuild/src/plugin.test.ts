import { describe, expect, it } from 'vitest';
import { BUILD_OPTION_FIELDS } from '@stowage/plugin-api';
import { awsCodeBuildImageBuilderFlavor as flavor } from './plugin.js';
import { AwsCodeBuildImageBuilderConfigSchema } from './config.js';

const config = AwsCodeBuildImageBuilderConfigSchema.parse({ code_build_project: 'stowage' });

describe('aws-codebuild flavor', () => {
  it('describes a remote builder that pushes in the build and reads a ZIP context staged on S3', () => {
    expect(flavor.describe(config, { projectRoot: '/tmp' })).toEqual({
      remote: true,
      platform: 'linux/amd64',
      capabilities: {
        push: 'in-build',
        platforms: ['linux/amd64'],
        stagesContext: 'zip',
        secrets: true,
        cacheMounts: false,
        buildOptions: ['buildArgs', 'labels', 'target', 'platform', 'pull', 'noCache', 'network', 'extraHosts', 'cacheFrom', 'shmSize'],
      },
      identity: { code_build_project: 'stowage', build_image: 'bentolor/docker-dind-awscli', region: undefined, endpoint: undefined },
    });
    expect(flavor.deps).toEqual({ registry: { kind: 'container-registry' }, store: { kind: 'artifact-store', flavors: ['s3'] } });
    expect(BUILD_OPTION_FIELDS).toEqual(expect.arrayContaining([...flavor.describe(config, { projectRoot: '/' }).capabilities.buildOptions]));
  });

  it("has ZenML's defaults", () => {
    expect(config).toMatchObject({ build_image: 'bentolor/docker-dind-awscli', compute_type: 'BUILD_GENERAL1_SMALL', implicit_container_registry_auth: true, poll_interval_seconds: 10, custom_env_vars: {} });
  });

  it.each([
    ['another platform is an error', { platform: 'linux/arm64' }, {}, ['error: aws-codebuild builds linux/amd64 (LINUX_CONTAINER) only, not linux/arm64']],
    ['builder options are ignored with a warning', {}, { privileged: true }, ['warning: aws-codebuild takes no builder_options; ignored: privileged']],
    ['linux/amd64 is fine', { platform: 'linux/amd64' }, {}, []],
  ])('check(): %s', (_name, build, builderOptions, expected) => {
    const findings = flavor.check!(config, { imageName: 'r/a:b', options: {}, builderOptions, ...build });
    expect(findings.map((f) => `${f.severity}: ${f.message}`)).toEqual(expected);
  });

  it.each([
    [
      'a credential-looking custom env var sent as PLAINTEXT',
      { custom_env_vars: { STAGE: 'prod', NPM_TOKEN: 'abc', DB_PASSWORD: 'x', SAFE_TOKEN: { parameter_store: '/ci/t' } } },
      {},
      'warning: aws-codebuild sends custom_env_vars DB_PASSWORD, NPM_TOKEN as PLAINTEXT, which CodeBuild shows in its console and in BatchGetBuilds; the names look like a credential',
    ],
    ['a credential-looking build arg, which the buildspec holds', {}, { buildArgs: { PIP_INDEX_PASSWORD: 'x', VERSION: '1' } }, 'warning: aws-codebuild writes build args into the buildspec, which CodeBuild keeps and shows with the build: PIP_INDEX_PASSWORD looks like a credential'],
    [
      'registry_credentials_secret for ECR with the implicit login',
      { registry_credentials_secret: 'ci/registry' },
      {},
      "warning: aws-codebuild does not use registry_credentials_secret for 123456789012.dkr.ecr.eu-west-1.amazonaws.com: it logs in to ECR with the CodeBuild project's role",
    ],
  ])('check() warns about what it cannot keep secret: %s', (_name, extra, options, expected) => {
    const withExtra = AwsCodeBuildImageBuilderConfigSchema.parse({ code_build_project: 'stowage', ...extra });
    const findings = flavor.check!(withExtra, { imageName: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1', options, builderOptions: {} });
    expect(findings.map((f) => `${f.severity}: ${f.message}`)).toEqual([expected]);
    expect(findings[0]!.hint).toBeTruthy();
  });

  it('check() has nothing to say about secrets kept as references, or a registry_credentials_secret it uses', () => {
    const secretsConfig = AwsCodeBuildImageBuilderConfigSchema.parse({ code_build_project: 'stowage', registry_credentials_secret: 'ci/registry', custom_env_vars: { NPM_TOKEN: { secrets_manager: 'ci/npm:token' }, STAGE: 'prod' } });
    expect(flavor.check!(secretsConfig, { imageName: 'ghcr.io/acme/app:v1', options: { buildArgs: { VERSION: '1' } }, builderOptions: {} })).toEqual([]);
  });

  it.each([
    [{ code_build_project: 'p', access_key_id: 'AKIA' }, 'secret_access_key'],
    [{ code_build_project: 'p', custom_env_vars: { CODEBUILD_X: '1' } }, 'custom_env_vars.CODEBUILD_X'],
    [{ code_build_project: 'p', compute_type: 'small' }, 'compute_type'],
    [{ code_build_project: 'p', poll_interval_seconds: 0 }, 'poll_interval_seconds'],
    [{ code_build_project: 'p', buildImage: 'x' }, ''],
  ])('rejects %j at %s', (input, path) => {
    const result = AwsCodeBuildImageBuilderConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
