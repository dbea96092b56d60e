import type { Command } from 'commander';
import { formatWarning, StowageError, type PipelineBuild } from '@stowage/core';
import { resolveEngineAddress } from '@stowage/image-builder-local';
import type { CommandContext } from '../program.js';

interface PruneOptions {
  olderThan?: string;
  keep?: string;
  removeImages?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

interface ImageRemoval {
  image: string;
  removed: boolean;
  reason?: string;
}

const UNITS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

export function registerBuildsPrune(builds: Command, ctx: CommandContext): void {
  builds
    .command('prune')
    .description(
      'Delete old build records: those older than --older-than, and/or all but the newest --keep of each pipeline on each stack (with both, a build goes when it is old and not among the kept). --remove-images also removes the images those builds built from the Docker engine (DOCKER_HOST, else the default socket) unless a kept build uses them.',
    )
    .option('--older-than <duration>', 'prune builds created longer ago than this: a number and a unit s, m, h, d or w (e.g. 30d, 12h)')
    .option('--keep <n>', 'keep the newest n builds of each pipeline on each stack')
    .option('--remove-images', 'also remove the images the pruned builds built (not reused ones, not those a kept build uses) from the Docker engine')
    .option('--dry-run', 'print what would be pruned; delete nothing')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print as JSON ({ dryRun, pruned: [{ id, pipeline, stack, created }], kept, images })')
    .action((opts: PruneOptions) => prune(ctx, opts));
}

async function prune(ctx: CommandContext, opts: PruneOptions): Promise<void> {
  const olderThan = opts.olderThan === undefined ? undefined : parseDuration(opts.olderThan);
  const keep = opts.keep === undefined ? undefined : parseKeep(opts.keep);
  if (olderThan === undefined && keep === undefined) {
    throw new StowageError('builds prune needs --older-than <duration> or --keep <n>', { code: 'USAGE', hint: 'e.g. `stowage builds prune --keep 5` or `--older-than 30d`' });
  }
  const session = ctx.session();
  const store = session.buildStore();
  const { builds, warnings } = await store.listing();
  for (const w of warnings) session.io.stderr(`${formatWarning(w)}\n`);
  const pruned = selectPruned(builds, { olderThanSeconds: olderThan, keep, now: Date.now() });
  const kept = builds.filter((b) => !pruned.includes(b));
  const images = opts.removeImages ? imagesToRemove(pruned, kept) : [];
  if (!opts.dryRun && pruned.length && !opts.yes && !(await confirmPrune(ctx, pruned.length))) {
    session.io.stdout('Pruning canceled.\n');
    return;
  }
  const removals: ImageRemoval[] = opts.dryRun ? images.map((image) => ({ image, removed: false, reason: 'dry run' })) : [];
  if (!opts.dryRun) {
    for (const b of pruned) await store.delete(b.id);
    removals.push(...(await removeImages(images, session.io.env)));
  }
  const rows = pruned.map((b) => ({ id: b.id, pipeline: b.pipeline, stack: b.stack.name, created: b.created }));
  if (opts.json) return session.io.stdout(`${JSON.stringify({ dryRun: Boolean(opts.dryRun), pruned: rows, kept: kept.length, images: removals }, null, 2)}\n`);
  const verb = opts.dryRun ? 'Would prune' : 'Pruned';
  session.io.stdout(`${verb} ${rows.length} pipeline build${rows.length === 1 ? '' : 's'}; ${kept.length} kept.\n`);
  for (const r of rows) session.io.stdout(`  ${r.id}  ${r.pipeline}  ${r.stack}  ${r.created}\n`);
  for (const r of removals) session.io.stdout(`  image ${r.image}: ${r.removed ? 'removed' : opts.dryRun ? 'would be removed' : `kept (${r.reason})`}\n`);
}

/** Which builds go (pure): older than the cut-off, and not among the newest `keep` of their pipeline and stack. */
export function selectPruned(builds: readonly PipelineBuild[], o: { olderThanSeconds?: number; keep?: number; now: number }): PipelineBuild[] {
  const rank = new Map<PipelineBuild, number>();
  const seen = new Map<string, number>();
  for (const b of [...builds].sort((x, y) => y.created.localeCompare(x.created))) {
    const group = `${b.pipeline}\u0000${b.stack.name}`;
    const n = seen.get(group) ?? 0;
    rank.set(b, n);
    seen.set(group, n + 1);
  }
  return builds.filter((b) => {
    const old = o.olderThanSeconds === undefined || o.now - Date.parse(b.created) > o.olderThanSeconds * 1000;
    const beyondKept = o.keep === undefined || rank.get(b)! >= o.keep;
    return old && beyondKept;
  });
}

/** Images the pruned builds built themselves and no kept build names. */
function imagesToRemove(pruned: readonly PipelineBuild[], kept: readonly PipelineBuild[]): string[] {
  const inUse = new Set(kept.flatMap((b) => b.images.flatMap((i) => [i.imageName, i.imageReference])));
  const built = pruned.flatMap((b) => b.images.filter((i) => i.action === 'built').map((i) => i.imageName));
  return [...new Set(built)].filter((name) => !inUse.has(name));
}

/** Removes the tags from the engine; one that is gone already counts as removed, one in use is kept with why. */
async function removeImages(images: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<ImageRemoval[]> {
  if (!images.length) return [];
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ ...resolveEngineAddress(undefined, env).options, timeout: 30_000 });
  const results: ImageRemoval[] = [];
  for (const image of images) {
    try {
      await docker.getImage(image).remove();
      results.push({ image, removed: true });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) results.push({ image, removed: true, reason: 'already gone' });
      else results.push({ image, removed: false, reason: status === 409 ? 'a container uses it' : ((error as { code?: string }).code ?? (error as Error).message) });
    }
  }
  return results;
}

function parseDuration(value: string): number {
  // Strict `<n><unit>`: a bare number would be ambiguous (seconds? days?), so it is refused.
  const m = /^(\d+)([smhdw])$/.exec(value.trim());
  if (!m) throw new StowageError(`--older-than ${value}: expected a number and a unit s, m, h, d or w, e.g. 30d`, { code: 'USAGE' });
  return Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
}

function parseKeep(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new StowageError(`--keep ${value}: expected a whole number of builds to keep, e.g. 5`, { code: 'USAGE' });
  return n;
}

async function confirmPrune(ctx: CommandContext, count: number): Promise<boolean> {
  const { io } = ctx.session();
  if (!io.confirm) throw new StowageError('refusing to prune without confirmation: stdin is not a terminal', { code: 'USAGE', hint: 'pass --yes (or --dry-run to see what would go)' });
  return io.confirm(`Delete ${count} pipeline build record${count === 1 ? '' : 's'}?`);
}
