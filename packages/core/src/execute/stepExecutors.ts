import { StowageError, type ArtifactStore, type ContainerRegistry, type ImageBuildRequest } from '@stowage/plugin-api';
import { parseImageReference } from '@stowage/plugin-api';
import type { Lazy } from '../plugins/Lazy.js';
import type { DockerBuildStep, PushStep } from '../model/plan.js';
import type { ExecutionContext, StepExecutors } from './ExecutionContext.js';
import { appendCode } from './appendCode.js';
import { engineConnectionLost } from './engineConnectionLost.js';
import { openBuildContext } from './openBuildContext.js';
import { stageContext } from './stageContext.js';
import { tagImage } from './tagImage.js';
import { uploadCodeArchive } from './uploadCodeArchive.js';

/** One executor per step kind: each does what its step says and decides nothing. */
export const STEP_EXECUTORS: StepExecutors = {
  'upload-code-archive': async (step, ctx) => {
    const store = await required(ctx.components.artifactStore, 'artifact store', step.kind);
    await uploadCodeArchive(step, store, ctx);
  },
  'stage-context': async (step, ctx) => {
    const store = await required(ctx.components.artifactStore, 'artifact store', step.kind);
    await stageContext(step, store, ctx);
  },
  'docker-build': async (step, ctx) => dockerBuild(step, ctx),
  push: async (step, ctx) => push(step, ctx),
  'append-layer': async (step, ctx) => appendCode(step, ctx),
  reuse: async (step, ctx) => {
    ctx.results.set(step.image, { imageName: step.imageReference });
  },
  tag: async (step, ctx) => tagImage(step, ctx),
  'use-parent': async (step, ctx) => {
    ctx.results.set(step.image, { imageName: step.imageName });
  },
  'skip-build': async (step, ctx) => {
    ctx.results.set(step.image, { imageName: step.imageName });
  },
};

async function dockerBuild(step: DockerBuildStep, ctx: ExecutionContext): Promise<void> {
  const builder = await ctx.components.imageBuilder.get();
  if (step.pushInBuild) await prepareRepository(ctx, step.imageName);
  const request: ImageBuildRequest = {
    imageName: step.imageName,
    context: await openBuildContext(step.context),
    stagedContext: step.stagedContext ? (await required(ctx.components.artifactStore, 'artifact store', step.kind)).locate(step.stagedContext.key) : undefined,
    options: step.options,
    builderOptions: step.builderOptions,
    push: step.pushInBuild,
    signal: ctx.signal,
    onEvent: (event) => ctx.emit({ type: 'image-event', key: step.image, event }),
  };
  const result = await builder.build(request).catch((error: unknown) => {
    throw engineConnectionLost(error, `building image ${step.imageName}`, ctx.signal);
  });
  if (step.pushInBuild && !result.digest) {
    throw new StowageError(`image ${step.image}: the builder pushed ${step.imageName} but reported no digest`, { code: 'BUILD_FAILED' });
  }
  ctx.results.set(step.image, { imageName: result.imageName, digest: result.digest, imageId: result.imageId, sizeBytes: result.sizeBytes });
}

async function push(step: PushStep, ctx: ExecutionContext): Promise<void> {
  const builder = await ctx.components.imageBuilder.get();
  if (!builder.push) throw new StowageError(`image ${step.image}: the image builder cannot push`, { code: 'BUILD_FAILED' });
  await prepareRepository(ctx, step.imageName);
  const { digest } = await builder.push({ imageName: step.imageName, signal: ctx.signal, onEvent: (event) => ctx.emit({ type: 'image-event', key: step.image, event }) }).catch((error: unknown) => {
    throw engineConnectionLost(error, `pushing ${step.imageName}`, ctx.signal);
  });
  // The size is the build's: pushing does not change the image.
  ctx.results.set(step.image, { imageName: step.imageName, digest, sizeBytes: ctx.results.get(step.image)?.sizeBytes });
}

async function prepareRepository(ctx: ExecutionContext, imageName: string): Promise<void> {
  const registry = await required(ctx.components.containerRegistry, 'container registry', 'push');
  await registry.prepareRepository?.(parseImageReference(imageName).repository);
}

async function required<T extends ArtifactStore | ContainerRegistry>(handle: Lazy<T> | undefined, what: string, step: string): Promise<T> {
  if (!handle) throw new StowageError(`the plan has a ${step} step, but the stack has no ${what}`, { code: 'STACK_INVALID' });
  return handle.get();
}
