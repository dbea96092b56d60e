import type { BuildCheck, Finding } from '@stowage/plugin-api';

// The words that make core redact a `${VAR}` as a credential (its `looksLikeCredential`).
const CREDENTIAL_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASS\b|_PASS|KEY|CREDENTIAL|AUTH|PRIVATE|CERT|SESSION|COOKIE/i;

/**
 * Plan-time warnings for what this builder cannot keep secret: build args are arguments of the
 * build step, which Cloud Build keeps with the build and shows to whoever may read the project's
 * builds. (The registry login never is: Cloud Build reads it from Secret Manager.)
 */
export function checkSecrets(build: BuildCheck): Finding[] {
  const names = Object.keys(build.options.buildArgs ?? {})
    .filter((n) => CREDENTIAL_NAME.test(n))
    .sort();
  if (!names.length) return [];
  return [
    {
      severity: 'warning',
      message: `gcp-cloudbuild passes build args as arguments of the build step, which Cloud Build keeps and shows with the build: ${names.join(', ')} look${names.length > 1 ? '' : 's'} like a credential`,
      hint: 'keep secrets out of build args (docker keeps them in the image history too)',
    },
  ];
}
