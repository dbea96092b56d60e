import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  StowageError,
  type ArtifactLocation,
  type ArtifactStore,
  type CodeDownloadSpec,
  type CodeRepository,
  type ContainerRegistry,
  type DependencyHandle,
  type ImageBuilder,
  type ImageBuildRequest,
  type ImageBuildResult,
  type ImagePresence,
  type ImagePushRequest,
  type PutOptions,
  type RegistryAuth,
  type RegistryAuthScope,
  parseImageReference,
  repositoryOf,
} from '@stowage/plugin-api';
import { readContextArchive, type ArchiveEntry } from './readContextArchive.js';

export interface RecordedBuild {
  imageName: string;
  options: ImageBuildRequest['options'];
  builderOptions: ImageBuildRequest['builderOptions'];
  /** Pushed by the build itself (`in-build` builders). */
  pushedInBuild: boolean;
  /** Where a remote build read its staged context from. */
  stagedContext?: ArtifactLocation;
  files: ArchiveEntry[];
  dockerfile: string;
}

const fakeDigest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** An image builder that records what it was asked to build and "builds" instantly; pushes to its injected registry. */
export class FakeImageBuilder implements ImageBuilder {
  readonly builds: RecordedBuild[] = [];
  readonly pushes: string[] = [];
  readonly images = new Set<string>();
  /** Make the next builds of these image names fail with BUILD_FAILED. */
  readonly failing = new Set<string>();
  /** The registry the stack injected (`deps.registry`). */
  registry?: DependencyHandle<ContainerRegistry>;

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const files = await readContextArchive(request.context.open());
    return this.record(request, files);
  }

  protected async record(request: ImageBuildRequest, files: ArchiveEntry[]): Promise<ImageBuildResult> {
    const dockerfile = files.find((f) => f.name === 'Dockerfile')?.content ?? '';
    request.onEvent({ type: 'step', step: 'Step 1/1 : FROM (fake)' });
    if (request.signal.aborted) throw new StowageError('cancelled', { code: 'BUILD_CANCELLED' });
    if (this.failing.has(request.imageName)) {
      throw new StowageError(`building ${request.imageName} failed (fake)`, { code: 'BUILD_FAILED', details: ['RUN false'] });
    }
    const { imageName, options, builderOptions, stagedContext } = request;
    this.builds.push({ imageName, options, builderOptions, pushedInBuild: request.push, stagedContext, files, dockerfile });
    this.images.add(imageName);
    if (!request.push) return { imageName };
    return { imageName, digest: await this.pushToRegistry(imageName, dockerfile) };
  }

  async push(request: ImagePushRequest): Promise<{ digest: string }> {
    if (!this.images.has(request.imageName)) throw new StowageError(`no image ${request.imageName} to push (fake)`, { code: 'BUILD_FAILED' });
    const built = this.builds.findLast((b) => b.imageName === request.imageName);
    return { digest: await this.pushToRegistry(request.imageName, built?.dockerfile ?? '') };
  }

  private async pushToRegistry(imageName: string, dockerfile: string): Promise<string> {
    if (!this.registry) throw new StowageError('the fake builder has no registry to push to', { code: 'BUILD_FAILED' });
    const registry = await this.registry.get();
    await registry.auth({ repository: parseImageReference(imageName).repository, actions: ['pull', 'push'] });
    const digest = fakeDigest(imageName + dockerfile);
    this.pushes.push(imageName);
    // The host wraps components in a proxy; instanceof still sees the fake behind it.
    if (registry instanceof FakeContainerRegistry) registry.pushed.set(imageName, digest);
    return digest;
  }

  async imageExists(imageName: string): Promise<ImagePresence> {
    return this.images.has(imageName) ? 'present' : 'absent';
  }
}

/**
 * A remote builder: builds from the context staged in the stack's artifact store (never from the
 * local stream) and pushes as part of the build. Receives the store and registry through `deps`.
 */
export class FakeRemoteImageBuilder extends FakeImageBuilder {
  store?: DependencyHandle<ArtifactStore>;

  override async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    if (!this.store || !request.stagedContext) throw new StowageError('the fake remote builder needs a staged context in its artifact store', { code: 'BUILD_FAILED' });
    const store = await this.store.get();
    const files = await readContextArchive(await store.get(request.stagedContext.path));
    return this.record(request, files);
  }
}

/** A registry that knows what was pushed to it (by tag and by digest). */
export class FakeContainerRegistry implements ContainerRegistry {
  readonly pushed = new Map<string, string>();
  readonly preparedRepositories: string[] = [];
  readonly authScopes: RegistryAuthScope[] = [];

  constructor(private readonly login: { username: string; password: string } | null = null) {}

  async auth(scope: RegistryAuthScope): Promise<RegistryAuth> {
    this.authScopes.push(scope);
    return this.login ? { type: 'basic', ...this.login } : { type: 'anonymous' };
  }

  async imageExists(reference: string): Promise<ImagePresence> {
    return (await this.resolveDigest(reference)) ? 'present' : 'absent';
  }

  async resolveDigest(reference: string): Promise<string | undefined> {
    const [name, digest] = reference.split('@');
    // By digest: a pushed image of exactly that repository (name without its tag) with that digest.
    if (digest) return [...this.pushed].some(([n, d]) => d === digest && repositoryOf(n) === name) ? digest : undefined;
    return this.pushed.get(reference);
  }

  async prepareRepository(repo: string): Promise<void> {
    this.preparedRepositories.push(repo);
  }
}

/** An artifact store in memory; keys map to `<root>/<key>`. */
export class InMemoryArtifactStore implements ArtifactStore {
  readonly objects = new Map<string, Buffer>();

  constructor(public root = 'memory://artifacts') {}

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async put(key: string, data: Readable | Uint8Array | string, _options?: PutOptions): Promise<void> {
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
    if (!data) throw new StowageError(`no artifact ${key}`, { code: 'ARTIFACT_STORE_FAILED' });
    return Readable.from([data]);
  }

  locate(key: string): ArtifactLocation {
    return { uri: `${this.root}/${key}`, scheme: this.root.split(':')[0]!, path: key };
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

/** A code repository that matches one remote URL; which commits are "pushed" is set by the test. */
export class FakeCodeRepository implements CodeRepository {
  readonly pushedCommits = new Set<string>();

  constructor(readonly url = 'https://git.example.com/acme/pipelines.git') {}

  matchesRemote(url: string): boolean {
    return url === this.url;
  }

  async isPushed(commit: string): Promise<boolean> {
    return this.pushedCommits.has(commit);
  }

  downloadSpec(commit: string, subdirectory?: string): CodeDownloadSpec {
    return { kind: 'fake', url: `${this.url}/archive/${commit}.tar.gz`, format: 'tar.gz', commit, stripComponents: 1, subdirectory };
  }
}
