import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StowageError, parseImageReference, type ContainerRegistry, type ImageRef } from '@stowage/plugin-api';
import { appendImage, readImageFiles, RegistryApiClient, registryBaseUrl, repositoryOf, type AppendedLayer } from '@stowage/oci';
import { archiveMtime } from '../context/archiveMtime.js';
import { CodeLayerCache } from '../context/CodeLayerCache.js';
import { codeLayerKey, layerSelection, splitCodeLayers, type CodeLayerGroup } from '../context/codeLayers.js';
import { FileDigestCache } from '../context/FileDigestCache.js';
import type { ContextSelection } from '../context/ContextSelection.js';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import { sourceSnapshotKey, takeSourceSnapshot } from '../context/sourceSnapshots.js';
import { sourceDigest } from '../context/sourceDigest.js';
import { LAYER_COMPRESSOR, openCodeLayer, readCodeLayer, writeCodeLayer, type CodeLayerBlob, type LayerArchive } from '../context/writeCodeLayer.js';
import type { AppendLayerStep } from '../model/plan.js';
import type { ExecutionContext } from './ExecutionContext.js';
import { namesToResolve, resolveImageOwner } from './imageOwner.js';
import { workdirOwner } from './workdirOwner.js';

/** Registry calls of an append: manifests, configs and blob checks (uploads get more for their size). */
const REGISTRY_TIMEOUT_MS = 60_000;
const formatBytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);

/**
 * The append-layer step: the code's files, as the Docker build's COPY would ship them, appended
 * to the dependency image as a few stable layers directly in the registry (@stowage/oci). Files
 * are stat'ed through the digest cache; a layer whose files are unchanged is neither read nor
 * compressed again (the layer cache knows its blob) and is not uploaded when the registry has
 * it. The tag is written last: a failed or cancelled append leaves no tag.
 */
