import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type {
  ArtifactStore,
  CodeDownloadSpec,
  CodeRepository,
  ContainerRegistry,
  ImageBuilder,
  ImageBuilderCapabilities,
  ImageBuildRequest,
  ImageBuildResult,
  ImagePresence,
  LocalCodeContext,
  RegistryCredentials,
} from '@stowage/core';
import { StowageError } from '@stowage/core';
import { readContextArchive, type ArchiveEntry } from './readContextArchive.js';

export interface RecordedBuild {
  imageName: string;
  options: Readonly<Record<string, unknown>>;
  platform?: string;
  pushedTo?: string;
  files: ArchiveEntry[];
  dockerfile: string;
}

/** An image builder that records what it was asked to build and "builds" instantly. */
export class FakeImageBuilder implements ImageBuilder {
  readonly builds: RecordedBuild[] = [];
  readonly images = new Set<string>();
  /** Make the next builds of these image names fail with BUILD_FAILED. */
  readonly failing = new Set<string>();

  constructor(readonly capabilities: ImageBuilderCapabilities = { remote: false, push: true, platforms: [], secrets: false, cacheMounts: false }) {}

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const files = await readContextArchive(request.context.open());
    const dockerfile = files.find((f) => f.name === 'Dockerfile')?.content ?? '';
    request.onEvent({ type: 'step', step: 'Step 1/1 : FROM (fake)' });
    if (request.signal.aborted) throw new StowageError('cancelled', { code: 'BUILD_CANCELLED' });
    if (this.failing.has(request.imageName)) {
      throw new StowageError(`building ${request.imageName} failed (fake)`, { code: 'BUILD_FAILED', details: ['RUN false'] });
    }
    this.builds.push({ imageName: request.imageName, options: request.options, platform: request.platform, pushedTo: request.registry?.uri, files, dockerfile });
    this.images.add(request.imageName);
    if (!request.registry) return { imageName: request.imageName };
    const digest = `sha256:${createHash('sha256').update(request.imageName + dockerfile).digest('hex')}`;
    if (request.registry instanceof FakeContainerRegistry) request.registry.pushed.set(request.imageName, digest);
    return { imageName: request.imageName, digest };
  }

  async imageExists(imageName: string): Promise<ImagePresence> {
    return this.images.has(imageName) ? 'present' : 'absent';
  }
}

/** A registry that knows what was pushed to it (by tag and by digest). */
export class FakeContainerRegistry implements ContainerRegistry {
  readonly pushed = new Map<string, string>();

  constructor(
    readonly uri: string,
    readonly defaultRepository?: string,
    private readonly creds: RegistryCredentials | null = null,
  ) {}

  async credentials(): Promise<RegistryCredentials | null> {
    return this.creds;
  }

  async imageExists(reference: string): Promise<ImagePresence> {
    const [name, digest] = reference.split('@');
    // By digest: a pushed image of exactly that repository (name without its tag) with that digest.
    if (digest) return [...this.pushed].some(([n, d]) => d === digest && repository(n) === name) ? 'present' : 'absent';
    return this.pushed.has(reference) ? 'present' : 'absent';
  }
}

/** An artifact store in memory. */
export class InMemoryArtifactStore implements ArtifactStore {
  readonly objects = new Map<string, Buffer>();

  constructor(readonly path = 'memory://artifacts') {}

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async put(key: string, data: Readable | Uint8Array | string): Promise<void> {
    if (typeof data === 'string' || data instanceof Uint8Array) {
      this.objects.set(key, Buffer.from(data));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of data) chunks.push(Buffer.from(c as Uint8Array));
    this.objects.set(key, Buffer.concat(chunks));
  }

  async get(key: string): Promise<Readable> {
    const data = this.objects.get(key);
    if (!data) throw new StowageError(`no artifact ${key}`, { code: 'USAGE' });
    return Readable.from([data]);
  }

  url(key: string): string {
    return `${this.path}/${key}`;
  }
}

/** A code repository whose local checkout state is set by the test. */
export class FakeCodeRepository implements CodeRepository {
  constructor(
    public context: LocalCodeContext | null,
    readonly url = 'https://git.example.com/acme/pipelines.git',
  ) {}

  matchesRemote(url: string): boolean {
    return url === this.url;
  }

  async localContext(): Promise<LocalCodeContext | null> {
    return this.context;
  }

  downloadSpec(commit: string, subdirectory?: string): CodeDownloadSpec {
    return { kind: 'fake', url: this.url, commit, subdirectory };
  }
}

function repository(imageName: string): string {
  const colon = imageName.lastIndexOf(':');
  return colon > imageName.lastIndexOf('/') ? imageName.slice(0, colon) : imageName;
}
