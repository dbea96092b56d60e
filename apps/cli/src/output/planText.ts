import { formatWarning, type BuildPlan, type PlannedImage, type Redactor } from '@stowage/core';

const ACTION_TEXT: Record<PlannedImage['action'], string> = {
  build: 'build',
  reuse: 'reuse',
  'use-parent': 'use the parent image as-is',
  'skip-build': 'skip build (parent image as-is)',
};

function indent(text: string, by = '    '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
}

function imageText(image: PlannedImage): string {
  const lines = [
    `image ${image.key}${image.steps.length ? ` (steps: ${image.steps.join(', ')})` : ''}`,
    `  action    ${ACTION_TEXT[image.action]}`,
    `  parent    ${image.parentImage}`,
    `  image     ${image.imageName}`,
    `  checksum  ${image.checksum}`,
    `  code      ${image.code.strategy}: ${image.code.reason}`,
  ];
  if (image.why.length) lines.push(`  why       ${image.why.join('; ')}`);
  if (image.requirementFiles.length) {
    lines.push('  requirements');
    for (const f of image.requirementFiles) {
      const n = f.content.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
      lines.push(`    ${f.name} (${f.source}, ${n} line${n === 1 ? '' : 's'})`);
    }
  }
  if (image.aptPackages.length) lines.push(`  apt       ${[...new Set(image.aptPackages)].join(' ')}`);
  for (const b of image.builds) {
    lines.push(`  Dockerfile (${b.role}) → ${b.imageName}${b.push ? ' (push)' : ''}`, indent(b.dockerfile));
  }
  return lines.join('\n');
}

export function planText(plan: BuildPlan, redactor: Redactor): string {
  const head = `pipeline ${plan.pipeline} · stack ${plan.stack.name} · ${plan.images.length} image${plan.images.length === 1 ? '' : 's'}`;
  const body = plan.images.map(imageText).join('\n\n');
  return redactor.redact(`${head}\n\n${body}\n`);
}

/** Warnings go to stderr, once each. */
export function warningsText(plan: Pick<BuildPlan, 'warnings'>, redactor: Redactor): string {
  return plan.warnings.map((w) => `${redactor.redact(formatWarning(w))}\n`).join('');
}
