/** A build step as `createBuild` takes it. */
export interface CloudBuildStep {
  name: string;
  id: string;
  args: string[];
  entrypoint?: string;
  env?: string[];
  /** Names of `availableSecrets` entries the step gets as environment variables (Cloud Build reads them). */
  secretEnv?: string[];
}

/** `availableSecrets.secretManager[]`: a Secret Manager version Cloud Build reads, and the env name steps see it as. */
export interface SecretManagerSecret {
  versionName: string;
  env: string;
}

/** The Build of one image (`google.devtools.cloudbuild.v1.Build`, the fields Stowage sets). */
export interface CloudBuildRequest {
  source: { storageSource: { bucket: string; object: string } };
  steps: CloudBuildStep[];
  images: string[];
  timeout: { seconds: number };
  logsBucket?: string;
  availableSecrets?: { secretManager: SecretManagerSecret[] };
}

/**
 * Cloud Build substitutes `$NAME` in step args, env and secret version names itself (and refuses
 * unknown names): every `$` Stowage sends is written `$$`, which Cloud Build turns back into `$`.
 */
export const literal = (text: string) => text.replaceAll('$', () => '$$');
