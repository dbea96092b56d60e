import { z } from 'zod';
import { gcpCredentialFields, gcpCredentialIssues } from '@stowage/gcp';

const LOCATION = /^[a-z]+-[a-z]+[0-9]+$/;
const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional().describe(what);

/** `<name>`, `projects/<project>/secrets/<name>`, either with `/versions/<version>` (default `latest`). */
export const SECRET_VERSION_REFERENCE = /^(?:projects\/([^/\s]+)\/secrets\/)?([A-Za-z0-9_-]{1,255})(?:\/versions\/([A-Za-z0-9_-]+))?$/;
const secretReference = (what: string) =>
  z
    .string()
    .regex(SECRET_VERSION_REFERENCE, 'expected a Secret Manager secret: `<name>` or `projects/<project>/secrets/<name>`, optionally with `/versions/<version>`')
    .optional()
    .describe(what);
// Secret ids are at most 255 of [A-Za-z0-9_-]; each build appends `-<uuid>` (37).
const SECRET_PREFIX = /^[A-Za-z0-9_-]{1,200}$/;

export const GcpCloudBuildImageBuilderConfigSchema = z
  .object({
    cloud_builder_image: z
      .string()
      .min(1)
      .default('gcr.io/cloud-builders/docker')
      .describe('Builder image of the build steps: it runs `docker build` and `docker push` (and `sh` for a registry login). Default: ZenML\'s `gcr.io/cloud-builders/docker`.'),
    network: z
      .string()
      .min(1)
      .default('cloudbuild')
      .describe('Docker network of `docker build --network=…` (default `cloudbuild`, the network Cloud Build runs steps in, where RUN reaches the metadata server). A `network` build option overrides it.'),
    build_timeout: z.number().int().positive().max(86_400).default(3600).describe('Seconds before Cloud Build stops the build and it ends TIMEOUT (default 3600, as ZenML).'),
    location: z
      .string()
      .regex(LOCATION, 'expected a Cloud Build region like `europe-west1`')
      .optional()
      .describe('Region of the build (`projects/<project>/locations/<location>`): regional builds, private pools. Default: the global endpoint.'),
    logs_bucket: z
      .string()
      .regex(/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/.*)?$/, 'expected gs://<bucket>[/<folder>]')
      .optional()
      .describe("Where Cloud Build writes the build log (`logsBucket`), which the builder tails. Default: Cloud Build's own logs bucket."),
    poll_interval_seconds: z.number().positive().max(300).default(5).describe('Seconds between polls of the build operation and reads of the build log (default 5).'),
    registry_username_secret: secretReference(
      "Secret Manager secret holding the registry user for `docker login` (with registry_password_secret): Cloud Build reads it itself (`availableSecrets`), so the login never leaves Google. `<name>` is in the build's project; default version `latest`. Used for any registry, a `gcp` one included.",
    ),
    registry_password_secret: secretReference(
      "Secret Manager secret holding the registry password or token for `docker login` (with registry_username_secret), read by Cloud Build itself. Without the two, a registry that needs credentials gets the registry component's password through a temporary secret deleted when the build ends.",
    ),
    temporary_secret_prefix: z
      .string()
      .regex(SECRET_PREFIX, 'expected a Secret Manager secret id prefix: 1-200 of A-Z a-z 0-9 _ -')
      .default('stowage-cloudbuild')
      .describe("Id prefix of the temporary Secret Manager secret a build's registry password is kept in (`<prefix>-<uuid>`, in the build's project), deleted when the build ends (default: stowage-cloudbuild)."),
    endpoint: httpUrl('Cloud Build API endpoint URL instead of Google (a Private Service Connect endpoint, or a test emulator).'),
    secret_manager_endpoint: httpUrl('Secret Manager API endpoint URL instead of Google (a Private Service Connect endpoint, or a test emulator), for the temporary registry-password secrets.'),
    storage_endpoint: httpUrl('Cloud Storage JSON API endpoint URL the build log is read from instead of Google (a test emulator).'),
    ...gcpCredentialFields,
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of gcpCredentialIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
    // A token carries no project; a service-account key names its own.
    if (config.access_token && !config.project) ctx.addIssue({ code: 'custom', path: ['project'], message: 'an access token names no project: set `project` (the GCP project the builds run in)' });
    for (const [key, other] of [['registry_username_secret', 'registry_password_secret'], ['registry_password_secret', 'registry_username_secret']] as const) {
      if (config[key] && !config[other]) ctx.addIssue({ code: 'custom', path: [other], message: `set ${other} too: Cloud Build logs in with both, read from Secret Manager` });
    }
  });

export type GcpCloudBuildImageBuilderConfig = z.output<typeof GcpCloudBuildImageBuilderConfigSchema>;
