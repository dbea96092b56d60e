import { z } from 'zod';

const ChecksumInputsSchema = z.object({
  settings: z.record(z.string(), z.string()),
  dockerfile: z.string(),
  requirements: z.record(z.string(), z.string()),
  context: z.string().optional(),
  parentImage: z.string(),
  builder: z.string(),
  platform: z.string().optional(),
  buildOptions: z.string(),
});

export const BuildImageSchema = z.object({
  key: z.string(),
  steps: z.array(z.string()),
  /** What happened to the image in this build. */
  action: z.enum(['built', 'reused', 'use-parent', 'skip-build']),
  imageName: z.string(),
  /** `sha256:…` of the pushed manifest, when pushed. */
  digest: z.string().optional(),
  /** What steps should run: `name@digest` when pushed, else the name. */
  imageReference: z.string(),
  checksum: z.string(),
  checksumInputs: ChecksumInputsSchema,
  /** Generated/user Dockerfiles (credentials redacted). */
  dockerfiles: z.array(z.object({ role: z.enum(['dockerfile', 'generated']), imageName: z.string(), content: z.string() })),
  /** Requirement files (credentials redacted). */
  requirements: z.array(z.object({ name: z.string(), source: z.string(), content: z.string() })),
  containsCode: z.boolean(),
  codeStrategy: z.string(),
  platform: z.string().optional(),
  /** For reused images: the build they were built in. */
  reusedFrom: z.string().optional(),
});

export const PipelineBuildSchema = z.object({
  id: z.string().min(1),
  pipeline: z.string(),
  stack: z.object({ name: z.string(), checksum: z.string() }),
  /** Over the images' keys and checksums, in order. */
  checksum: z.string(),
  images: z.array(BuildImageSchema),
  containsCode: z.boolean(),
  /** A registry was in the stack (images are referenced by digest). */
  isLocal: z.boolean(),
  codeReference: z.object({ commit: z.string(), subdirectory: z.string().optional() }).optional(),
  /** The code archive in the artifact store, for images that download their code from it. */
  codeArchive: z.object({ url: z.string(), digest: z.string() }).optional(),
  toolVersion: z.string(),
  pythonVersion: z.string(),
  created: z.string(),
  durationSeconds: z.number(),
});

export type PipelineBuild = z.infer<typeof PipelineBuildSchema>;
export type BuildImage = z.infer<typeof BuildImageSchema>;
