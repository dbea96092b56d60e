import { z } from 'zod';
import { gcpCredentialFields, gcpCredentialIssues } from '@stowage/gcp';
import { REPOSITORY_PATTERN } from '@stowage/oci';
import { AR_REPOSITORY_PATTERN, AR_URI_EXAMPLE, GCR_URI_EXAMPLE, LOCATION_PATTERN } from './googleRegistryUri.js';
import { locateRegistry } from './registryLocation.js';

export const GcpContainerRegistryConfigSchema = z
  .object({
    uri: z
      .string()
      .trim()
      // ZenML strips trailing slashes from `uri` so `<uri>/<repo>` never doubles them.
      .overwrite((uri) => uri.replace(/\/+$/, ''))
      .optional()
      .describe(
        `Where images go: an Artifact Registry repository, \`<location>-docker.pkg.dev/<project>/<repository>[/path]\` (\`${AR_URI_EXAMPLE}\`), or a Container Registry, \`[us.|eu.|asia.]gcr.io/<project>[/path]\` (\`${GCR_URI_EXAMPLE}\`). No scheme. Leave it out to have it made from \`project\`, \`location\` and \`repository\`.`,
      ),
    project: gcpCredentialFields.project.describe(
      "Project of the Artifact Registry repository (without `uri`; with `uri` it must match the uri's). Default: the `project_id` of `service_account_key`.",
    ),
    location: z
      .string()
      .regex(LOCATION_PATTERN, 'expected an Artifact Registry location like `us`, `europe` or `europe-west1`')
      .optional()
      .describe("Artifact Registry location (`us`, `europe`, `europe-west1`, …) of the repository, without `uri` (with `uri` it must match the uri's)."),
    repository: z
      .string()
      .regex(AR_REPOSITORY_PATTERN, 'expected an Artifact Registry repository id: lower-case letters, digits and hyphens, starting with a letter')
      .optional()
      .describe("Artifact Registry repository (it must exist: Stowage does not create it), without `uri` (with `uri` it must match the uri's)."),
    default_repository: z
      .string()
      .regex(new RegExp(`^${REPOSITORY_PATTERN}$`), 'expected a lower-case repository path like `stowage` or `team/images`')
      .optional()
      .describe('Image name (under `uri`) for images whose settings name no `target_repository` (default: `stowage`).'),
    registry_host: z
      .string()
      .trim()
      .optional()
      .describe(
        "A registry host (`host[:port]`) that is not Google's but takes Google access tokens, in place of Artifact Registry: a proxy in front of it, or a loopback registry in tests. Images are named on it: `<registry_host>/<project>/<repository>`, or `uri` on that host.",
      ),
    // The registry password is an access token: the key is exchanged for one (not sent as a self-signed JWT, as the other GCP plugins do).
    service_account_key: gcpCredentialFields.service_account_key.describe(
      "The JSON key of a service account (the content of the key file, redacted when printed). Write `${VAR}`, never the literal key. It is exchanged at Google's token endpoint for an access token, the registry password.",
    ),
    access_token: gcpCredentialFields.access_token,
    timeout_seconds: z.number().positive().max(600).default(30).describe('Timeout of each registry HTTP request, in seconds (default: 30).'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const issues = [...gcpCredentialIssues(config), ...(locateRegistry(config).issues ?? [])];
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });

export type GcpContainerRegistryConfig = z.output<typeof GcpContainerRegistryConfigSchema>;
