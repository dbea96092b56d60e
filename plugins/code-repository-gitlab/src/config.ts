import { z } from 'zod';
import { secret } from '@stowage/plugin-api';

const TOKEN_DESCRIPTION =
  'GitLab access token (personal, group or project) with the `read_api` scope; optional for a public project. Write `${GITLAB_TOKEN}`, never the literal value (redacted when printed).';

const SEGMENT = '[A-Za-z0-9_][A-Za-z0-9_.-]*';

export const GitlabCodeRepositoryConfigSchema = z
  .object({
    project: z
      .string()
      .regex(new RegExp(`^${SEGMENT}(/${SEGMENT})+$`), 'expected the full project path like `group/project` or `group/subgroup/project`')
      .refine((path) => !/\.git$/i.test(path), 'write the project path without `.git`')
      .describe('Full path of the project, e.g. `group/subgroup/project` (without `.git`).'),
    url: z
      .url({ protocol: /^https?$/, error: 'expected the http(s) URL of the GitLab instance like `https://gitlab.example.com`' })
      // A URL is recorded in launch specs: credentials belong in `token`, never in the URL.
      .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), 'put credentials in `token`, not in the URL')
      .overwrite((url) => url.replace(/\/+$/, ''))
      .default('https://gitlab.com')
      .describe('GitLab instance URL (default: `https://gitlab.com`). For a GitLab under a relative URL root include it: `https://example.com/gitlab`.'),
    // The description goes on both: `secret()` carries the redaction marker, `.optional()` is what --help reads.
    token: secret(TOKEN_DESCRIPTION).optional().describe(TOKEN_DESCRIPTION),
    token_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name like `GITLAB_TOKEN`')
      .default('GITLAB_TOKEN')
      .describe('Name of the environment variable that holds a token inside the step container at run time, to download the code of a private project (default: `GITLAB_TOKEN`). Only the name is written into the image.'),
  })
  .strict();

export type GitlabCodeRepositoryConfig = z.output<typeof GitlabCodeRepositoryConfigSchema>;
