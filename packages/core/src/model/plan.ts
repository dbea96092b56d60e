// The shared vocabulary of every stage (DESIGN §1): what the stack looks like to the planner, what
// gather found, the plan's images and typed steps. Imports no stage; every stage imports it.
import type {
  ArtifactStoreDescription,
  BuildCheck,
  BuildOptions,
  CodeDownloadSpec,
  ContainerRegistryDescription,
  Finding,
  ImageBuilderDescription,
  ImagePresence,
  Warning,
} from '@stowage/plugin-api';
import type { FieldOrigin } from './origin.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import type { PipelineBuild } from './PipelineBuild.js';
import type { ResolvedStep } from './resolved.js';
import type { ContextFiles, InputChange, InputValues } from './inputChanges.js';
export type { BuildEvent } from '@stowage/plugin-api';
export type { ContextFiles, InputChange, InputValues, NamedCount } from './inputChanges.js';

/** What the planner needs to know about the stack: each component's pure `describe()`, no live components. */
export interface PlanStack {
  name: string;
  /** Changes when a component's flavor or identity (registry URI, builder platform, …) changes. */
  checksum: string;
  imageBuilder: { flavor: string; check?(build: BuildCheck): readonly Finding[] } & ImageBuilderDescription;
  containerRegistry?: { flavor: string } & ContainerRegistryDescription;
  artifactStore?: { flavor: string } & ArtifactStoreDescription;
  /** The project's registered code repositories (ZenML registers them per project, not per stack). */
  codeRepositories: readonly { name: string; flavor: string }[];
  /** pip requirements the components need, sorted and unique. */
  requirements: readonly string[];
  aptPackages: readonly string[];
  /** What the code repositories' flavors need: only images that download code from one get it (ZenML). */
  codeRepositoryRequirements?: { pip: readonly string[]; apt: readonly string[] };
  /** Extra requirement files components contribute (`install_deployment_requirements`). */
  extraRequirementFiles: Readonly<Record<string, readonly string[]>>;
  defaultParentImage?: string;
  /** Where the stack's `default_parent_image` is written, for errors about it. */
  defaultParentImageOrigin?: FieldOrigin;
  /** Where each component is configured (`image_builder` → its `flavor` key), for errors about it. */
  componentOrigins: Readonly<Record<string, FieldOrigin>>;
}

export type RequirementSource = 'local' | 'stack' | 'deployment' | 'integration' | 'pyproject' | 'user';

export interface RequirementFile {
  /** `.stowage_<source>_requirements` (extra files keep their own names). */
  name: string;
  source: RequirementSource;
  content: string;
}

/** Results of the I/O done for one distinct resolved settings object. */
export interface GatheredInputs {
  requirementFiles: RequirementFile[];
  /** apt packages of the required integrations. */
  integrationAptPackages: string[];
  /** The user's Dockerfile, if `dockerfile` is set. */
  userDockerfile?: { path: string; content: string };
  /** Digest of the files of `build_context_root` (for the Dockerfile image). */
  dockerfileContextDigest?: string;
  /** Digest of the source files that would be copied into the image (when code is included). */
  sourceDigest?: string;
}

/** A built image recorded in the build store, as the planner sees it for reuse and "why". */
export interface PreviousImage {
  buildId: string;
  created: string;
  stackName: string;
  stackChecksum: string;
  key: string;
  checksum: string;
  checksumInputs: ChecksumInputs;
  imageName: string;
  /** `name@sha256:…` when the image was pushed. */
  imageReference: string;
  /** The image's id on the engine that built it, when recorded (reuse checks identity, not a name). */
  imageId?: string;
  /** What its checksum inputs were, so that `plan` can say what changed. */
  values?: InputValues;
}

export type CodeStrategy = 'code-repository' | 'artifact-store' | 'include' | 'none';

