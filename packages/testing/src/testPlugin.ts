import { z } from 'zod';
import { defineFlavor, definePlugin, secret, type StowagePlugin } from '@stowage/plugin-api';
import { FakeCodeRepository, FakeContainerRegistry, FakeImageBuilder, FakeRemoteImageBuilder, InMemoryArtifactStore } from './fakes.js';

export interface FakeInstances {
  imageBuilder?: FakeImageBuilder;
  remoteImageBuilder?: FakeRemoteImageBuilder;
  containerRegistry?: FakeContainerRegistry;
  artifactStore?: InMemoryArtifactStore;
  codeRepository?: FakeCodeRepository;
}

export const TEST_PLUGIN_NAME = '@stowage/testing';

const ALL_OPTIONS = ['buildArgs', 'labels', 'target', 'platform', 'pull', 'noCache', 'network', 'extraHosts', 'cacheFrom'] as const;

const fakeBuilder = defineFlavor({
  kind: 'image-builder',
  flavor: 'fake',
  description: 'Records builds in memory; pushes to the stack registry in a separate step',
  config: z.object({ platform: z.string().optional().describe('Platform it builds for.') }).strict(),
  deps: { registry: { kind: 'container-registry', optional: true } },
  describe: (c) => ({
    remote: false,
    platform: c.platform,
    capabilities: { push: 'separate', platforms: [], stagesContext: false, secrets: false, cacheMounts: false, buildOptions: ALL_OPTIONS },
  }),
  create: () => new FakeImageBuilder(),
});

const fakeRemoteBuilder = defineFlavor({
  kind: 'image-builder',
  flavor: 'fake-remote',
  description: 'Builds "remotely" from a context staged in the artifact store and pushes while building',
  config: z.object({ platforms: z.array(z.string()).default([]).describe('Platforms it can build for.') }).strict(),
  deps: { registry: { kind: 'container-registry' }, store: { kind: 'artifact-store' } },
  describe: (c) => ({
    remote: true,
    capabilities: { push: 'in-build', platforms: c.platforms, stagesContext: 'tar', secrets: false, cacheMounts: false, buildOptions: ['buildArgs', 'target'] },
  }),
  check: (_c, build) => (build.options.network ? [{ severity: 'warning', message: 'fake-remote ignores network' }] : []),
  requirements: { pip: ['fake-remote-sdk>=1'], apt: ['ca-certificates'] },
  create: () => new FakeRemoteImageBuilder(),
});

const fakeRegistry = defineFlavor({
  kind: 'container-registry',
  flavor: 'fake',
  description: 'A registry in memory',
  config: z
    .object({ uri: z.string().min(1).describe('Registry host and path.'), default_repository: z.string().optional().describe('Default repository.'), username: z.string().optional().describe('User.'), password: secret().optional() })
    .strict(),
  // In memory: no distribution API to append code layers through (images are copied by the build).
  describe: (c) => ({ uri: c.uri, defaultRepository: c.default_repository, appendsLayers: false }),
  create: (c) => new FakeContainerRegistry(c.username && c.password ? { username: c.username, password: c.password } : null),
});

// A registry addressed like Artifact Registry: no `uri` key, describe() composes it.
const fakeProjectRegistry = defineFlavor({
  kind: 'container-registry',
  flavor: 'fake-project',
  description: 'A registry in memory configured as project/location/repository (no uri key)',
  config: z.object({ project: z.string().describe('Project.'), location: z.string().describe('Region.'), repository: z.string().describe('Repository.') }).strict(),
  describe: (c) => ({ uri: `${c.location}-docker.registry.test/${c.project}/${c.repository}`, identity: { project: c.project, location: c.location, repository: c.repository }, appendsLayers: false }),
  create: () => new FakeContainerRegistry(),
});

// A given instance keeps its own root, so describe() (the plan) and locate() (the engine) agree.
const fakeStore = (flavor: string, reachable: boolean, defaultRoot: string, instance?: InMemoryArtifactStore) =>
  defineFlavor({
    kind: 'artifact-store',
    flavor,
    description: reachable ? 'An artifact store in memory that declares itself reachable from containers' : 'An artifact store in memory (not reachable from containers)',
    config: z.object({ path: z.string().optional().describe('Root URI.') }).strict(),
    describe: (c) => {
      const root = c.path ?? instance?.root ?? defaultRoot;
      return { scheme: root.split(':')[0]!, root, reachableFromContainers: reachable };
    },
    create: (c) => (instance ? Object.assign(instance, { root: c.path ?? instance.root }) : new InMemoryArtifactStore(c.path ?? defaultRoot)),
  });

const fakeCodeRepository = defineFlavor({
  kind: 'code-repository',
  flavor: 'fake',
  description: 'A code repository whose pushed commits the test sets',
  config: z.object({ url: z.string().optional().describe('Remote URL it matches.') }).strict(),
  describe: (c) => ({ name: c.url ?? 'fake' }),
  requirements: { pip: ['fake-git-client>=2'] },
  create: (c) => new FakeCodeRepository(c.url),
});

/**
 * In-memory flavors of every kind (`fake`, a `fake-remote` builder and artifact store, a
 * `fake-project` registry without a uri key). `instances` are what create() returns, so tests can
 * inspect them; builders get their injected dependencies set on them.
 */
export function testPlugin(instances: FakeInstances = {}): StowagePlugin {
  const withInstance = <F extends { create: (...args: any[]) => unknown }>(flavor: F, pick: (...args: Parameters<F['create']>) => unknown): F =>
    Object.freeze({ ...flavor, create: (...args: Parameters<F['create']>) => pick(...args) ?? flavor.create(...args) }) as F;
  return definePlugin({
    name: TEST_PLUGIN_NAME,
    apiVersion: 2,
    flavors: [
      withInstance(fakeBuilder, (_c, _ctx, deps) => Object.assign(instances.imageBuilder ?? new FakeImageBuilder(), { registry: deps.registry })),
      withInstance(fakeRemoteBuilder, (_c, _ctx, deps) => Object.assign(instances.remoteImageBuilder ?? new FakeRemoteImageBuilder(), { registry: deps.registry, store: deps.store })),
      withInstance(fakeRegistry, () => instances.containerRegistry),
      withInstance(fakeProjectRegistry, () => instances.containerRegistry),
      fakeStore('fake', false, 'memory://artifacts', instances.artifactStore),
      fakeStore('fake-remote', true, 'memory://remote', instances.artifactStore),
      withInstance(fakeCodeRepository, () => instances.codeRepository),
    ],
  });
}
