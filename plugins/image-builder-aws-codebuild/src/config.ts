import { z } from 'zod';
import { awsCredentialFields, credentialIssues } from '@stowage/aws';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ID = '(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:)?[A-Za-z0-9/_+=.@-]+';
const SECRET_ID_HINT = 'expected the name or ARN of a Secrets Manager secret, e.g. `ci/registry`';
// A parameter is named by its ARN, a path (`/a/b`), or a plain name without slashes.
const PARAMETER_NAME = /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]+|(?:\/[A-Za-z0-9_.-]+)+|[A-Za-z0-9_.-]+)$/;
// SSM's rules for a name: path segments of [A-Za-z0-9_.-], not starting with aws or ssm, at most 15 levels (2 are the build's).
const PARAMETER_PREFIX = /^(?!\/(?:aws|ssm))(?:\/[A-Za-z0-9_.-]+){1,13}$/i;

/** A `custom_env_vars` value: the value itself (PLAINTEXT), or where CodeBuild reads a secret one. */
const CustomEnvValueSchema = z.union([
  z.string(),
  z
    .object({
      parameter_store: z
        .string()
        .regex(PARAMETER_NAME, 'expected the name or ARN of an SSM parameter, e.g. `/ci/npm-token`')
        .describe("Name or ARN of an SSM parameter (a SecureString is decrypted): CodeBuild reads it with the project's service role (type PARAMETER_STORE)."),
    })
    .strict(),
  z
    .object({
      secrets_manager: z
        .string()
        .regex(new RegExp(`^${SECRET_ID}(?::[^:\\s]*){0,3}$`), 'expected `<secret-id>[:<json-key>[:<version-stage>[:<version-id>]]]`, e.g. `ci/tokens:npm`')
        .describe("`<secret-id>[:<json-key>[:<version-stage>[:<version-id>]]]` of a Secrets Manager secret: CodeBuild reads it with the project's service role (type SECRETS_MANAGER)."),
    })
    .strict(),
], { error: 'expected a string (PLAINTEXT), `{ parameter_store: <name> }` or `{ secrets_manager: <secret-id>:<json-key> }`' });

export type CustomEnvValue = z.output<typeof CustomEnvValueSchema>;

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
      .record(z.string().regex(ENV_NAME, 'expected an environment variable name').refine((n) => !/^(CODEBUILD_|STOWAGE_REGISTRY_)/.test(n), 'CODEBUILD_* and STOWAGE_REGISTRY_* are reserved'), CustomEnvValueSchema)
      .default({})
      .describe(
        'Extra environment variables of the build. A string is sent as PLAINTEXT, which CodeBuild shows with the build; a secret is `{ parameter_store: <name> }` or `{ secrets_manager: <secret-id>:<json-key> }`, read by CodeBuild itself.',
      ),
    implicit_container_registry_auth: z
      .boolean()
      .default(true)
      .describe("For an ECR registry, log in with the CodeBuild project's service role (`aws ecr get-login-password`) instead of the registry component's credentials. Other registries always get explicit credentials (default: true)."),
    registry_credentials_secret: z
      .string()
      .regex(new RegExp(`^${SECRET_ID}$`), SECRET_ID_HINT)
      .optional()
      .describe(
        "Name or ARN of a Secrets Manager secret holding `{\"username\": …, \"password\": …}` for `docker login` to the registry: CodeBuild reads it with the project's service role, so the login never leaves AWS. Without it, a registry that needs credentials gets the registry component's password through a temporary SSM SecureString parameter.",
      ),
    parameter_store_prefix: z
      .string()
      .regex(PARAMETER_PREFIX, 'expected an SSM parameter path like `/stowage/codebuild` (segments of A-Z a-z 0-9 _ . -, not starting with aws or ssm)')
      .default('/stowage/codebuild')
      .describe('Parameter Store path under which each build gets its temporary registry password (`<prefix>/<build token>/registry-password`), deleted when the build ends (default: /stowage/codebuild).'),
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
    ssm_endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .optional()
      .describe('SSM (Parameter Store) endpoint URL instead of AWS: a VPC endpoint or a test emulator.'),
    ...awsCredentialFields,
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of credentialIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type AwsCodeBuildImageBuilderConfig = z.output<typeof AwsCodeBuildImageBuilderConfigSchema>;
