import { describe, expect, it } from 'vitest';
import type { ContainerRegistry, ImageBuilder } from '@stowage/plugin-api';
import type { DockerBuildStep, PushStep } from '../model/plan.js';
import type { ExecutionContext, ImageResult } from './ExecutionContext.js';
import { STEP_EXECUTORS } from './stepExecutors.js';

const lazy = <T>(value: T) => ({ get: async () => value }) as never;

/** A builder that reports a size, and a registry that accepts the push (in-memory fakes). */
function context(sizeBytes: number | undefined): ExecutionContext {
  const builder: ImageBuilder = {
    build: async (r) => ({ imageName: r.imageName, imageId: 'sha256:id', sizeBytes }),
    push: async () => ({ digest: 'sha256:pushed' }),
  };
  const registry = { prepareRepository: async () => undefined } as unknown as ContainerRegistry;
  return {
    components: { imageBuilder: lazy(builder), containerRegistry: lazy(registry), codeRepositories: [] },
    runner: undefined as never,
    secrets: { add: () => undefined },
    signal: new AbortController().signal,
    emit: () => undefined,
    results: new Map<string, ImageResult>(),
  };
}

const build: DockerBuildStep = {
  kind: 'docker-build',
  image: 'pipeline',
  role: 'generated',
  imageName: 'reg.test/stowage:p-1',
  dockerfile: 'FROM scratch\n',
  context: { root: null, extraFiles: [{ path: 'Dockerfile', content: 'FROM scratch\n' }], exclude: [] },
  options: {},
  builderOptions: {},
  pushInBuild: false,
  checksum: 'sha256:c',
  checksumInputs: { settings: {}, dockerfile: 'd', requirements: {}, parentImage: 'scratch', builder: 'fake', buildOptions: 'o' },
};
const push: PushStep = { kind: 'push', image: 'pipeline', role: 'generated', imageName: 'reg.test/stowage:p-1', repository: 'reg.test/stowage' };

describe('image size through the executors', () => {
  it.each([[123_456], [undefined]])('the build step keeps the size the builder reported (%s), and the push step keeps it', async (size) => {
    const ctx = context(size);
    await STEP_EXECUTORS['docker-build'](build, ctx);
    expect(ctx.results.get('pipeline')).toMatchObject({ imageId: 'sha256:id', sizeBytes: size });
    await STEP_EXECUTORS.push(push, ctx);
    expect(ctx.results.get('pipeline')).toEqual({ imageName: 'reg.test/stowage:p-1', digest: 'sha256:pushed', sizeBytes: size });
  });
});
