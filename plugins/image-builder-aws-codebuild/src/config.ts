import { z } from 'zod';
import { awsCredentialFields, credentialIssues } from '@stowage/aws';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const AwsCodeBuildImageBuilderConfigSchema = z
  .object({
    code_build_project: z.string().min(1).describe('Name of an existing CodeBuild project the builds run in (its service role reads the staged context from S3).'),
    build_image: z
      .string()
      .min(1)
      .default('bentolor/docker-dind-awscli')
      .describe("Image the build runs in (`imageOverride`): it needs `docker` and, for ECR's implicit login, the AWS CLI (default: ZenML's `bentolor/docker-dind-awscli`)."),
    compute_type: z
      .string()
      .regex(/^BUILD_[A-Z0-9_]+$/, 'expected a CodeBuild compute type like `BUILD_GENERAL1_SMALL`')
      .default('BUILD_GENERAL1_SMALL')
      .describe('CodeBuild compute type (`computeTypeOverride`; default BUILD_GENERAL1_SMALL).'),
    custom_env_vars: z
      .record(z.string().regex(ENV_NAME, 'expected an environment variable name').refine((n) => !/^(CODEBUILD_|STOWAGE_REGISTRY_)/.test(n), 'CODEBUILD_* and STOWAGE_REGISTRY_* are reserved'), z.string())
      .default({})
      .describe('Extra environment variables of the build (PLAINTEXT: CodeBuild records their values with the build, so put no secrets here).'),
    implicit_container_registry_auth: z
      .boolean()
      .default(true)
      .describe("For an ECR registry, log in with the CodeBuild project's service role (`aws ecr get-login-password`) instead of the registry component's credentials. Other registries always get explicit credentials (default: true)."),
    privileged_mode: z
      .boolean()
      .default(true)
      .describe('Run the build container privileged (`privilegedModeOverride`), which a Docker daemon inside it needs (default: true; ZenML passes false).'),
    poll_interval_seconds: z.number().positive().max(300).default(10).describe('Seconds between BatchGetBuilds polls, and log reads (default: 10, as ZenML).'),
    region: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'expected an AWS region like `eu-west-1`')
      .optional()
      .describe("AWS region of the CodeBuild project (default: the SDK's chain — AWS_REGION, the profile's region — else `us-east-1`)."),
    endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .optional()
      .describe('CodeBuild endpoint URL instead of AWS: a VPC endpoint or a test emulator.'),
    logs_endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .optional()
      .describe('CloudWatch Logs endpoint URL instead of AWS: a VPC endpoint or a test emulator.'),
    ...awsCredentialFields,
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of credentialIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type AwsCodeBuildImageBuilderConfig = z.output<typeof AwsCodeBuildImageBuilderConfigSchema>;
