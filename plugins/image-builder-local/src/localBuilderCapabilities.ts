import type { ImageBuilderCapabilities } from '@stowage/core';

/**
 * What the local builder can do: the one source for both the flavor's static declaration (what
 * `stowage plugins list` and stack descriptions show, taken with the default `buildkit: false`)
 * and a created builder's capabilities. Cache mounts (`RUN --mount=type=cache`) need BuildKit, so
 * only a builder configured with `buildkit: true` reports them.
 */
export function localBuilderCapabilities(buildkit: boolean): ImageBuilderCapabilities {
  return { remote: false, push: true, platforms: [], secrets: false, cacheMounts: buildkit };
}
