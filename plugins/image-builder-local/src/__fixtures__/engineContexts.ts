import { createContextArchive } from '@stowage/core';
import type { BuildContextSource, BuildEvent, ImageBuildRequest } from '@stowage/plugin-api';
import { requestFor } from './testBuilds.js';

/** A build context from in-memory files, through core's deterministic archive writer (what the host sends). */
export function contextOf(files: Record<string, string>): BuildContextSource {
  return {
    open: () => createContextArchive({ selection: null, extraFiles: Object.entries(files).map(([path, content]) => ({ path, content })) }),
    digest: async () => 'sha256:not-used-by-the-builder',
  };
}

/** A build request for the engine tests: the files as a real context, its events recorded. */
export function buildRequest(
  imageName: string,
  files: Record<string, string>,
  extra: Partial<ImageBuildRequest> = {},
): ImageBuildRequest & { events: BuildEvent[] } {
  return requestFor(imageName, contextOf(files), extra);
}
