/**
 * `.dockerignore` equivalence with the real Docker, case by case (tooling/fixtures/src/
 * dockerignoreCases.ts; its header comment says how each case is built and read back).
 *
 * For every case a folder is made (`.dockerignore` byte for byte, each file holding its own path
 * and a newline, `dir/` entries as empty directories), then built four ways with
 * `FROM scratch` + `COPY . /ctx/`, and the leaves under /ctx/ of each image are read back with
 * `docker create` + `docker export`:
 *
 * - Docker, legacy builder: `/usr/bin/docker build -f <Dockerfile outside the folder> <folder>`
 *   (the real CLI makes its own context from the folder and its .dockerignore);
 * - Docker, BuildKit: the same with DOCKER_BUILDKIT=1;
 * - Stowage, legacy builder and BuildKit: the context Stowage's local builder sends, made with
 *   core's public API (`selectContextFiles` + `createContextArchive`, the Dockerfile as an extra
 *   file), piped to `/usr/bin/docker build -` (a tar on stdin goes to the engine unchanged, as the
 *   local builder sends it through the engine API). This is the faster of the two options the
 *   brief allowed; the full CLI path is covered by quickstart.e2e.test.ts (its .dockerignore).
 *
 * Stowage's generated `Dockerfile` (the extra file) is not counted on the Stowage side.
 * Cases where Docker versions disagree (divergentDockerignoreCases) check that Docker 20.10 still
 * does what the table says it observed and that Stowage's selection is the `expected` one.
 * `.dockerignore` files Docker refuses are refused by both.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createContextArchive, selectContextFiles } from '@stowage/core';
import {
  dockerignoreCases,
  divergentDockerignoreCases,
  invalidDockerignoreCases,
  type DockerignoreCase,
} from '@stowage/fixtures';
import { useE2E } from './e2eGate.js';
import { byteOrder, docker, imageLeaves } from './docker.js';
import { Cleanup } from './projects.js';

useE2E('dockerignore');
const cleanup = new Cleanup(); // removes the (untagged) images built here, by id
afterAll(() => cleanup.run());

const DOCKERFILE = 'FROM scratch\nCOPY . /ctx/\n';
const LABEL = ['--label', 'stowage-e2e=dockerignore'];
let work: string;
let dockerfile: string;

beforeAll(async () => {
  work = cleanup.dir(await mkdtemp(join(tmpdir(), 'stowage-e2e-dockerignore-')));
  dockerfile = join(work, 'Dockerfile.scratch');
  await writeFile(dockerfile, DOCKERFILE);
});

/** Makes the case's folder as its header comment describes. */
async function makeCase(c: DockerignoreCase, group: string): Promise<string> {
  const root = join(work, group, c.name);
  await mkdir(root, { recursive: true });
  await writeFile(join(root, '.dockerignore'), c.dockerignore);
  for (const f of c.files) {
    if (f.endsWith('/')) {
      await mkdir(join(root, f), { recursive: true });
    } else {
      await mkdir(join(root, f, '..'), { recursive: true });
      await writeFile(join(root, f), `${f}\n`);
    }
  }
  return root;
}

type Builder = 'legacy' | 'buildkit';
const builderEnv = (b: Builder) => ({ DOCKER_BUILDKIT: b === 'buildkit' ? '1' : '0' });

async function leavesOfBuild(args: string[], b: Builder, input?: Readable): Promise<string[]> {
  const r = await docker(['build', '-q', ...LABEL, ...args], { env: builderEnv(b), input });
  if (r.code !== 0) throw new Error(`docker build (${b}) ${args.join(' ')} failed:\n${r.stderr}`);
  const id = r.stdout.trim().split('\n').at(-1)!;
  cleanup.untagged(id);
  return imageLeaves(id, 'ctx/');
}

/** The real CLI, with its own context made from the folder. */
function dockerLeaves(root: string, b: Builder): Promise<string[]> {
  return leavesOfBuild(['-f', dockerfile, root], b);
}

/** Stowage's context archive of the folder, sent as-is (`docker build -`); the extra Dockerfile is left out. */
async function stowageLeaves(root: string, b: Builder): Promise<string[]> {
  const selection = await selectContextFiles({ root });
  const archive = createContextArchive({ selection, extraFiles: [{ path: 'Dockerfile', content: DOCKERFILE }] });
  return (await leavesOfBuild(['-'], b, archive)).filter((p) => p !== 'Dockerfile');
}

