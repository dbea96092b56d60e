import type { Command } from 'commander';
import { stringify } from 'yaml';
import { FILTER_FIELDS, formatWarning, matchesFilter, parseFilter, StowageError, type BuildFilter, type BuildStore } from '@stowage/core';
import type { CommandContext } from '../program.js';
import { registerBuildsPrune } from './buildsPrune.js';
import { buildsTable } from '../output/buildsTable.js';

type ListOptions = Record<string, string | boolean | undefined>;

export function registerBuilds(program: Command, ctx: CommandContext): void {
  const builds = program.command('builds').description('Pipeline builds recorded in .stowage/.');
  registerBuildsList(builds, ctx);
  registerBuildsGet(builds, ctx);
  registerBuildsDelete(builds, ctx);
  registerBuildsPrune(builds, ctx);
}

function registerBuildsList(builds: Command, ctx: CommandContext): void {
  const list = builds
    .command('list')
    .description(`List builds, newest first. Filter with --<field> '<op>:<value>' (ops: equals, contains, startswith, endswith, gt, gte, lt, lte; no op means equals), e.g. --pipeline 'startswith:train'.`)
    .option('--json', 'print as JSON')
    .option('-n, --limit <n>', 'show only the newest N builds (after filtering)');
  for (const [field, { help }] of Object.entries(FILTER_FIELDS)) list.option(`--${field.replaceAll('_', '-')} <filter>`, help);
  list.action((opts: ListOptions) => listBuilds(ctx, opts));
}

async function listBuilds(ctx: CommandContext, opts: ListOptions): Promise<void> {
  const session = ctx.session();
  const filters = buildFiltersOf(opts);
  const all = await readStore(ctx, session.buildStore());
  const limit = parseLimit(opts.limit);
  const found = all.filter((b) => filters.every((f) => matchesFilter(b, f))).slice(0, limit);
  if (opts.json) return session.io.stdout(`${JSON.stringify(found, null, 2)}\n`);
  if (!found.length) return session.io.stdout('No pipeline builds found.\n');
  session.io.stdout(buildsTable(found, Date.now()));
}

function parseLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new StowageError(`--limit must be a positive integer, got "${String(value)}"`, { code: 'USAGE' });
  return n;
}

/** The store's builds; files in it that are not build records are reported once, on stderr. */
async function readStore(ctx: CommandContext, store: BuildStore) {
  const { builds, warnings } = await store.listing();
  for (const w of warnings) ctx.io.stderr(`${formatWarning(w)}\n`);
  return builds;
}

/** The `--<field> <filter>` options given, parsed. */
function buildFiltersOf(opts: ListOptions): BuildFilter[] {
  return Object.keys(FILTER_FIELDS)
    .map((field) => [field, opts[camel(field)]] as const)
    .filter((e): e is readonly [string, string] => typeof e[1] === 'string')
    .map(([field, value]) => parseFilter(field, value));
}

function registerBuildsGet(builds: Command, ctx: CommandContext): void {
  builds
    .command('get')
    .argument('<id>', 'build id or unique prefix')
    .option('--json', 'print as JSON (default: YAML)')
    .description('Show one build.')
    .action(async (id: string, opts: { json?: boolean }) => {
      const session = ctx.session();
      const store = session.buildStore();
      await readStore(ctx, store);
      const build = await store.get(id);
      // Dockerfiles and requirement files as literal blocks (`|`), readable and copyable as they are.
      session.io.stdout(opts.json ? `${JSON.stringify(build, null, 2)}\n` : stringify(build, { blockQuote: 'literal', lineWidth: 0 }));
    });
}

function registerBuildsDelete(builds: Command, ctx: CommandContext): void {
  builds
    .command('delete')
    .argument('<id>', 'build id or unique prefix')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print the outcome as JSON ({ id, deleted })')
    .description('Delete a build record (images are not deleted).')
    .action((id: string, opts: { yes?: boolean; json?: boolean }) => deleteBuild(ctx, id, opts));
}

async function deleteBuild(ctx: CommandContext, id: string, opts: { yes?: boolean; json?: boolean }): Promise<void> {
  const session = ctx.session();
  const store = session.buildStore();
  await readStore(ctx, store);
  const build = await store.get(id);
  const json = (deleted: boolean) => `${JSON.stringify({ id: build.id, deleted })}\n`;
  if (!opts.yes && !(await confirmDeletion(ctx, build.id))) {
    session.io.stdout(opts.json ? json(false) : 'Pipeline build deletion canceled.\n');
    return;
  }
  await store.delete(build.id);
  session.io.stdout(opts.json ? json(true) : `Deleted pipeline build ${build.id}.\n`);
}

/** Asks the user; refuses (rather than assuming yes) when there is no terminal to ask on. */
async function confirmDeletion(ctx: CommandContext, buildId: string): Promise<boolean> {
  const { io } = ctx.session();
  if (!io.confirm) {
    throw new StowageError('refusing to delete without confirmation: stdin is not a terminal', { code: 'USAGE', hint: 'pass --yes' });
  }
  return io.confirm(`Are you sure you want to delete pipeline build ${buildId}?`);
}

function camel(field: string): string {
  return field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
