import type { PipelineBuild } from '../../model/PipelineBuild.js';

/** A minimal valid build record (no images) for core's build store tests (@stowage/testing has the same for packages that may depend on it); `over` wins. */
export function pipelineBuild(over: Partial<PipelineBuild> & Pick<PipelineBuild, 'id'>): PipelineBuild {
  return {
    pipeline: 'training',
    stack: { name: 'default', checksum: 'sha256:s' },
    checksum: 'sha256:c',
    images: [],
    containsCode: true,
    isLocal: true,
    toolVersion: '0.1.0',
    pythonVersion: '3.11',
    created: '2026-11-01T10:00:00.000Z',
    durationSeconds: 1,
    ...over,
  };
}