/** The local checkout as core's GitCheckout found it, and what the matching code repository said of it. */
export interface CodeCheckoutState {
  root: string;
  commit: string;
  isDirty: boolean;
  /** The registered code repository whose remote the checkout has. */
  repository: string;
  /** The code repository said the commit is on a remote branch. */
  isPushed: boolean;
  /** Folder of the source root inside the checkout (`''` at its top). */
  subdirectory: string;
  /** How a container downloads this commit (the repository's answer). */
  download: CodeDownloadSpec;
}

/** The code archive of the source root for images that download code from the artifact store. */
export interface CodeArchiveState {
  /** `sha256:…` of the deterministic archive (tar.gz bytes). */
  digest: string;
  /** Already in the artifact store. */
  present: boolean;
  /** How its files were chosen: what git would ship, or `.dockerignore` rules outside a checkout. */
  selection: 'git' | 'dockerignore';
}

/** Where the images come from, for their OCI labels (`org.opencontainers.image.*`, `dev.stowage.*`). */
export interface Provenance {
  /** Commit of the source root's checkout. */
  revision?: string;
  /** URL of its repository (credentials removed). */
  source?: string;
  /** RFC 3339, reproducible: `SOURCE_DATE_EPOCH`, else the commit's time; absent otherwise. */
  created?: string;
  /** The Stowage version that plans the build. */
  version: string;
}

/** A build given with `build:` / `--build`, as gather loaded it. */
export interface GivenBuild {
  build: PipelineBuild;
  /** Where it came from: the store, or a file (relative to where it was named). */
  from: 'store' | 'file';
  /** The value as written (`--build` or `build:`). */
  reference: string;
  /** Already in the build store (a build file is saved there when it is not). */
  stored: boolean;
}

export interface PlanInputs {
  pipelineName: string;
  /** Python X.Y for the default parent image. */
  pythonVersion: string;
  /** Project-level default parent image (`pipeline.default_parent_image`). */
  defaultParentImage?: string;
  /** Folder of the config file: relative paths in settings resolve against it. */
  projectRoot: string;
  /** The config file (absolute): not pipeline code, so left out of code contexts and archives. */
  configFile?: string;
  sourceRoot: string;
  stack: PlanStack;
  /** What the images' OCI labels say of where they come from (gathered; never the wall clock). */
  provenance?: Provenance;
  pipelineSettings: ResolvedStep;
  steps: readonly ResolvedStep[];
  /** Keyed by `settingsKey(settings)`. */
  gathered: Readonly<Record<string, GatheredInputs>>;
  codeCheckout: CodeCheckoutState | null;
  codeArchive?: CodeArchiveState;
  previousImages: readonly PreviousImage[];
  /** Builds of this pipeline on this stack, newest first (for "existing build returned as-is"). */
  previousBuilds: readonly PipelineBuild[];
  /** The files of each context folder gathered, by its digest (`ChecksumInputs.context`). */
  contextFiles?: Readonly<Record<string, ContextFiles>>;
  /** Presence of reuse candidates, by image reference (asked of the registry or engine). */
  presence: Readonly<Record<string, ImagePresence>>;
  /** Staged contexts (remote builders) already in the artifact store, by key. */
  stagedContexts?: Readonly<Record<string, boolean>>;
  /** `--prevent-build-reuse`. */
  preventBuildReuse?: boolean;
  given?: GivenBuild;
}

/** Digests of everything an image's checksum covers; stored with builds to explain rebuilds. */
export interface ChecksumInputs {
  /** Per settings field: digest of its resolved value. */
  settings: Record<string, string>;
  dockerfile: string;
  /** Per requirement file name: digest of its content. */
  requirements: Record<string, string>;
  /** Digest of the files in the build context (source files, or build_context_root). */
  context?: string;
  parentImage: string;
  builder: string;
  platform?: string;
  buildOptions: string;
}

