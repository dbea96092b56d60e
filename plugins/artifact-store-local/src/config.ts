import { z } from 'zod';

export const LocalArtifactStoreConfigSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .default('.stowage/artifacts')
      .describe('Folder of the store, relative to the config file (default: .stowage/artifacts).'),
  })
  .strict();

export type LocalArtifactStoreConfig = z.output<typeof LocalArtifactStoreConfigSchema>;
