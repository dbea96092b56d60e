import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import {
  dockerignoreCases,
  divergentDockerignoreCases,
  invalidDockerignoreCases,
  type DockerignoreCase,
} from '@stowage/fixtures';
import { leavesOf, makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import { compareContextPaths } from './compareContextPaths.js';
import { selectContextFiles } from './selectContextFiles.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function contextFor(dockerignore: string, files: readonly string[]): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  await writeFile(join(dir, '.dockerignore'), dockerignore);
  await writeContextTree(dir, files);
  return dir;
}

async function selectedLeaves(c: DockerignoreCase): Promise<string[]> {
  const selection = await selectContextFiles({ root: await contextFor(c.dockerignore, c.files) });
  return leavesOf(selection.entries);
}

describe('the .dockerignore table (checked against real docker build)', () => {
  it('has enough distinct cases, each sorted in byte order', () => {
    const names = new Set([...dockerignoreCases, ...divergentDockerignoreCases].map((c) => c.name));
    expect(dockerignoreCases.length).toBeGreaterThanOrEqual(25);
    expect(names.size).toBe(dockerignoreCases.length + divergentDockerignoreCases.length);
    for (const c of [...dockerignoreCases, ...divergentDockerignoreCases]) {
      expect([...c.expected].sort(compareContextPaths), c.name).toEqual(c.expected);
    }
  });

  it.each(dockerignoreCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    expect(await selectedLeaves(c)).toEqual(c.expected);
  });
});

describe('where Docker versions disagree, Stowage selects like current Docker', () => {
  it.each(divergentDockerignoreCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const leaves = await selectedLeaves(c);
    expect(leaves).toEqual(c.expected);
    for (const observed of Object.values(c.observed)) expect(leaves).not.toEqual(observed);
  });
});

describe('a .dockerignore that Docker refuses', () => {
  it.each(invalidDockerignoreCases.map((c) => [c.name, c] as const))('%s is refused with its line', async (_name, c) => {
    const root = await contextFor(c.dockerignore, ['a.txt']);
    const error = await selectContextFiles({ root }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONTEXT_INVALID', file: join(root, '.dockerignore'), line: c.line });
    expect((error as StowageError).message).toContain(`${join(root, '.dockerignore')}:${c.line}`);
  });
});
