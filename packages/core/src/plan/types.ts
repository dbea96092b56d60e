import type { Warning } from '@stowage/plugin-api';
import type { LocalCodeContext } from '../plugins/contracts.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import type { ResolvedStep } from '../settings/resolveStepSettings.js';

/** What the planner needs to know about the stack (a snapshot: no live components). */
export interface PlanStack {
  name: string;
  /** Changes when a component's flavor or identifying config (registry URI, …) changes. */
  checksum: string;
  imageBuilder: { flavor: string; remote: boolean; platform?: string };
  containerRegistry?: { flavor: string; uri: string; defaultRepository?: string };
  artifactStore?: { flavor: string; remote: boolean };
  codeRepository?: { flavor: string; name: string };
  /** pip requirements the components need, sorted and unique. */
  requirements: readonly string[];
  aptPackages: readonly string[];
  /** Extra requirement files components contribute (`install_deployment_requirements`). */
  extraRequirementFiles: Readonly<Record<string, readonly string[]>>;
  defaultParentImage?: string;
}

export type RequirementSource = 'local' | 'stack' | 'deployment' | 'integration' | 'pyproject' | 'user';

export interface RequirementFile {
  /** `.stowage_<source>_requirements` (extra files keep their own names). */
  name: string;
  source: RequirementSource;
  content: string;
}

/** Results of the I/O done for one distinct resolved settings object (see gatherPlanInputs). */
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
}

export type CodeStrategy = 'code-repository' | 'artifact-store' | 'include' | 'none';

export interface PlanInputs {
  pipelineName: string;
  /** Python X.Y for the default parent image. */
  pythonVersion: string;
  /** Project-level default parent image (`pipeline.default_parent_image`). */
  defaultParentImage?: string;
  /** Folder of the config file: relative paths in settings resolve against it. */
  projectRoot: string;
  sourceRoot: string;
  stack: PlanStack;
  pipelineSettings: ResolvedDockerSettings;
  steps: readonly ResolvedStep[];
  /** Keyed by `settingsKey(settings)`. */
  gathered: Readonly<Record<string, GatheredInputs>>;
  codeRepository: LocalCodeContext | null;
  previousImages: readonly PreviousImage[];
  /** Reuse candidates that were checked and no longer exist. */
  unavailableImages?: readonly string[];
  /** `--prevent-build-reuse`. */
  preventBuildReuse?: boolean;
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
  /** Folders (absolute) left out of the context wherever they sit below `root`: Stowage's state. */
  exclude: string[];
}

export interface PlannedBuild {
  role: 'dockerfile' | 'generated';
  imageName: string;
  dockerfile: string;
  context: ContextSpec;
  buildOptions: Record<string, unknown>;
  platform?: string;
  /** Push to the stack registry after building. */
  push: boolean;
  checksum: string;
  checksumInputs: ChecksumInputs;
}

export type ImageAction = 'build' | 'use-parent' | 'skip-build' | 'reuse';

export interface PlannedImage {
  /** `pipeline` for the shared image, else the first step's name. */
  key: string;
  steps: string[];
  action: ImageAction;
  parentImage: string;
  /** The image the steps run in (for `reuse`, the recorded reference). */
  imageName: string;
  checksum: string;
  checksumInputs: ChecksumInputs;
  code: { strategy: CodeStrategy; reason: string };
  builds: PlannedBuild[];
  requirementFiles: RequirementFile[];
  aptPackages: string[];
  /** Why it is (re)built, or why it is not. */
  why: string[];
  reuse?: { buildId: string; imageReference: string };
  settings: ResolvedDockerSettings;
}

export interface BuildPlan {
  pipeline: string;
  /** Python X.Y the default parent image was chosen for. */
  pythonVersion: string;
  /** The code repository commit, when code is downloaded from a code repository. */
  codeCommit?: string;
  stack: { name: string; checksum: string };
  /** step → image key */
  steps: Record<string, string>;
  images: PlannedImage[];
  warnings: Warning[];
}
