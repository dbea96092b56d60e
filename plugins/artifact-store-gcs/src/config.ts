import { z } from 'zod';
import { gcpCredentialFields, gcpCredentialIssues } from '@stowage/gcp';
import { readGcsPath } from './gcsPath.js';

export const GcsArtifactStoreConfigSchema = z
  .object({
    path: z
      .string()
      .superRefine((path, ctx) => {
        const read = readGcsPath(path);
        if ('problem' in read) ctx.addIssue({ code: 'custom', message: read.problem });
      })
      .describe('Bucket and optional folder of the store: `gs://<bucket>[/<folder>]`. Keys go below the folder.'),
    ...gcpCredentialFields,
    endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL like `https://storage-acme.p.googleapis.com`' })
      .optional()
      .describe('JSON API endpoint instead of https://storage.googleapis.com: a Private Service Connect endpoint, or a test emulator.'),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of gcpCredentialIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type GcsArtifactStoreConfig = z.output<typeof GcsArtifactStoreConfigSchema>;
