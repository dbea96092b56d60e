import { z } from 'zod';
import { gcpCredentialFields, gcpCredentialIssues } from '@stowage/gcp';

const LOCATION = /^[a-z]+-[a-z]+[0-9]+$/;
const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional().describe(what);

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
    endpoint: httpUrl('Cloud Build API endpoint URL instead of Google (a Private Service Connect endpoint, or a test emulator).'),
    storage_endpoint: httpUrl('Cloud Storage JSON API endpoint URL the build log is read from instead of Google (a test emulator).'),
    ...gcpCredentialFields,
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of gcpCredentialIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
    // A token carries no project; a service-account key names its own.
    if (config.access_token && !config.project) ctx.addIssue({ code: 'custom', path: ['project'], message: 'an access token names no project: set `project` (the GCP project the builds run in)' });
  });

export type GcpCloudBuildImageBuilderConfig = z.output<typeof GcpCloudBuildImageBuilderConfigSchema>;
