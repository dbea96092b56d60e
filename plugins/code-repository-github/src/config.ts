import { z } from 'zod';
import { secret } from '@stowage/plugin-api';

const TOKEN_DESCRIPTION =
  'GitHub token that can read the repository (classic `repo` scope, or fine-grained "Contents: read"); optional for a public repository. Write `${GITHUB_TOKEN}`, never the literal value (redacted when printed).';

export const GithubCodeRepositoryConfigSchema = z
  .object({
    owner: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'expected a GitHub user or organisation name like `acme`')
      .describe('User or organisation that owns the repository, e.g. `acme`.'),
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'expected a repository name like `pipelines`')
      .refine((name) => !/\.git$/i.test(name) && name !== '.' && name !== '..', 'write the repository name without `.git`')
      .describe('Repository name, e.g. `pipelines` (without `.git`).'),
    host: z
      .string()
      .toLowerCase()
      .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, 'expected a host name like `github.com` or `github.acme.com`, without scheme or path')
      .default('github.com')
      .describe('Web host the remotes point at: `github.com` (default), a GitHub Enterprise Server host (e.g. `github.acme.com`) or a GitHub Enterprise Cloud data-residency host (`<subdomain>.ghe.com`).'),
    api_url: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL like `https://github.acme.com/api/v3`' })
      // A URL is recorded in launch specs: credentials belong in `token`, never in the URL.
      .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), 'put credentials in `token`, not in the URL')
      .overwrite((url) => url.replace(/\/+$/, ''))
      .optional()
      .describe('REST API root (default: `https://api.github.com` for github.com, `https://api.<subdomain>.ghe.com` for `<subdomain>.ghe.com`, `https://<host>/api/v3` for GitHub Enterprise Server).'),
    // The description goes on both: `secret()` carries the redaction marker, `.optional()` is what --help reads.
    token: secret(TOKEN_DESCRIPTION).optional().describe(TOKEN_DESCRIPTION),
    token_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name like `GITHUB_TOKEN`')
      .default('GITHUB_TOKEN')
      .describe('Name of the environment variable that holds a token inside the step container at run time, to download the code of a private repository (default: `GITHUB_TOKEN`). Only the name is written into the image.'),
  })
  .strict();

export type GithubCodeRepositoryConfig = z.output<typeof GithubCodeRepositoryConfigSchema>;

/**
 * `api_url`, else GitHub's own layout: api.github.com for github.com, `api.<host>` for GitHub
 * Enterprise Cloud with data residency (`<subdomain>.ghe.com`), `https://<host>/api/v3` for
 * GitHub Enterprise Server.
 */
export function apiUrlOf(config: Pick<GithubCodeRepositoryConfig, 'host' | 'api_url'>): string {
  if (config.api_url) return config.api_url;
  if (config.host === 'github.com') return 'https://api.github.com';
  return /^[a-z0-9-]+\.ghe\.com$/.test(config.host) ? `https://api.${config.host}` : `https://${config.host}/api/v3`;
}
