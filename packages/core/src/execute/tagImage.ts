import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { StowageError, parseImageReference, type BuildContextSource, type ContainerRegistry } from '@stowage/plugin-api';
import { copyImage, RegistryApiClient, registryBaseUrl } from '@stowage/oci';
import type { TagStep } from '../model/plan.js';
import { sha256 } from '../model/checksum.js';
import type { ExecutionContext } from './ExecutionContext.js';
import { engineConnectionLost } from './engineConnectionLost.js';

/** Registry calls of a retag: a manifest and a few blob mounts. */
const REGISTRY_TIMEOUT_MS = 60_000;

/**
 * Gives a reused image its planned name without rebuilding it: its manifest is copied in the
 * stack's registry (blobs mounted across repositories, @stowage/oci), or, with no registry, the
 * engine tags it through a build whose Dockerfile is only `FROM <image>` (the same image id).
 */
export async function tagImage(step: TagStep, ctx: ExecutionContext): Promise<void> {
  if (step.where === 'registry') {
    const handle = ctx.components.containerRegistry;
    if (!handle) throw new StowageError(`image ${step.image}: the plan tags it in the registry, but the stack has none`, { code: 'STACK_INVALID' });
    const digest = await copyInRegistry(await handle.get(), step, ctx);
    ctx.results.set(step.image, { imageName: step.imageName, digest });
    return;
  }
  const builder = await ctx.components.imageBuilder.get();
  await builder.build({
    imageName: step.imageName,
    context: fromOnlyContext(step.source),
    options: { pull: false },
    builderOptions: {},
    push: false,
    signal: ctx.signal,
    onEvent: (event) => ctx.emit({ type: 'image-event', key: step.image, event }),
  }).catch((error: unknown) => {
    throw engineConnectionLost(error, `tagging ${step.imageName}`, ctx.signal);
  });
  ctx.results.set(step.image, { imageName: step.imageName });
}

async function copyInRegistry(registry: ContainerRegistry, step: TagStep, ctx: ExecutionContext): Promise<string> {
  const from = parseImageReference(step.source);
  const to = parseImageReference(step.imageName);
  await registry.prepareRepository?.(to.repository);
  const client = new RegistryApiClient({ baseUrl: registryBaseUrl(to.registry, step.insecure), auth: (scope) => registry.auth(scope), timeoutMs: REGISTRY_TIMEOUT_MS, secrets: ctx.secrets });
  return copyImage(client, from, to, { signal: ctx.signal });
}

/** A context of one Dockerfile, `FROM <reference>`: building it tags that image under a new name. */
function fromOnlyContext(reference: string): BuildContextSource {
  const dockerfile = `FROM ${reference}\n`;
  const open = (): Readable => {
    const archive = pack();
    archive.entry({ name: 'Dockerfile', mtime: new Date(0), mode: 0o644, uid: 0, gid: 0 }, dockerfile);
    archive.finalize();
    return Readable.from(archive);
  };
  return { open, digest: async () => `sha256:${sha256(await bytesOf(open()))}` };
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
