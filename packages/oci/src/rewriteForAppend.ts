import { StowageError } from '@stowage/plugin-api';
import { gzipLayerMediaType, isAttestation, type Descriptor, type ImageConfigJson, type ImageIndexJson, type ImageManifestJson } from './ImageManifest.js';

/** What an append changes in the image config besides the layers. */
export interface AppendConfigChanges {
  /** Merged into `config.Labels` (a label of the same name is replaced). */
  labels?: Record<string, string>;
  /** RFC 3339; the config's `created` and the new history entries' (default: the base's `created`). */
  created?: string;
  /** `NAME=value`: replaces the base's entry of the same NAME, else is appended. */
  env?: readonly string[];
  workingDir?: string;
  user?: string;
}

/** A layer as the config and manifest see it. */
export interface LayerToAppend {
  digest: string;
  diffId: string;
  size: number;
  createdBy: string;
}

/** The comment on each history entry an append adds, so `docker history` tells them apart. */
export const APPEND_HISTORY_COMMENT = 'stowage append';

/**
 * The base config with the layers appended (go-containerregistry's `mutate.Append` +
 * `mutate.Config`): diff_ids and one history entry per layer, then labels, env, working dir,
 * user and created. Every other field is kept as it was.
 */
export function appendToConfig(base: ImageConfigJson, layers: readonly LayerToAppend[], changes: AppendConfigChanges = {}): ImageConfigJson {
  const created = changes.created ?? base.created;
  const history = layers.map((layer) => ({ ...(created !== undefined && { created }), created_by: layer.createdBy, comment: APPEND_HISTORY_COMMENT }));
  const config = { ...base.config };
  if (changes.labels) config.Labels = { ...config.Labels, ...changes.labels };
  if (changes.env) config.Env = mergeEnv(config.Env ?? [], changes.env);
  if (changes.workingDir !== undefined) config.WorkingDir = changes.workingDir;
  if (changes.user !== undefined) config.User = changes.user;
  return {
    ...base,
    ...(changes.created !== undefined && { created: changes.created }),
    config,
    rootfs: { ...base.rootfs, diff_ids: [...base.rootfs.diff_ids, ...layers.map((l) => l.diffId)] },
    history: [...(base.history ?? []), ...history],
  };
}

/** The base manifest pointing at the new config, with the layers appended in the base's media type family. */
export function appendToManifest(base: ImageManifestJson, mediaType: string, config: { digest: string; size: number }, layers: readonly LayerToAppend[]): ImageManifestJson {
  const layerMediaType = gzipLayerMediaType(mediaType);
  return {
    ...base,
    config: { ...base.config, digest: config.digest, size: config.size },
    layers: [...base.layers, ...layers.map((l) => ({ mediaType: layerMediaType, digest: l.digest, size: l.size }))],
  };
}

/**
 * The base index with each platform manifest replaced by its appended one (`replaced`: old digest
 * → new descriptor fields). Attestations are dropped: they name the old manifest as their subject.
 */
export function appendToIndex(base: ImageIndexJson, replaced: ReadonlyMap<string, { digest: string; size: number }>): ImageIndexJson {
  const manifests = base.manifests.filter((d) => !isAttestation(d)).map((d): Descriptor => {
    const next = replaced.get(d.digest);
    return next ? { ...d, digest: next.digest, size: next.size } : d;
  });
  return { ...base, manifests };
}

/** Docker's rule for `ENV`: a later NAME replaces the earlier value in place. */
function mergeEnv(base: readonly string[], changes: readonly string[]): string[] {
  const env = [...base];
  for (const [i, entry] of changes.entries()) {
    const name = envName(entry);
    if (!name) {
      // The entry is not quoted: without its `=` there is no telling a name from a value (a secret).
      throw new StowageError(`config.env[${i}] is not NAME=value`, { code: 'USAGE', hint: 'give each environment entry as NAME=value' });
    }
    const at = env.findIndex((e) => envName(e) === name);
    if (at === -1) env.push(entry);
    else env[at] = entry;
  }
  return env;
}

function envName(entry: string): string | undefined {
  const eq = entry.indexOf('=');
  return eq > 0 ? entry.slice(0, eq) : undefined;
}
