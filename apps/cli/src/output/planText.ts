import { formatWarning, type BuildPlan, type PlannedImage, type PlanStep, type Redactor } from '@stowage/core';
import { formatBytes } from './humanUnits.js';

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
  if (image.codeDelivery && image.action === 'build') lines.push(`            ${image.codeDelivery.reason}`);
  if (image.dependencies && image.action === 'build') {
    const reused = image.dependencies.reuse;
    lines.push(`  deps      ${reused ? `${reused.imageReference} (build ${reused.buildId})` : image.dependencies.imageName}`);
  }
  // One reason a line: each names what changed (files, requirement lines, old → new values).
  image.why.forEach((why, i) => lines.push(`  ${i ? '         ' : 'why      '} ${why}`));
  if (image.requirementFiles.length) {
    lines.push('  requirements');
    for (const f of image.requirementFiles) {
      const n = f.content.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
      lines.push(`    ${f.name} (${f.source}, ${n} line${n === 1 ? '' : 's'})`);
    }
  }
  if (image.aptPackages.length) lines.push(`  apt       ${[...new Set(image.aptPackages)].join(' ')}`);
  if (image.buildSteps.length) lines.push('  steps');
  image.buildSteps.forEach((step, i) => lines.push(...stepText(step, i + 1, image)));
  return lines.join('\n');
}

type DockerBuild = Extract<PlanStep, { kind: 'docker-build' }>;

/** What `docker buildx bake --print` shows of a target: platform, context and its size, labels, options. */
function options(step: DockerBuild, image?: PlannedImage): string[] {
  const { labels, platform: _platform, ...rest } = step.options;
  const out = [`platform  ${step.platform ?? "the builder's default"}`, `context   ${contextText(step, image)}`];
  for (const [i, [k, v]] of Object.entries(labels ?? {}).entries()) out.push(`${i ? '          ' : 'labels    '}${k}=${v}`);
  if (Object.keys(rest).length) out.push(`options   ${Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')}`);
  if (Object.keys(step.builderOptions).length) out.push(`builder options ${JSON.stringify(step.builderOptions)}`);
  return out;
}

/** The context folder with its file count and size (when gathered), plus the generated files. */
function contextText(step: DockerBuild, image?: PlannedImage): string {
  const { root, extraFiles } = step.context;
  const folder = step.checksumInputs.context ? image?.contexts?.[step.checksumInputs.context] : undefined;
  const generatedBytes = extraFiles.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  const size = folder ? ` (${folder.count} file${folder.count === 1 ? '' : 's'}, ${formatBytes(folder.bytes)})` : '';
  const generated = `${extraFiles.map((f) => f.path).join(', ')} (${formatBytes(generatedBytes)})`;
  return root ? `${root}${size} + ${generated}` : generated;
}

function stepText(step: PlanStep, n: number, image?: PlannedImage): string[] {
  const head = `    ${n}. ${step.kind}`;
  switch (step.kind) {
    case 'docker-build': {
      const extra = options(step, image);
      const push = step.pushInBuild ? ', pushed by the builder' : '';
      const from = step.stagedContext ? ` from ${step.stagedContext.destination}` : '';
      return [`${head} (${step.role}) → ${step.imageName}${push}${from}`, ...extra.map((e) => `       ${e}`), indent(step.dockerfile, '       ')];
    }
    case 'push':
      return [`${head} → ${step.imageName}`];
    case 'stage-context':
      return [`${head} (${step.format}) → ${step.destination}`];
    case 'upload-code-archive':
      return [`${head} → ${step.destination}`];
    case 'reuse':
      return [`${head} ${step.imageReference} (build ${step.buildId})`];
    case 'tag':
      return [`${head} ${step.source} → ${step.imageName} (${step.where === 'registry' ? 'in the registry' : 'on the engine'}; nothing rebuilt)`];
    case 'append-layer': {
      const folder = step.checksumInputs.context ? image?.contexts?.[step.checksumInputs.context] : undefined;
      const size = folder ? ` (${folder.count} file${folder.count === 1 ? '' : 's'}, ${formatBytes(folder.bytes)})` : '';
      const owner = step.user ? `, owned by ${step.user}` : '';
      return [
        `${head} ${step.base} → ${step.imageName} (in the registry, no Docker build)`,
        `       code      ${step.context.root}${size} → ${step.destination}${owner}`,
        '       layers    large files (≥ 1 MiB) by path in up to 4, the rest by folder in up to 16; only layers the registry lacks are uploaded',
      ];
    }
    default:
      return [`${head} ${step.imageName}`];
  }
}

function outcomeText(plan: BuildPlan): string {
  const o = plan.outcome;
  if (o.kind === 'existing-build') return `build returns the existing build ${o.buildId}: nothing changed, no step runs`;
  if (o.kind === 'given-build') {
    const images = o.build.images.map((i) => `  ${i.key.padEnd(16)} ${i.imageReference}  (steps: ${i.steps.join(', ') || '-'})`).join('\n');
    const saved = o.save ? '; build saves it to the build store' : '';
    return `build uses the given build ${o.buildId} (${o.from === 'file' ? `file ${o.reference}` : 'from the build store'})${saved}; no step runs\n${images}`;
  }
  const pre = plan.preSteps.map((s, i) => stepText(s, i + 1).join('\n')).join('\n');
  return pre ? `before the images\n${pre}` : '';
}

export function planText(plan: BuildPlan, redactor: Redactor): string {
  const c = plan.checkout;
  const state = c ? (c.isDirty ? 'dirty' : c.isPushed ? 'clean, pushed' : 'clean, not pushed') : '';
  const checkout = c ? ` · checkout of ${c.repository} at ${c.commit.slice(0, 12)} (${state})` : '';
  const head = `pipeline ${plan.pipeline} · stack ${plan.stack.name} · ${plan.images.length} image${plan.images.length === 1 ? '' : 's'}${checkout}`;
  const body = [outcomeText(plan), ...plan.images.map(imageText)].filter(Boolean).join('\n\n');
  return redactor.redact(`${head}\n\n${body}\n`);
}

// How core words a key that only ZenML uses (config/loadProjectConfig.ts).
const ZENML_ONLY = / is not used by Stowage; ignored$/;

/**
 * Warnings go to stderr, once each; keys only ZenML uses (a ZenML run config has many) are
 * summarised in one line per file instead of one line each on every command.
 */
export function warningsText(plan: Pick<BuildPlan, 'warnings'>, redactor: Redactor): string {
  const zenml = plan.warnings.filter((w) => ZENML_ONLY.test(w.message));
  const others = plan.warnings.filter((w) => !zenml.includes(w));
  const lines = others.map((w) => formatWarning(w));
  for (const file of new Set(zenml.map((w) => w.file))) {
    const keys = zenml.filter((w) => w.file === file).map((w) => w.keyPath ?? w.message.replace(/ is not used.*$/, ''));
    lines.push(formatWarning({ file, message: `${keys.length} ZenML-only key${keys.length === 1 ? '' : 's'} ignored (not used by Stowage): ${keys.join(', ')}` }));
  }
  return lines.map((l) => `${redactor.redact(l)}\n`).join('');
}
