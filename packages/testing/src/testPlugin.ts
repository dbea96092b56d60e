import { z } from 'zod';
import {
  defineFlavor,
  definePlugin,
  PLUGIN_API_VERSION,
  secret,
  type ArtifactStore,
  type CodeRepository,
  type ContainerRegistry,
  type ImageBuilder,
  type StowagePlugin,
} from '@stowage/core';
import { FakeCodeRepository, FakeContainerRegistry, FakeImageBuilder, InMemoryArtifactStore } from './fakes.js';

export interface FakeInstances {
  imageBuilder?: ImageBuilder;
  containerRegistry?: ContainerRegistry;
  artifactStore?: ArtifactStore;
  codeRepository?: CodeRepository;
}

export const TEST_PLUGIN_NAME = '@stowage/testing';

/**
 * In-memory flavors of every kind (`fake`, plus `fake-remote` builder and artifact store that
 * declare themselves remote). `instances` are returned by create() so tests can inspect them.
 */
export function testPlugin(instances: FakeInstances = {}): StowagePlugin {
  return definePlugin({
    name: TEST_PLUGIN_NAME,
    apiVersion: PLUGIN_API_VERSION,
    flavors: [
      defineFlavor({
        kind: 'image-builder',
        flavor: 'fake',
        description: 'Records builds in memory',
        config: z.object({ platform: z.string().optional() }).strict(),
        create: () => instances.imageBuilder ?? new FakeImageBuilder(),
      }),
      defineFlavor({
        kind: 'image-builder',
        flavor: 'fake-remote',
        description: 'Records builds in memory; declares itself remote (needs a registry)',
        config: z.object({}).strict(),
        capabilities: { remote: true, push: true },
        requires: { containerRegistry: true },
        requirements: { pip: ['fake-remote-sdk>=1'], apt: ['ca-certificates'] },
        create: () => instances.imageBuilder ?? new FakeImageBuilder({ remote: true, push: true, platforms: [], secrets: false, cacheMounts: false }),
      }),
      defineFlavor({
        kind: 'container-registry',
        flavor: 'fake',
        description: 'A registry in memory',
        config: z.object({ uri: z.string().min(1), default_repository: z.string().optional(), username: z.string().optional(), password: secret().optional() }).strict(),
        create: (c) => instances.containerRegistry ?? new FakeContainerRegistry(c.uri, c.default_repository, c.username && c.password ? { username: c.username, password: c.password } : null),
      }),
      defineFlavor({
        kind: 'artifact-store',
        flavor: 'fake',
        description: 'An artifact store in memory (not reachable from containers)',
        config: z.object({ path: z.string().optional() }).strict(),
        create: (c) => instances.artifactStore ?? new InMemoryArtifactStore(c.path),
      }),
      defineFlavor({
        kind: 'artifact-store',
        flavor: 'fake-remote',
        description: 'An artifact store in memory that declares itself reachable from containers',
        config: z.object({ path: z.string().optional() }).strict(),
        capabilities: { reachableFromContainers: true },
        create: (c) => instances.artifactStore ?? new InMemoryArtifactStore(c.path ?? 'memory://remote'),
      }),
      defineFlavor({
        kind: 'code-repository',
        flavor: 'fake',
        description: 'A code repository whose checkout state the test sets',
        config: z.object({ url: z.string().optional() }).strict(),
        requirements: { pip: ['fake-git-client>=2'] },
        create: (c) => instances.codeRepository ?? new FakeCodeRepository(null, c.url),
      }),
    ],
  });
}