export interface ContextSpec {
  /** Folder whose files go into the context (absolute), or null for only the generated files. */
  root: string | null;
  /** Explicit .dockerignore replacing `<root>/.dockerignore` (absolute). */
  dockerignore?: string;
  /** Generated files (Dockerfile, requirement files): always in the context, never ignored. */
  extraFiles: { path: string; content: string }[];
  /** Paths (absolute) left out of the context wherever they sit below `root`: Stowage's state, the config file. */
  exclude: string[];
  /**
   * Folder of the context the files of `root` are put under (`stowage_code`), so generated files
   * (the Dockerfile) never shadow nor join the user's files of the same name; unset: at the top.
   */
  prefix?: string;
}

export type BuildRole = 'dockerfile' | 'generated';

/** Every kind of step the engine can take, each run by one executor. */
export type PlanStep =
  | UploadCodeArchiveStep
  | StageContextStep
  | DockerBuildStep
  | PushStep
  | AppendLayerStep
  | ReuseStep
  | TagStep
  | UseParentStep
  | SkipBuildStep;

export type PlanStepKind = PlanStep['kind'];

/** Uploads the deterministic code archive to the artifact store (images that download code). */
export interface UploadCodeArchiveStep {
  kind: 'upload-code-archive';
  key: string;
  destination: string;
  digest: string;
  /** The source root archived, how its files are chosen, and the folders left out of it (Stowage's state). */
  root: string;
  selection: 'git' | 'dockerignore';
  exclude: string[];
}

/** Uploads one build's context to the artifact store for a remote builder. */
export interface StageContextStep {
  kind: 'stage-context';
  image: string;
  role: BuildRole;
  key: string;
  destination: string;
  format: 'tar' | 'tar.gz' | 'zip';
  /** The context of the build it stages (the same as that docker-build step's). */
  context: ContextSpec;
}

export interface DockerBuildStep {
  kind: 'docker-build';
  image: string;
  role: BuildRole;
  imageName: string;
  dockerfile: string;
  context: ContextSpec;
  options: BuildOptions;
  builderOptions: Record<string, unknown>;
  platform?: string;
  /** The builder pushes as part of the build (`in-build` push). */
  pushInBuild: boolean;
  /** Where the stage-context step before it put the context. */
  stagedContext?: { key: string; destination: string };
  checksum: string;
  checksumInputs: ChecksumInputs;
}

export interface PushStep {
  kind: 'push';
  image: string;
  role: BuildRole;
  imageName: string;
  /** `<registry>/<repository>` being pushed to. */
  repository: string;
}

/**
 * Appends the image's code to its dependency image as layers, directly in the registry (no
 * Docker): the files COPY would ship, split into a few stable layers, each uploaded only when the
 * registry lacks it; then a new config and manifest, the tag last.
 */
export interface AppendLayerStep {
  kind: 'append-layer';
  image: string;
  /** The image made (the tag written last). */
  imageName: string;
  /** The dependency image appended to: built and pushed by the steps before (`build`), or recorded (`reuse`, by digest). */
  base: string;
  baseFrom: 'build' | 'reuse';
  /** The code's files: the source root as the Docker build's COPY would ship it (no prefix, no generated files). */
  context: ContextSpec;
  /** Where the files go in the image (the working directory). */
  destination: string;
  /** `user` of the settings: the files are owned as `chown -R <user>` would leave them. */
  user?: string;
  /** OCI labels of the image (the dependency image's, with this image's checksum). */
  labels: Record<string, string>;
  /** RFC 3339 time of the layers and history (provenance), else the epoch. */
  created?: string;
  /** The project's state folder: the stat cache and the layer cache live below it. */
  cacheDir: string;
  /** The registry's API is plain http (its description's `insecure`; default: loopback hosts only). */
  insecure?: boolean;
  checksum: string;
  checksumInputs: ChecksumInputs;
}

export interface ReuseStep {
  kind: 'reuse';
  image: string;
  imageReference: string;
  buildId: string;
}

