import type { Readable } from 'node:stream';
import type { BuildOptionField, BuildOptions } from '../BuildOptions.js';
import type { Finding } from '../findings.js';
import type { ImagePresence } from '../ImageRef.js';
import type { ArtifactLocation } from './ArtifactStore.js';

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
  /** The context with `Dockerfile` at its root. */
  context: BuildContextSource;
  /** Where the plan's `stage-context` step put the context (builders that stage contexts). */
  stagedContext?: ArtifactLocation;
  options: BuildOptions;
  /** `build_config.builder_options.<flavor>`: the escape hatch for what BuildOptions cannot say. */
  builderOptions: Readonly<Record<string, unknown>>;
  /** Push to the stack's registry as part of the build (only builders whose push is `in-build`). */
  push: boolean;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
}

export interface ImageBuildResult {
  imageName: string;
  /** `sha256:…` of the pushed manifest, when the build pushed. */
  digest?: string;
  /**
   * The image's id where it was built (`sha256:…`, local builders): recorded, so that reuse
   * without a registry checks that the name still names this image, not just that it exists.
   */
  imageId?: string;
  /** The built image's size in bytes where it was built (the engine's `Size`); builders that cannot tell leave it out. */
  sizeBytes?: number;
}

export interface ImagePushRequest {
  imageName: string;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
}

export interface ImageBuilder {
  build(request: ImageBuildRequest): Promise<ImageBuildResult>;
  /** Pushes a built image to the stack's registry (builders whose push is `separate`); returns its digest. */
  push?(request: ImagePushRequest): Promise<{ digest: string }>;
  /**
   * Whether an image exists where this builder builds (local builders). With `imageId` (what its
   * build returned), `present` only when the name still names that image: a fixed tag rebuilt
   * from other settings since is `absent`; a builder that cannot tell answers `unknown`.
   */
  imageExists?(imageName: string, imageId?: string): Promise<ImagePresence>;
}

export interface ImageBuilderCapabilities {
  /**
   * How built images reach the stack's registry: a `push` step after the build (`separate`), as
   * part of the build (`in-build`, remote builders), or not at all (`none`).
   */
  push: 'separate' | 'in-build' | 'none';
  /** Platforms it can build for; empty means only the builder's own. */
  platforms: readonly string[];
  /**
   * Reads its context from the stack's artifact store, uploaded beforehand in this format by the
   * plan's `stage-context` step (remote builders); false when it takes the context stream.
   */
  stagesContext: false | 'tar' | 'tar.gz' | 'zip';
  /** Every secret the build needs reaches the build service as a reference it resolves itself, never as a value it keeps or shows. */
  secrets: boolean;
  /** Supports `RUN --mount=type=cache`. */
  cacheMounts: boolean;
  /** The BuildOptions fields it honours; setting another one is a plan-time warning. */
  buildOptions: readonly BuildOptionField[];
}

/** What planning needs to know about an image builder, from its config alone (no SDK). */
export interface ImageBuilderDescription {
  /** Builds somewhere else than this machine. */
  remote: boolean;
  /** The platform it builds for when none is asked. */
  platform?: string;
  capabilities: ImageBuilderCapabilities;
  /** Config values that change what it builds (enter the stack checksum). */
  identity?: Readonly<Record<string, unknown>>;
}

/** What a flavor's `check()` sees of one planned build, at plan time. */
export interface BuildCheck {
  imageName: string;
  options: BuildOptions;
  builderOptions: Readonly<Record<string, unknown>>;
  platform?: string;
}

export type BuildCheckFn<C> = (config: C, build: BuildCheck) => readonly Finding[];
