import type { Readable } from 'node:stream';

/** The plugin API version this core implements. A plugin built for another version is rejected. */
export const PLUGIN_API_VERSION = 1 as const;

export const COMPONENT_KINDS = ['image-builder', 'container-registry', 'artifact-store', 'code-repository'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// Image builders

export interface ImageBuilderCapabilities {
  /** Builds somewhere else than this machine (needs the context uploaded, a registry to push). */
  remote: boolean;
  /** Can push the built image to the stack's registry. */
  push: boolean;
  /** Platforms it can build for (`linux/amd64`, …); empty means "the builder's own". */
  platforms: readonly string[];
  /** Supports build secrets. */
  secrets: boolean;
  /** Supports `RUN --mount=type=cache`. */
  cacheMounts: boolean;
}

export type BuildEvent =
  | { type: 'log'; line: string }
  | { type: 'step'; step: string }
  | { type: 'status'; message: string }
  | { type: 'push'; message: string };

/** A build context: opened as a fresh deterministic tar stream each time it is needed. */
export interface BuildContextSource {
  open(): Readable;
  /** `sha256:<hex>` of the archive bytes (computed by streaming it once). */
  digest(): Promise<string>;
}

export interface ImageBuildRequest {
  /** Full name to tag the image with (`<registry>/<repo>:<tag>` or `<repo>:<tag>`). */
  imageName: string;
  context: BuildContextSource;
  /** docker-py style build options (`buildargs`, `target`, `platform`, `pull`, `labels`, …). */
  options: Readonly<Record<string, unknown>>;
  /** When given, push the image there and report its digest. */
  registry?: ContainerRegistry;
  platform?: string;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
}

export interface ImageBuildResult {
  imageName: string;
  /** `sha256:…` of the pushed manifest (when pushed). */
  digest?: string;
}

export interface ImageBuilder {
  readonly capabilities: ImageBuilderCapabilities;
  build(request: ImageBuildRequest): Promise<ImageBuildResult>;
  /** Whether an image exists where this builder builds (local builders). */
  imageExists?(imageName: string): Promise<ImagePresence>;
}

// ---------------------------------------------------------------------------------------------
// Container registries

export type ImagePresence = 'present' | 'absent' | 'unknown';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface ContainerRegistry {
  /** e.g. `127.0.0.1:5000`, `ghcr.io/acme`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly uri: string;
  readonly defaultRepository?: string;
  credentials(): Promise<RegistryCredentials | null>;
  /** Asks the registry (never assumes): `unknown` when it cannot tell. */
  imageExists(reference: string): Promise<ImagePresence>;
  /** Called before pushing to a repository (e.g. to create it on ECR). */
  prepareRepository?(repository: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Artifact stores

export interface ArtifactStore {
  /** Root of the store, e.g. `/abs/.stowage/artifacts` or `s3://bucket/prefix`. */
  readonly path: string;
  exists(key: string): Promise<boolean>;
  put(key: string, data: Readable | Uint8Array | string): Promise<void>;
  get(key: string): Promise<Readable>;
  url(key: string): string;
}

// ---------------------------------------------------------------------------------------------
// Code repositories

export interface LocalCodeContext {
  root: string;
  commit: string;
  isDirty: boolean;
  hasUnpushedChanges: boolean;
}

/** What the in-image bootstrap needs to fetch the code of one commit. */
export interface CodeDownloadSpec {
  kind: string;
  url: string;
  commit: string;
  subdirectory?: string;
}

export interface CodeRepository {
  matchesRemote(url: string): boolean;
  localContext(path: string): Promise<LocalCodeContext | null>;
  downloadSpec(commit: string, subdirectory?: string): CodeDownloadSpec;
}

// ---------------------------------------------------------------------------------------------
// Requirement exporters (plugin contributions, not stack components)

export type EnvironmentExportMethod = true | 'pip_freeze' | 'poetry_export' | readonly string[];

export interface ExportContext {
  /** The project folder (config file folder). */
  projectRoot: string;
  signal?: AbortSignal;
}

export interface ExportResult {
  /** requirements.txt text. */
  requirements: string;
  /** Lines removed from the export (editable / local-path requirements), with why. */
  dropped?: { line: string; reason: string }[];
  /** The command that produced it, for messages. */
  command: string;
}

export interface RequirementsExporter {
  /** `pip`, `uv`, `poetry`, … */
  readonly name: string;
  /**
   * Exports a pyproject's dependencies with the exporter's default command. (A custom
   * `pyproject_export_command` is run by core itself; `command` is always undefined today.)
   */
  exportPyproject?(directory: string, command: readonly string[] | undefined, ctx: ExportContext): Promise<ExportResult>;
  /** Exports the local Python environment for `replicate_local_python_environment`. */
  exportEnvironment?(method: EnvironmentExportMethod, ctx: ExportContext): Promise<ExportResult>;
}

/** An entry of the integration catalog (`required_integrations`). */
export interface IntegrationDefinition {
  /** Lower-case name, e.g. `pytorch`. */
  name: string;
  requirements: readonly string[];
  aptPackages?: readonly string[];
  description?: string;
}
