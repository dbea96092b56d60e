import { looksLikeCredential, parseImageReference, type BuildCheck, type Finding } from '@stowage/plugin-api';
import type { AwsCodeBuildImageBuilderConfig } from './config.js';
import { ecrRegion } from './registryLogin.js';

const credentialNames = (names: Iterable<string>) => [...names].filter((n) => looksLikeCredential(n)).sort();

/**
 * Plan-time warnings for what this builder cannot keep secret: a credential-looking value it must
 * send as PLAINTEXT or write into the buildspec (both kept and shown by CodeBuild), and a
 * `registry_credentials_secret` an ECR login with the project's role leaves unused.
 */
export function checkSecrets(config: AwsCodeBuildImageBuilderConfig, build: BuildCheck): Finding[] {
  const findings: Finding[] = [];
  const plain = credentialNames(Object.keys(config.custom_env_vars).filter((n) => typeof config.custom_env_vars[n] === 'string'));
  if (plain.length) {
    findings.push({
      severity: 'warning',
      message: `aws-codebuild sends custom_env_vars ${plain.join(', ')} as PLAINTEXT, which CodeBuild shows in its console and in BatchGetBuilds; the name${plain.length > 1 ? 's look' : ' looks'} like a credential`,
      hint: 'keep the value in Parameter Store or Secrets Manager and write `NAME: { parameter_store: /path }` or `NAME: { secrets_manager: <secret-id>:<json-key> }`',
    });
  }
  const args = credentialNames(Object.keys(build.options.buildArgs ?? {}));
  if (args.length) {
    findings.push({
      severity: 'warning',
      message: `aws-codebuild writes build args into the buildspec, which CodeBuild keeps and shows with the build: ${args.join(', ')} look${args.length > 1 ? '' : 's'} like a credential`,
      hint: 'keep secrets out of build args (docker keeps them in the image history too)',
    });
  }
  const registry = parseImageReference(build.imageName).registry;
  if (config.registry_credentials_secret && config.implicit_container_registry_auth && ecrRegion(registry)) {
    findings.push({
      severity: 'warning',
      message: `aws-codebuild does not use registry_credentials_secret for ${registry}: it logs in to ECR with the CodeBuild project's role`,
      hint: 'remove registry_credentials_secret, or set implicit_container_registry_auth: false to log in with the secret',
    });
  }
  return findings;
}
