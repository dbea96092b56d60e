import type { ChecksumInputs } from '../model/plan.js';

/** Says which checksum inputs changed since the last build of the same image (pure). */
export function explainRebuild(previous: ChecksumInputs | undefined, current: ChecksumInputs, buildId?: string): string[] {
  if (!previous) return ['no earlier build of this image on this stack'];
  const why: string[] = [];
  const fields = new Set([...Object.keys(previous.settings), ...Object.keys(current.settings)]);
  const changedFields = [...fields].filter((f) => previous.settings[f] !== current.settings[f]).sort();
  if (changedFields.length) why.push(`settings changed: ${changedFields.join(', ')}`);
  const files = new Set([...Object.keys(previous.requirements), ...Object.keys(current.requirements)]);
  for (const f of [...files].sort()) {
    const before = previous.requirements[f];
    const after = current.requirements[f];
    if (before === after) continue;
    why.push(!before ? `requirements ${f} added` : !after ? `requirements ${f} removed` : `requirements ${f} changed`);
  }
  if (previous.context !== current.context) why.push(current.context ? 'source files changed' : 'code no longer included');
  if (previous.parentImage !== current.parentImage) why.push(`parent image changed: ${previous.parentImage} → ${current.parentImage}`);
  if (previous.builder !== current.builder) why.push(`image builder changed: ${previous.builder} → ${current.builder}`);
  if (previous.platform !== current.platform) why.push(`platform changed: ${previous.platform ?? 'default'} → ${current.platform ?? 'default'}`);
  if (previous.buildOptions !== current.buildOptions) why.push('build options changed');
  if (!why.length && previous.dockerfile !== current.dockerfile) why.push('generated Dockerfile changed (Stowage version)');
  if (!why.length) why.push(`inputs equal those of build ${buildId ?? '?'}, but its checksum differs`);
  return why;
}
