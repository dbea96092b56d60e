import { StowageError } from '@stowage/plugin-api';

/** Where a store lives in S3, read once from `s3://bucket[/prefix]`. */
export interface S3Location {
  bucket: string;
  /** Folder of the store inside the bucket, without leading or trailing `/` (`''` for the whole bucket). */
  prefix: string;
  /** `s3://bucket` or `s3://bucket/prefix`: what `describe()` calls the root and every `locate()` uri starts with. */
  root: string;
}

// S3's rules for general purpose bucket names (directory buckets' `--x-s3` names pass too).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// The characters S3 calls safe in object key names, plus the `@+=` Stowage's own keys may hold.
const PREFIX_SEGMENT = /^[A-Za-z0-9!_.*'()@+=-]+$/;

const EXAMPLE = 'expected s3://<bucket>[/<folder>], e.g. s3://acme-artifacts/stowage';

/** The location `path` names, or what is wrong with it (for the config schema's message). */
export function readS3Path(path: string): { location: S3Location } | { problem: string } {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(path);
  if (!match) return { problem: `${JSON.stringify(path)} is not an s3:// path: ${EXAMPLE}` };
  const bucket = match[1]!;
  if (!BUCKET.test(bucket) || bucket.includes('..') || IPV4.test(bucket)) {
    return { problem: `${JSON.stringify(bucket)} is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens): ${EXAMPLE}` };
  }
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  const bad = prefix === '' ? undefined : prefix.split('/').find((s) => !PREFIX_SEGMENT.test(s) || s === '.' || s === '..');
  if (bad !== undefined) {
    return { problem: `the folder ${JSON.stringify(prefix)} in ${path} has a bad part ${JSON.stringify(bad)}: use letters, digits and !_.*'()@+=- between single slashes` };
  }
  return { location: { bucket, prefix, root: prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}` } };
}

/** The location of a path the config schema has accepted. */
export function parseS3Path(path: string): S3Location {
  const read = readS3Path(path);
  if ('problem' in read) throw new StowageError(read.problem, { code: 'COMPONENT_CONFIG_INVALID' });
  return read.location;
}

/** The object key of a store key: below the prefix. */
export function objectKeyOf(location: S3Location, key: string): string {
  return location.prefix ? `${location.prefix}/${key}` : key;
}