/** What Stowage itself selects (no engine involved). */
async function stowageSelection(root: string): Promise<string[]> {
  const selection = await selectContextFiles({ root });
  const paths = selection.entries.map((e) => (e.type === 'directory' ? `${e.path}/` : e.path));
  return paths.filter((p) => !(p.endsWith('/') && paths.some((q) => q !== p && q.startsWith(p)))).sort(byteOrder);
}

const withoutDockerfile = (list: readonly string[]) => list.filter((p) => p !== 'Dockerfile');

/** What lands in the image when docker build and Stowage each build the folder, with both builders. */
async function landedFourWays(root: string) {
  const [legacy, buildkit, stowLegacy, stowBuildkit, selected] = await Promise.all([
    dockerLeaves(root, 'legacy'),
    dockerLeaves(root, 'buildkit'),
    stowageLeaves(root, 'legacy'),
    stowageLeaves(root, 'buildkit'),
    stowageSelection(root),
  ]);
  return { legacy, buildkit, stowLegacy, stowBuildkit, selected };
}

describe('.dockerignore: Stowage lands the same files as docker build', () => {
  it('has at least 25 cases', ({ expect }) => {
    expect(dockerignoreCases.length).toBeGreaterThanOrEqual(25);
  });

  // Each case builds four tiny images; five cases run at once.
  describe.concurrent('cases Docker builders agree on', () => {
    it.for(dockerignoreCases.map((c) => [c.name, c] as const))('%s', async ([, c], { expect }) => {
      const root = await makeCase(c, 'agreed');
      const { legacy, buildkit, stowLegacy, stowBuildkit, selected } = await landedFourWays(root);
      const expected = [...c.expected];
      expect(legacy, 'docker build (legacy builder) vs the table').toEqual(expected);
      expect(buildkit, 'docker build (BuildKit) vs the table').toEqual(expected);
      expect(selected, "Stowage's selection vs the table").toEqual(expected);
      expect(stowLegacy, "Stowage's archive through the legacy builder vs docker build").toEqual(withoutDockerfile(legacy));
      expect(stowBuildkit, "Stowage's archive through BuildKit vs docker build").toEqual(withoutDockerfile(buildkit));
    });
  });

  describe.concurrent('cases Docker versions disagree on', () => {
    it.for(divergentDockerignoreCases.map((c) => [c.name, c] as const))('%s', async ([, c], { expect }) => {
      const root = await makeCase(c, 'divergent');
      const { legacy, buildkit, stowLegacy, stowBuildkit, selected } = await landedFourWays(root);
      // Docker 20.10 (this machine) still does what the table says it observed...
      expect(legacy, 'docker build (legacy builder, CLI 20.10)').toEqual([...(c.observed['cli20-legacy'] ?? c.expected)]);
      expect(buildkit, 'docker build (BuildKit, CLI 20.10)').toEqual([...(c.observed['cli20-buildkit'] ?? c.expected)]);
      // ...while Stowage selects, and both builders land, current Docker's answer (the engine
      // does not filter an uploaded archive again).
      expect(selected, "Stowage's selection").toEqual([...c.expected]);
      expect(stowLegacy, "Stowage's archive through the legacy builder").toEqual(withoutDockerfile(c.expected));
      expect(stowBuildkit, "Stowage's archive through BuildKit").toEqual(withoutDockerfile(c.expected));
    });
  });

  describe.concurrent('.dockerignore files Docker refuses', () => {
    it.for(invalidDockerignoreCases.map((c) => [c.name, c] as const))('%s', async ([, c], { expect }) => {
      const root = await makeCase({ name: c.name, why: '', dockerignore: c.dockerignore, files: ['a.txt'], expected: [] }, 'invalid');
      for (const b of ['legacy', 'buildkit'] as const) {
        const r = await docker(['build', '-q', ...LABEL, '-f', dockerfile, root], { env: builderEnv(b) });
        if (r.code === 0) cleanup.untagged(r.stdout.trim());
        expect(r.code, `docker build (${b}) should refuse:\n${r.stdout}`).not.toBe(0);
      }
      const error = await selectContextFiles({ root }).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(error, 'Stowage should refuse it too').toBeDefined();
      expect(`${error?.message} ${JSON.stringify(error)}`).toMatch(new RegExp(`\\b${c.line}\\b`));
    });
  });
});