/**
 * Gives a reused image the name the plan gives it (a changed `image_tag` or `target_repository`):
 * the manifest is copied in the registry, or the image tagged on the engine. Nothing is rebuilt.
 */
export interface TagStep {
  kind: 'tag';
  image: string;
  /** The recorded image (`name@sha256:…` when pushed). */
  source: string;
  imageName: string;
  /** In the stack's registry, or on the builder's engine (no registry). */
  where: 'registry' | 'engine';
  /** The registry's API is plain http (its description's `insecure`; default: loopback hosts only). */
  insecure?: boolean;
}

export interface UseParentStep {
  kind: 'use-parent';
  image: string;
  imageName: string;
}

export interface SkipBuildStep {
  kind: 'skip-build';
  image: string;
  imageName: string;
}

export type ImageAction = 'build' | 'use-parent' | 'skip-build' | 'reuse';

export interface PlannedImage {
  /** `pipeline` for the shared image, else the first step's name. */
  key: string;
  /** The pipeline steps that run in it. */
  steps: string[];
  action: ImageAction;
  parentImage: string;
  /** The image the steps run in (for `reuse`, the recorded reference). */
  imageName: string;
  checksum: string;
  checksumInputs: ChecksumInputs;
  code: { strategy: CodeStrategy; reason: string };
  /** What the engine does for this image, in order. */
  buildSteps: PlanStep[];
  requirementFiles: RequirementFile[];
  aptPackages: string[];
  /** Why it is (re)built, or why it is not. */
  why: string[];
  /** What changed since the last build of the image on this stack, when it is rebuilt for that. */
  changes?: InputChange[];
  /** The files of its builds' context folders, by digest (what `plan` shows of them; recorded with builds). */
  contexts?: Record<string, ContextFiles>;
  /**
   * Images whose code is appended as layers (DESIGN §5): the dependency image, content-addressed
   * without the code; `reuse` when a recorded one is still in the registry (then only the code
   * layers are appended).
   */
  dependencies?: { imageName: string; checksum: string; checksumInputs: ChecksumInputs; reuse?: { buildId: string; imageReference: string } };
  /** How the code reaches the image when it is included: appended as layers, or copied by the Docker build (and why). */
  codeDelivery?: { mode: 'append-layer' | 'docker-build'; reason: string };
  /** `retag`: the recorded image gets the planned name (`imageName`) with a `tag` step. */
  reuse?: { buildId: string; imageReference: string; retag?: boolean; imageId?: string };
  settings: ResolvedDockerSettings;
}

/** What `build` ends with: a new record, an earlier one returned as-is, or the given one. */
export type PlanOutcome =
  | { kind: 'new-build' }
  | { kind: 'existing-build'; buildId: string }
  | { kind: 'given-build'; buildId: string; from: 'store' | 'file'; reference: string; save: boolean; build: PipelineBuild };

export interface BuildPlan {
  pipeline: string;
  /** Python X.Y the default parent image was chosen for. */
  pythonVersion: string;
  /** The code repository commit, when code is downloaded from a code repository. */
  codeCommit?: string;
  /** The checkout of a registered code repository the source root is in (shown whether or not it is used). */
  checkout?: { repository: string; commit: string; isDirty: boolean; isPushed: boolean };
  /** Where containers download that commit from (the code repository's answer), when they do. */
  codeDownload?: { repository: string; subdirectory: string; spec: CodeDownloadSpec };
  /** The code archive, when images download code from the artifact store. */
  codeArchive?: { digest: string; uri: string; key: string };
  stack: { name: string; checksum: string };
  /** pipeline step → image key */
  steps: Record<string, string>;
  /** pipeline step → its command (`command:` of the step; a string runs through `/bin/sh -c`), or null. */
  commands: Record<string, string[] | null>;
  images: PlannedImage[];
  /** Steps before any image (the code archive upload). */
  preSteps: PlanStep[];
  outcome: PlanOutcome;
  warnings: Warning[];
}
