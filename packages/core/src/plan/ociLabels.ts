import type { BuildOptionField, BuildOptions } from '@stowage/plugin-api';
import type { Provenance } from '../model/plan.js';

export interface LabelInputs {
  pipeline: string;
  provenance?: Provenance;
  /** The image's key and the steps that run in it. */
  image: string;
  steps: readonly string[];
  /** Checksum of the build that makes it. */
  checksum: string;
}

/**
 * The OCI labels every image Stowage builds carries (the seed's "use metadata and labels"): where
 * its code comes from (`org.opencontainers.image.*`) and what made it (`dev.stowage.*`). They are
 * not part of the checksum: a reused image keeps the labels of the build that made it.
 */
export function ociLabels(l: LabelInputs): Record<string, string> {
  const p = l.provenance;
  const labels: Record<string, string> = {
    ...(p?.revision && { 'org.opencontainers.image.revision': p.revision }),
    ...(p?.source && { 'org.opencontainers.image.source': p.source }),
    ...(p?.created && { 'org.opencontainers.image.created': p.created }),
    'dev.stowage.pipeline': l.pipeline,
    'dev.stowage.image': l.image,
    ...(l.steps.length && { 'dev.stowage.steps': l.steps.join(',') }),
    'dev.stowage.checksum': l.checksum,
  };
  if (p?.version) labels['dev.stowage.version'] = p.version;
  return labels;
}

/**
 * A build's options with what the plan adds (OCI labels, `pull`) where the builder honours it;
 * the user's options win (their labels over ours, their `pull` over ZenML's rule).
 */
export function withPlannedOptions(user: BuildOptions, planned: Pick<BuildOptions, 'labels' | 'pull'>, honoured: readonly BuildOptionField[]): BuildOptions {
  const out: BuildOptions = { ...user };
  if (planned.labels && honoured.includes('labels')) out.labels = { ...planned.labels, ...user.labels };
  if (planned.pull !== undefined && user.pull === undefined && honoured.includes('pull')) out.pull = planned.pull;
  return out;
}
