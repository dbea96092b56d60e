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
  /** The image's id on the engine that built it: without a registry, reuse checks the name still names it. */
  imageId: z.string().optional(),
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
  /** Seconds its steps took in this build (absent in records written before Stowage recorded it). */
  durationSeconds: z.number().min(0).optional(),
  /** The image's size in bytes, when its builder reported one. */
  sizeBytes: z.number().int().min(0).optional(),
  /** Resolved values of the settings fields its checksum covers (credentials hidden), so a later plan says old → new. */
  settingValues: z.record(z.string(), z.unknown()).optional(),
  /**
   * An image whose code was appended as layers: the dependency image it was appended to (built
   * in this build, or reused from `reusedFrom`), which a later code-only change appends to again.
   */
  dependencyImage: z
    .object({
      imageName: z.string(),
      imageReference: z.string(),
      checksum: z.string(),
      checksumInputs: ChecksumInputsSchema,
      reusedFrom: z.string().optional(),
    })
    .optional(),
});

/** A context folder's files (`ContextFiles`): count, bytes, and each file's digest up to a limit. */
const ContextFilesSchema = z.object({
  count: z.number().int().min(0),
  bytes: z.number().min(0),
  files: z.record(z.string(), z.string()).optional(),
});

const CodeLaunchSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('code-repository'),
    repository: z.string(),
    commit: z.string(),
    /** The archive URL of the commit; the bootstrap follows redirects (dropping auth on another host). */
    url: z.string(),
    format: z.enum(['tar.gz', 'tar']),
    strip: z.number().int().min(0),
    subdirectory: z.string().optional(),
    auth: z.object({ header: z.string(), prefix: z.string(), tokenEnv: z.string() }).optional(),
  }),
  z.object({
    source: z.literal('artifact-store'),
    /** The archive's location in the store; whoever launches the step presigns a URL for it. */
    uri: z.string(),
    key: z.string(),
    sha256: z.string(),
    format: z.enum(['tar.gz', 'tar']),
  }),
]);

/** What an orchestrator (or `stowage run`) needs to start one step's container. */
export const LaunchSpecSchema = z.object({
  image: z.string(),
  /** The command, wrapped by the code bootstrap when the code is downloaded; null: the image's own. */
  command: z.array(z.string()).nullable(),
  /** Run-time environment the container needs (never a secret value). */
  environment: z.record(z.string(), z.string()),
  /** Names of variables whose values the launcher passes from its own environment (tokens). */
  secretEnvironment: z.array(z.string()),
  code: CodeLaunchSchema.optional(),
});

export type LaunchSpec = z.infer<typeof LaunchSpecSchema>;

/**
 * A build id, and so the name of its record's file (`<id>.json`): nothing but a plain name, so a
 * build file shared from CI cannot write `../../x.json` and `builds delete` cannot unlink outside the store.
 */
export const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const PipelineBuildSchema = z.object({
  id: z.string().regex(BUILD_ID, 'expected a build id of letters, digits, `.`, `_` and `-`'),
  pipeline: z.string(),
  stack: z.object({ name: z.string(), checksum: z.string() }),
  /** Over the images' keys and checksums, in order. */
  checksum: z.string(),
  images: z.array(BuildImageSchema),
  containsCode: z.boolean(),
  /** A registry was in the stack (images are referenced by digest). */
  isLocal: z.boolean(),
  codeReference: z.object({ commit: z.string(), subdirectory: z.string().optional(), repository: z.string().optional() }).optional(),
  /** The code archive in the artifact store, for images that download their code from it. */
  codeArchive: z.object({ url: z.string(), digest: z.string(), key: z.string().optional() }).optional(),
  /** How to run each step: image, command, run-time environment (secrets as variable names only). */
  launch: z.record(z.string(), LaunchSpecSchema).optional(),
  /** The files of the images' context folders, by digest (`checksumInputs.context`): a later plan names changed files. */
  contextFiles: z.record(z.string(), ContextFilesSchema).optional(),
  toolVersion: z.string(),
  pythonVersion: z.string(),
  created: z.string(),
  durationSeconds: z.number(),
});

export type PipelineBuild = z.infer<typeof PipelineBuildSchema>;
export type BuildImage = z.infer<typeof BuildImageSchema>;
