import { z } from 'zod';
import { awsCredentialFields, credentialIssues } from '@stowage/aws';
import { REPOSITORY_PATTERN } from '@stowage/oci';
import { ECR_URI_EXAMPLE, locateRegistry, parseEcrUri } from './ecrUri.js';

const httpUrl = (example: string) => z.url({ protocol: /^https?$/, error: `expected an http(s) URL like \`${example}\`` });

export const EcrContainerRegistryConfigSchema = z
  .object({
    uri: z
      .string()
      .trim()
      .overwrite((uri) => uri.replace(/\/+$/, ''))
      .refine((uri) => locateRegistry(uri) !== undefined, {
        message: `expected an ECR registry like \`${ECR_URI_EXAMPLE}\` (optionally with a repository path: \`${ECR_URI_EXAMPLE}/team\`), without scheme; in tests, a loopback registry like \`127.0.0.1:5000\` with \`region\``,
      })
      .describe(
        `Where images go: the account's ECR registry, \`<account>.dkr.ecr.<region>.amazonaws.com\`, optionally with a repository path (\`${ECR_URI_EXAMPLE}/team\`). In tests, a loopback registry (\`127.0.0.1:<port>\`) standing in for it, with \`region\` and \`endpoint\`.`,
      ),
    default_repository: z
      .string()
      .regex(new RegExp(`^${REPOSITORY_PATTERN}$`), 'expected a lower-case repository path like `stowage` or `team/images`')
      .optional()
      .describe('Repository (under `uri`) for images whose settings name no `target_repository` (default: `stowage`).'),
    region: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'expected an AWS region like `eu-west-1`')
      .optional()
      .describe("AWS region of the ECR API (default: the uri's region; required with a loopback `uri`, which names none)."),
    endpoint: httpUrl('https://api.ecr.eu-west-1.amazonaws.com')
      .optional()
      .describe("Endpoint URL of the ECR API instead of AWS's: a VPC interface endpoint (`com.amazonaws.<region>.ecr.api`) or a test emulator."),
    ...awsCredentialFields,
    timeout_seconds: z.number().positive().max(600).default(30).describe('Timeout of each registry HTTP request, in seconds (default: 30).'),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of [...regionIssues(config), ...credentialIssues(config)]) ctx.addIssue({ code: 'custom', ...issue });
  });

export type EcrContainerRegistryConfig = z.output<typeof EcrContainerRegistryConfigSchema>;

interface Issue {
  path: string[];
  message: string;
}

/**
 * A region other than the uri's would sign for another region's registry: its tokens would not
 * open this one. A loopback uri names no region, so it needs one.
 */
export function regionIssues(config: { uri: string; region?: string }): Issue[] {
  if (!config.region && locateRegistry(config.uri) && !parseEcrUri(config.uri)) {
    return [{ path: ['region'], message: 'a loopback `uri` names no region: set `region` (the ECR API’s, e.g. the emulator’s `us-east-1`)' }];
  }
  const fromUri = parseEcrUri(config.uri)?.region;
  if (!config.region || !fromUri || config.region === fromUri) return [];
  return [{ path: ['region'], message: `\`region\` is ${config.region} but the registry \`uri\` is in ${fromUri}: remove \`region\` (it comes from the uri) or fix one of them` }];
}