export async function appendCode(step: AppendLayerStep, ctx: ExecutionContext): Promise<void> {
  const handle = ctx.components.containerRegistry;
  if (!handle) throw new StowageError(`image ${step.image}: the plan appends code layers in the registry, but the stack has none`, { code: 'STACK_INVALID' });
  const registry = await handle.get();
  const base = baseReference(step, ctx);
  const target = parseImageReference(step.imageName);
  const client = registryClient(registry, target.registry, step.insecure, ctx);
  const out = output(step, ctx);
  const { selection, fileDigests } = await codeAsPlanned(step);
  const cache = CodeLayerCache.open(step.cacheDir);
  const owner = await ownerOf(step, base, client, cache, ctx);
  const temp = await mkdtemp(join(tmpdir(), 'stowage-layers-'));
  try {
    const { layers, tarBytes } = await codeLayers(step, { selection, fileDigests, owner, cache, temp }, out, ctx.signal);
    out.log(`appending ${layers.length} code layer${layers.length === 1 ? '' : 's'} (${selection.entries.filter((e) => e.type === 'file').length} files) to ${base}`);
    await registry.prepareRepository?.(target.repository);
    const result = await appendImage(client, {
      base: parseImageReference(base),
      target,
      layers,
      config: { labels: step.labels, ...(step.created && { created: step.created }) },
      signal: ctx.signal,
      onLayer: ({ digest: layer, size, outcome }) => out.push(`${outcome === 'present' ? 'already in the registry' : `uploaded ${formatBytes(size)}`}: ${layer.slice(7, 19)}`),
    });
    await cache.save();
    out.log(`appended ${layers.length} code layer${layers.length === 1 ? '' : 's'}: ${formatBytes(result.uploadedBytes)} uploaded`);
    const built = ctx.results.get(step.image);
    const sizeBytes = step.baseFrom === 'build' && built?.sizeBytes !== undefined ? built.sizeBytes + tarBytes : undefined;
    const dependencyName = step.baseFrom === 'build' ? (built?.imageName ?? step.base) : step.base;
    ctx.results.set(step.image, { imageName: step.imageName, digest: result.digest, sizeBytes, dependency: { imageName: dependencyName, imageReference: base } });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

interface Output {
  log(line: string): void;
  push(message: string): void;
}

function output(step: AppendLayerStep, ctx: ExecutionContext): Output {
  return {
    log: (line) => ctx.emit({ type: 'image-event', key: step.image, event: { type: 'log', line } }),
    push: (message) => ctx.emit({ type: 'image-event', key: step.image, event: { type: 'push', message } }),
  };
}

/**
 * The code's files, stat'ed through the digest cache, checked against the plan: the image is
 * named by its checksum, which covers the code as planned, so code changed since is not shipped under it.
 */
async function codeAsPlanned(step: AppendLayerStep): Promise<{ selection: ContextSelection; fileDigests: ReadonlyMap<string, string> }> {
  const key = sourceSnapshotKey(step.context.root!, step.context.dockerignore ?? null, step.context.exclude);
  // Walked and digested by this run's gather already (the same folder, the digest the plan covers).
  const gathered = takeSourceSnapshot(key, step.checksumInputs.context);
  if (gathered) return { selection: gathered.selection, fileDigests: gathered.files };
  const selection = await selectSourceFiles(step.context.root!, step.context.dockerignore ?? null, step.context.exclude);
  const fileDigests = new Map<string, string>();
  const digestCache = FileDigestCache.open(step.cacheDir, selection.root, selection.dockerignoreFile);
  const digest = await sourceDigest(selection, { cache: digestCache, files: fileDigests });
  await digestCache.save();
  if (step.checksumInputs.context && digest !== step.checksumInputs.context) {
    throw new StowageError(`image ${step.image}: the code changed while the build ran (its files are no longer those the plan's checksum covers)`, {
      code: 'CONTEXT_INVALID',
      hint: 'build again once the files stop changing',
    });
  }
  return { selection, fileDigests };
}

interface LayerInputs {
  selection: ContextSelection;
  fileDigests: ReadonlyMap<string, string>;
  owner: { uid: number; gid: number };
  cache: CodeLayerCache;
  /** Folder for the blobs written now (removed by the caller). */
  temp: string;
}

/** The code layers, each known from the cache or written to `temp` now; `open` is called only for blobs the registry lacks. */
async function codeLayers(step: AppendLayerStep, inputs: LayerInputs, out: Output, signal: AbortSignal): Promise<{ layers: AppendedLayer[]; tarBytes: number }> {
  const { selection, fileDigests, owner, cache, temp } = inputs;
  // As the Docker build's context is stamped (SOURCE_DATE_EPOCH, else 0), never the commit time:
  // a new commit must not change every layer (`created` dates the config and history only).
  const mtime = archiveMtime(undefined);
  const layers: AppendedLayer[] = [];
  let tarBytes = 0;
  const prefix = `${step.destination.replace(/^\/+/, '')}/`;
  for (const [i, group] of splitCodeLayers(selection.entries).entries()) {
    // Built only when the layer is written or sent: a cached layer the registry has needs none.
    let selected: ContextSelection | undefined;
    const archive: LayerArchive = {
      get selection() {
        return (selected ??= layerSelection(selection, group, prefix.slice(0, -1)));
      },
      mtime,
      owner,
      // Files are read again when a layer is written or sent: they must still be what the plan digested.
      expectedDigest: (entry) => fileDigests.get(entry.path.slice(prefix.length)),
    };
    const key = codeLayerKey(group, fileDigests, { ...owner, mtime, destination: step.destination }, LAYER_COMPRESSOR);
    const blob = await blobOf(archive, key, join(temp, `layer-${i}.tar.gz`), cache, signal);
    tarBytes += blob.tarSize;
    const open = () => {
      out.push(`uploading ${formatBytes(blob.size)}: ${blob.digest.slice(7, 19)}`);
      return blob.open();
    };
    layers.push({ digest: blob.digest, diffId: blob.diffId, size: blob.size, open, createdBy: `stowage: ${group.name} of ${step.destination} (${describe(group)})` });
  }
  return { layers, tarBytes };
}

/** The dependency image by digest: pushed by the steps before (their result), or the recorded reference. */
function baseReference(step: AppendLayerStep, ctx: ExecutionContext): string {
  if (step.baseFrom === 'reuse') return step.base;
  const built = ctx.results.get(step.image);
  if (!built?.digest) {
    throw new StowageError(`image ${step.image}: the dependency image ${step.base} was not pushed before its code layers were appended`, { code: 'BUILD_FAILED' });
  }
  return `${repositoryOf(built.imageName)}@${built.digest}`;
}

function registryClient(registry: ContainerRegistry, host: string, insecure: boolean | undefined, ctx: ExecutionContext): RegistryApiClient {
  return new RegistryApiClient({ baseUrl: registryBaseUrl(host, insecure), auth: (scope) => registry.auth(scope), timeoutMs: REGISTRY_TIMEOUT_MS, secrets: ctx.secrets });
}

/** The layer's blob: known from the cache (read again only if the registry lacks it), or written now. */
async function blobOf(archive: LayerArchive, key: string, file: string, cache: CodeLayerCache, signal: AbortSignal): Promise<CodeLayerBlob & { open: AppendedLayer['open'] }> {
  const known = cache.layer(key);
  if (known) return { ...known, open: () => openCodeLayer(archive) };
  const blob = await writeCodeLayer(archive, file, signal);
  cache.rememberLayer(key, blob);
  return { ...blob, open: () => readCodeLayer(file) };
}

/** Root, or the numeric owner of the `user` setting in the dependency image (cached per image digest). */
async function ownerOf(step: AppendLayerStep, base: string, client: RegistryApiClient, cache: CodeLayerCache, ctx: ExecutionContext): Promise<{ uid: number; gid: number }> {
  if (!step.user) return { uid: 0, gid: 0 };
  const need = namesToResolve(step.user);
  if (!need.passwd && !need.group) return resolveImageOwner(step.user, {}, base);
  const imageDigest = base.slice(base.indexOf('@') + 1);
  const known = cache.owner(imageDigest, step.user);
  if (known) return known;
  const image = parseImageReference(base);
  // The dependency image's own `RUN chown -R <user> /app` (its top layer) says what chown resolved;
  // only when that layer is not there are its /etc/passwd and /etc/group read (lower layers: slower).
  const chowned = await workdirOwner(client, image, step.destination.replace(/^\/+|\/+$/g, ''), { signal: ctx.signal });
  const owner = chowned ?? (await fromUserTables(step.user, need, client, image, base, ctx.signal));
  cache.rememberOwner(imageDigest, step.user, owner);
  return owner;
}

async function fromUserTables(user: string, need: { passwd: boolean; group: boolean }, client: RegistryApiClient, image: ImageRef, base: string, signal: AbortSignal): Promise<{ uid: number; gid: number }> {
  const paths = [...(need.passwd ? ['etc/passwd'] : []), ...(need.group ? ['etc/group'] : [])];
  const files = await readImageFiles(client, image, paths, { signal, maxFileBytes: 16 * 1024 * 1024 });
  return resolveImageOwner(user, { passwd: files.get('etc/passwd'), group: files.get('etc/group') }, base);
}

function describe(group: CodeLayerGroup): string {
  return `${group.files} file${group.files === 1 ? '' : 's'}, ${formatBytes(group.bytes)}`;
}
