import { protos } from '@google-cloud/cloudbuild';
import type { EmulatedBuild } from './EmulatedBuild.js';

const v1 = protos.google.devtools.cloudbuild.v1;
export const BUILD_TYPE = 'type.googleapis.com/google.devtools.cloudbuild.v1.Build';
export const METADATA_TYPE = 'type.googleapis.com/google.devtools.cloudbuild.v1.BuildOperationMetadata';

type Json = Record<string, unknown>;

/** The console link Cloud Build reports as `logUrl` (global or regional). */
export function consoleLogUrl(id: string, location: string, projectNumber: string): string {
  const region = location === 'global' ? '' : `;region=${location}`;
  return `https://console.cloud.google.com/cloud-build/builds${region}/${id}?project=${projectNumber}`;
}

function stepsOf(build: EmulatedBuild): Json[] {
  const raw = (build.options.spec.raw['steps'] as Json[] | undefined) ?? [];
  return raw.map((step, i) => {
    const state = build.steps[i]!;
    return { ...step, status: state.status, ...(state.timing ? { timing: state.timing } : {}), ...(state.exitCode !== undefined ? { exitCode: state.exitCode } : {}) };
  });
}

/** The build as GetBuild returns it (enums as strings). */
export function buildResource(build: EmulatedBuild): Json {
  const { identity, spec } = build.options;
  const { projectId, location, buildId } = identity;
  const ending = build.done ? build.ending : undefined;
  const failure = ending?.status === 'FAILURE' ? ending.failure : undefined;
  const detail = failure?.detail ?? (ending?.status === 'INTERNAL_ERROR' ? ending.detail : undefined);
  const { bucket, object } = spec.source;
  return {
    ...spec.raw,
    name: `projects/${projectId}/locations/${location}/builds/${buildId}`,
    id: buildId,
    projectId,
    status: build.status,
    ...(detail ? { statusDetail: detail } : {}),
    ...(failure ? { failureInfo: failure } : {}),
    steps: stepsOf(build),
    results: { images: build.images },
    createTime: build.createTime,
    ...(build.startTime ? { startTime: build.startTime } : {}),
    ...(build.finishTime ? { finishTime: build.finishTime } : {}),
    timeout: `${spec.timeoutSeconds}s`,
    images: spec.images,
    ...(spec.logsBucket ? { logsBucket: spec.logsBucket } : {}),
    sourceProvenance: { resolvedStorageSource: { bucket, object, ...(build.sourceGeneration ? { generation: build.sourceGeneration } : {}) } },
    logUrl: consoleLogUrl(buildId, location, identity.projectNumber),
    timing: build.timing,
    queueTtl: '3600s',
    serviceAccount: `projects/${projectId}/serviceAccounts/${identity.serviceAccount}`,
    ...(build.log.writeError ? { warnings: [{ text: `writing the build log to ${build.log.object}: ${build.log.writeError}`, priority: 'WARNING' }] } : {}),
  };
}

/**
 * Enum fields as numbers, which the Google clients ask for (`$alt=json;enum-encoding=int`):
 * `Build.status`, step `status`, `failureInfo.type`, warning `priority`, from the package's protos.
 */
export function withIntEnums(build: Json): Json {
  const status = (s: unknown) => (typeof s === 'string' ? v1.Build.Status[s as keyof typeof v1.Build.Status] : s);
  const failure = build['failureInfo'] as Json | undefined;
  const warnings = build['warnings'] as Json[] | undefined;
  return {
    ...build,
    status: status(build['status']),
    steps: ((build['steps'] as Json[] | undefined) ?? []).map((s) => ({ ...s, status: status(s['status']) })),
    ...(failure ? { failureInfo: { ...failure, type: v1.Build.FailureInfo.FailureType[failure['type'] as keyof typeof v1.Build.FailureInfo.FailureType] } } : {}),
    ...(warnings ? { warnings: warnings.map((w) => ({ ...w, priority: v1.Build.Warning.Priority[w['priority'] as keyof typeof v1.Build.Warning.Priority] })) } : {}),
  };
}

/** How an operation of a build that did not succeed ends (google.rpc.Status). */
const OPERATION_ERRORS: Readonly<Record<string, { code: number; message: string }>> = {
  FAILURE: { code: 2, message: 'Build failed; check build logs for details' },
  INTERNAL_ERROR: { code: 13, message: 'Build failed with an internal error' },
  TIMEOUT: { code: 4, message: 'Build timeout' },
  CANCELLED: { code: 1, message: 'Build cancelled' },
};

/** The long-running operation of a build: metadata carries the build; when done, `response` or `error`. */
export function operationResource(name: string, build: EmulatedBuild, intEnums: boolean): Json {
  const resource = buildResource(build);
  const encoded = intEnums ? withIntEnums(resource) : resource;
  const end = !build.done ? {} : build.status === 'SUCCESS' ? { response: { '@type': BUILD_TYPE, ...encoded } } : { error: OPERATION_ERRORS[build.status] };
  return { name, metadata: { '@type': METADATA_TYPE, build: encoded }, done: build.done, ...end };
}
