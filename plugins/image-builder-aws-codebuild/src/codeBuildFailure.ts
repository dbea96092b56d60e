import type { Build } from '@aws-sdk/client-codebuild';
import { sdkErrorReason, sdkErrorShape } from '@stowage/aws';
import { StowageError } from '@stowage/plugin-api';

/** What to do about credentials AWS refused or the SDK could not find, whatever the service. */
function credentialHint(name: string): string | undefined {
  if (name === 'InvalidSignatureException' || name === 'SignatureDoesNotMatch') return 'AWS rejected the request signature: check `secret_access_key` (or the AWS profile or environment) belongs to `access_key_id`';
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId') return 'AWS does not know the access key: check `access_key_id` (or the AWS profile or environment)';
  if (name === 'CredentialsProviderError') return 'give the builder credentials: `access_key_id` and `secret_access_key` (as `${VAR}`), AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  return undefined;
}

function hintFor(error: unknown, project: string): string | undefined {
  const name = sdkErrorShape(error).name ?? '';
  const credentials = credentialHint(name);
  if (credentials) return credentials;
  if (name === 'ResourceNotFoundException') return `create the CodeBuild project "${project}" in this region, or fix \`code_build_project\` / \`region\``;
  if (name === 'AccessDeniedException') return 'the credentials may not use CodeBuild (codebuild:StartBuild, BatchGetBuilds, StopBuild) or CloudWatch Logs (logs:GetLogEvents)';
  return undefined;
}

/** BUILD_FAILED for a CodeBuild or CloudWatch Logs call that failed, with what to do next. */
export function callFailure(what: string, error: unknown, project: string): StowageError {
  if (StowageError.isInstance(error)) return error;
  const hint = hintFor(error, project);
  return new StowageError(`${what}: ${sdkErrorReason(error)}`, { code: 'BUILD_FAILED', cause: error, ...(hint ? { hint } : {}) });
}

/** BUILD_FAILED for a Parameter Store call that failed: the permissions the builder's credentials need, or the alternative. */
export function parameterFailure(what: string, error: unknown, prefix: string): StowageError {
  const hint =
    credentialHint(sdkErrorShape(error).name ?? '') ??
    `the builder's credentials need ssm:PutParameter and ssm:DeleteParameter on \`${prefix}/*\` (\`parameter_store_prefix\`), and the CodeBuild project's service role ssm:GetParameters there; or keep the registry login in Secrets Manager and set \`registry_credentials_secret\``;
  return new StowageError(`${what}: ${sdkErrorReason(error)}`, { code: 'BUILD_FAILED', cause: error, hint });
}

/** The first phase that did not succeed, with CodeBuild's context message. */
export function failingPhase(build: Build): { phase: string; statusCode?: string; message?: string } | undefined {
  const phase = build.phases?.find((p) => p.phaseStatus && p.phaseStatus !== 'SUCCEEDED');
  if (!phase) return undefined;
  const context = phase.contexts?.find((c) => c.message);
  return { phase: phase.phaseType ?? 'UNKNOWN', ...(context?.statusCode ? { statusCode: context.statusCode } : {}), ...(context?.message ? { message: context.message } : {}) };
}

// CodeBuild's status codes when it cannot read a secret variable (DOWNLOAD_SOURCE).
const SECRET_READ_HINTS: Readonly<Record<string, string>> = {
  'Decrypted Variables Error':
    "CodeBuild could not read a PARAMETER_STORE variable: check that the parameter exists in the project's region and that the project's service role may ssm:GetParameters it (and kms:Decrypt its key, unless it is the default aws/ssm key)",
  'Secrets Manager Error':
    "CodeBuild could not read a SECRETS_MANAGER variable: check that the secret (`registry_credentials_secret`, `custom_env_vars`) exists with that JSON key and that the project's service role may secretsmanager:GetSecretValue it",
};

/** BUILD_FAILED naming the failing phase, its last log lines and the console link. */
export function buildFailure(build: Build, imageName: string, lastLines: readonly string[]): StowageError {
  const failing = failingPhase(build);
  const where = failing ? ` in phase ${failing.phase}${failing.message ? ` (${failing.message})` : ''}` : '';
  const link = build.logs?.deepLink;
  return new StowageError(`CodeBuild build ${build.id} of ${imageName} ended ${build.buildStatus}${where}`, {
    code: 'BUILD_FAILED',
    details: [...(lastLines.length ? ['last log lines:', ...lastLines.map((l) => `  ${l}`)] : []), ...(link ? [`logs: ${link}`] : [])],
    hint: SECRET_READ_HINTS[failing?.statusCode ?? ''] ?? 'fix the failing step in the Dockerfile or build settings, then build again',
  });
}
