import { z } from 'zod';
import { secret } from '@stowage/plugin-api';
import { parseRegistryUri, REPOSITORY_PATTERN } from '@stowage/oci';

const URI_HINT =
  'a registry host with an optional port and path, without scheme, e.g. `127.0.0.1:5000`, `ghcr.io/acme` or `registry.gitlab.com/group/project` (plain http: set `insecure: true`)';

const PASSWORD_DESCRIPTION = 'Registry password or access token (redacted when printed). Write `${VAR}`, never the literal value.';

export const OciContainerRegistryConfigSchema = z
  .object({
    uri: z
      .string()
      .trim()
      // ZenML strips trailing slashes from `uri` so `<uri>/<repo>` never doubles them.
      .overwrite((uri) => uri.replace(/\/+$/, ''))
      .refine((uri) => parseRegistryUri(uri) !== undefined, { message: `expected ${URI_HINT}` })
      .describe(`Where images go: ${URI_HINT}. Docker Hub is \`docker.io/<user or org>\`.`),
    default_repository: z
      .string()
      .regex(new RegExp(`^${REPOSITORY_PATTERN}$`), 'expected a lower-case repository path like `stowage` or `team/images`')
      .optional()
      .describe('Repository (under `uri`) for images whose settings name no `target_repository` (default: `stowage`).'),
    username: z
      .string()
      .min(1)
      .optional()
      .describe('Registry user. With `password`, overrides the Docker config file. Use `${VAR}` to read it from the environment.'),
    // The description goes on both: `secret()` carries the redaction marker, `.optional()` is what --help reads.
    password: secret(PASSWORD_DESCRIPTION).optional().describe(PASSWORD_DESCRIPTION),
    docker_config: z
      .string()
      .min(1)
      .optional()
      .describe('Docker config.json to read logins from when no username/password is set (relative to the config file; default: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`).'),
    insecure: z
      .boolean()
      .optional()
      .describe('Talk plain http instead of https (default: true for localhost, 127.0.0.0/8 and ::1, false otherwise).'),
    timeout_seconds: z
      .number()
      .positive()
      .max(600)
      .default(30)
      .describe('Timeout of each registry HTTP request, in seconds (default: 30).'),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of credentialPairIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type OciContainerRegistryConfig = z.output<typeof OciContainerRegistryConfigSchema>;

/** A username without a password (or the reverse) is almost always a missing `${VAR}`: say so. */
export function credentialPairIssues(config: { username?: string; password?: string }): { path: string[]; message: string }[] {
  if (config.username && !config.password) {
    return [{ path: ['password'], message: '`username` is set but `password` is not: set both, or neither to use the Docker config file' }];
  }
  if (config.password && !config.username) {
    return [{ path: ['username'], message: '`password` is set but `username` is not: set both, or neither to use the Docker config file' }];
  }
  return [];
}
