/**
 * Temporary project folders for e2e tests: each test copies a fixture (tooling/e2e/fixtures/<name>)
 * or an example into its own `mkdtemp` folder, so no two tests share a build store, then edits
 * its stowage.yaml as a user would.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineBuildSchema, type PipelineBuild } from '@stowage/core';
import { parse, stringify } from 'yaml';
import { imageId, removeImages, removeUntaggedImages } from './docker.js';
import { imageIdsSeenInLogs, REPO_ROOT } from './runStowage.js';

export const FIXTURES_DIR = `${REPO_ROOT}/tooling/e2e/fixtures`;

/** A short random suffix, so image tags of concurrent or repeated runs never collide. */
export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** Copies `source` (a folder) into a new temp folder and returns its path. `.stowage/` and `node_modules/` are left out. */
export async function copyToTemp(source: string, label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `stowage-e2e-${label}-`));
  await cp(source, dir, {
    recursive: true,
    filter: (src) => !/\/(\.stowage|node_modules)(\/|$)/.test(src.slice(source.length)),
  });
  return dir;
}

/** A temp copy of `tooling/e2e/fixtures/<name>`. */
export function fixtureProject(name: string): Promise<string> {
  return copyToTemp(join(FIXTURES_DIR, name), name.replaceAll('/', '-'));
}

/** A temp copy of `examples/<name>` (with its dotfiles, e.g. `.dockerignore`). */
export function exampleProject(name: string): Promise<string> {
  return copyToTemp(join(REPO_ROOT, 'examples', name), name);
}

export type Yaml = Record<string, any>;

export async function readYaml(project: string, file = 'stowage.yaml'): Promise<Yaml> {
  return parse(await readFile(join(project, file), 'utf8')) as Yaml;
}

export async function writeYaml(project: string, value: unknown, file = 'stowage.yaml'): Promise<void> {
  await writeFile(join(project, file), stringify(value));
}

/** Reads stowage.yaml, lets `edit` change it (in place or by returning a new value), writes it back. */
export async function editYaml(project: string, edit: (config: Yaml) => Yaml | void, file = 'stowage.yaml'): Promise<Yaml> {
  const config = await readYaml(project, file);
  const next = edit(config) ?? config;
  await writeYaml(project, next, file);
  return next;
}

export interface StoreContents {
  /** Every file name in `.stowage/builds/`. */
  files: string[];
  /** Parsed records (every `*.json` file), checked against the PipelineBuild schema. */
  records: PipelineBuild[];
}

/** The build store of a project as files on disk: throws if a `*.json` record does not parse or has the wrong shape. */
export async function readStore(project: string): Promise<StoreContents> {
  const dir = join(project, '.stowage', 'builds');
  let files: string[];
  try {
    files = (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], records: [] };
    throw error;
  }
  const records: PipelineBuild[] = [];
  for (const f of files.filter((n) => n.endsWith('.json'))) {
    const text = await readFile(join(dir, f), 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`build record ${f} is not JSON (${(error as Error).message}):\n${text.slice(0, 500)}`);
    }
    const parsed = PipelineBuildSchema.safeParse(json);
    if (!parsed.success) throw new Error(`build record ${f} does not have the PipelineBuild shape: ${parsed.error.message}`);
    if (`${parsed.data.id}.json` !== f) throw new Error(`build record ${f} holds id ${parsed.data.id}`);
    records.push(parsed.data);
  }
  return { files, records };
}

/** Every image name a build created (both images of a Dockerfile pair), for cleanup. */
export function imagesOf(build: PipelineBuild): string[] {
  return build.images.filter((i) => i.action === 'built').flatMap((i) => [i.imageName, ...i.dockerfiles.map((d) => d.imageName)]);
}

/**
 * Collects what a test file created (temp folders, image tags) and removes it in afterAll.
 * Only images that builds of the test's own projects report as `built` are removed.
 */
export class Cleanup {
  private readonly dirs = new Set<string>();
  private readonly images = new Set<string>();
  private readonly ids = new Set<string>();

  dir(path: string): string {
    this.dirs.add(path);
    return path;
  }

  image(...names: string[]): void {
    for (const n of names) this.images.add(n);
  }

  /** Image ids to remove at the end if they are untagged by then (e.g. images built with `docker build -q`). */
  untagged(...ids: string[]): void {
    for (const id of ids) this.ids.add(id);
  }

  /** Registers every image the project's recorded builds built (tags, and their current ids: a tag may move later). */
  async imagesOfStore(project: string): Promise<void> {
    const { records } = await readStore(project).catch(() => ({ records: [] as PipelineBuild[] }));
    for (const name of records.flatMap(imagesOf)) {
      this.image(name);
      const id = await imageId(name);
      if (id) this.untagged(id);
    }
  }

  async run(): Promise<void> {
    await removeImages(this.images);
    await removeUntaggedImages([...this.ids, ...imageIdsSeenInLogs]);
    if (!process.env['STOWAGE_E2E_KEEP']) for (const d of this.dirs) await rm(d, { recursive: true, force: true });
    else process.stderr.write(`[e2e] STOWAGE_E2E_KEEP set: keeping ${[...this.dirs].join(' ')}\n`);
    this.images.clear();
    this.dirs.clear();
  }
}

/** The documented `stowage plan --json` shape (the parts tests read). */
/** One step of `stowage plan --json` (the fields the e2e tests read). */
export interface PlanStepJson {
  kind: 'docker-build' | 'push' | 'stage-context' | 'upload-code-archive' | 'reuse' | 'use-parent' | 'skip-build' | 'append-layer';
  image?: string;
  role?: 'dockerfile' | 'generated';
  imageName?: string;
  dockerfile?: string;
  destination?: string;
}

/** The docker-build steps of a planned image. */
export const dockerBuilds = (image: PlanJson['images'][number]) =>
  image.buildSteps.filter((s): s is PlanStepJson & { role: 'dockerfile' | 'generated'; imageName: string; dockerfile: string } => s.kind === 'docker-build');

export interface PlanJson {
  pipeline: string;
  stack: { name: string; checksum: string };
  steps: Record<string, string>;
  images: {
    key: string;
    steps: string[];
    action: 'build' | 'reuse' | 'use-parent' | 'skip-build';
    parentImage: string;
    imageName: string;
    checksum: string;
    why: string[];
    reuse: { buildId: string; imageReference: string } | null;
    aptPackages: string[];
    requirementFiles: { name: string; source: string; content: string }[];
    buildSteps: PlanStepJson[];
  }[];
  outcome: { kind: 'new-build' | 'existing-build' | 'given-build'; buildId?: string };
  preSteps: PlanStepJson[];
  warnings: unknown[];
}
