import { StowageError } from '@stowage/plugin-api';

/** Where a store lives in GCS, read once from `gs://bucket[/prefix]`. */
export interface GcsLocation {
  bucket: string;
  /** Folder of the store inside the bucket, without leading or trailing `/` (`''` for the whole bucket). */
  prefix: string;
  /** `gs://bucket` or `gs://bucket/prefix`: what `describe()` calls the root and every `locate()` uri starts with. */
  root: string;
}

// GCS bucket names: lower-case letters, digits, `-`, `_` and `.`, starting and ending with a letter
// or digit; 3-63 characters, or up to 222 with dots when each dot-separated part is at most 63.
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// The characters that need no escaping in a URL path, plus the `@+=` Stowage's own keys may hold.
const SEGMENT = /^[A-Za-z0-9!_.*'()@+=-]+$/;

const EXAMPLE = 'expected gs://<bucket>[/<folder>], e.g. gs://acme-artifacts/stowage';

function bucketProblem(bucket: string): string | undefined {
  const parts = bucket.split('.');
  if (!BUCKET.test(bucket) || IPV4.test(bucket) || parts.some((p) => p === '' || p.length > 63) || (parts.length === 1 && bucket.length > 63)) {
    return `${JSON.stringify(bucket)} is not a valid GCS bucket name (3-63 lower-case letters, digits, hyphens, underscores and dots): ${EXAMPLE}`;
  }
  if (bucket.startsWith('goog') || bucket.includes('google')) return `${JSON.stringify(bucket)} is not a valid GCS bucket name: names cannot start with "goog" or contain "google"`;
  return undefined;
}

/** The location `path` names, or what is wrong with it (for the config schema's message). */
export function readGcsPath(path: string): { location: GcsLocation } | { problem: string } {
  const match = /^gs:\/\/([^/]*)(?:\/(.*))?$/.exec(path);
  if (!match) return { problem: `${JSON.stringify(path)} is not a gs:// path: ${EXAMPLE}` };
  const bucket = match[1]!;
  const problem = bucketProblem(bucket);
  if (problem) return { problem };
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  const bad = prefix === '' ? undefined : prefix.split('/').find((s) => !SEGMENT.test(s) || s === '.' || s === '..');
  if (bad !== undefined) {
    return { problem: `the folder ${JSON.stringify(prefix)} in ${path} has a bad part ${JSON.stringify(bad)}: use letters, digits and !_.*'()@+=- between single slashes` };
  }
  return { location: { bucket, prefix, root: prefix ? `gs://${bucket}/${prefix}` : `gs://${bucket}` } };
}

/** The location of a path the config schema has accepted. */
export function parseGcsPath(path: string): GcsLocation {
  const read = readGcsPath(path);
  if ('problem' in read) throw new StowageError(read.problem, { code: 'COMPONENT_CONFIG_INVALID' });
  return read.location;
}

/**
 * The object name of a store key: below the prefix. The host validates keys; this refuses again
 * any key that could leave the folder once a URL is normalised (`..`, `.`, empty parts, a
 * leading `/`, backslashes, control characters), since a signed URL's path is a URL path.
 */
export function objectNameOf(location: GcsLocation, key: string): string {
  if (key === '' || key.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(key) || key.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new StowageError(`${JSON.stringify(key)} is not a key the gcs artifact store accepts: use relative /-separated names without "." or ".." parts`, { code: 'USAGE' });
  }
  return location.prefix ? `${location.prefix}/${key}` : key;
}
