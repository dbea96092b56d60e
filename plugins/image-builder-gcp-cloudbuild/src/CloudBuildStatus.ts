import { protos } from '@google-cloud/cloudbuild';

const v1 = protos.google.devtools.cloudbuild.v1;
type Build = protos.google.devtools.cloudbuild.v1.IBuild;

/** A build as the builder reasons about it: enums as names, whichever way the client decoded them. */
export interface CloudBuildState {
  id: string;
  status: string;
  statusDetail?: string;
  failureType?: string;
  logUrl?: string;
  logsBucket?: string;
  steps: { index: number; id?: string; name: string; status: string }[];
  images: { name: string; digest: string }[];
}

/**
 * An enum value by name: `getBuild` decodes enums to strings, the operation's metadata and result
 * to numbers; both become the proto's names (`SUCCESS`, …) through the package's own enum table.
 */
function enumName(table: object, value: unknown): string {
  if (typeof value === 'string') return value;
  const wanted = typeof value === 'number' ? value : 0;
  return Object.entries(table).find(([, number]) => number === wanted)?.[0] ?? `UNKNOWN_${String(value)}`;
}

export const statusName = (value: unknown) => enumName(v1.Build.Status, value);

/** The fields of a Build (from `getBuild`, or an operation's metadata or result) with enums named. */
export function cloudBuildState(build: Build): CloudBuildState {
  const failure = build.failureInfo;
  return {
    id: build.id ?? '',
    status: statusName(build.status),
    ...(build.statusDetail ? { statusDetail: build.statusDetail } : {}),
    ...(failure?.type !== undefined && failure.type !== null ? { failureType: enumName(v1.Build.FailureInfo.FailureType, failure.type) } : {}),
    ...(build.logUrl ? { logUrl: build.logUrl } : {}),
    ...(build.logsBucket ? { logsBucket: build.logsBucket } : {}),
    steps: (build.steps ?? []).map((s, index) => ({ index, ...(s.id ? { id: s.id } : {}), name: s.name ?? '', status: statusName(s.status) })),
    images: (build.results?.images ?? []).flatMap((i) => (i.name && i.digest ? [{ name: i.name, digest: i.digest }] : [])),
  };
}
