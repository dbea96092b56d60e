import { looksLikeCredential, type BuildCheck, type Finding } from '@stowage/plugin-api';

/**
 * Plan-time warnings for what this builder cannot keep secret: build args are arguments of the
 * build step, which Cloud Build keeps with the build and shows to whoever may read the project's
 * builds. (The registry login never is: Cloud Build reads it from Secret Manager.)
 */
export function checkSecrets(build: BuildCheck): Finding[] {
  const names = Object.keys(build.options.buildArgs ?? {})
    .filter((n) => looksLikeCredential(n))
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
