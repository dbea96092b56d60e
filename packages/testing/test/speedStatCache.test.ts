import type * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStowage, definePipeline, projectFromDefinition } from '@stowage/core';
import { testPlugin, TEST_PLUGIN_NAME } from '../src/index.js';

// Every open of a source file goes through fs.openSync: counting them shows what a plan reads.
const opened: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const openSync = (...args: Parameters<typeof real.openSync>) => {
    opened.push(String(args[0]));
    return real.openSync(...args);
  };
  return { ...real, openSync, default: { ...real, openSync } };
});
const roots: string[] = [];
beforeEach(() => {
  opened.length = 0;
});
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const PAST = new Date('2020-01-01T00:00:00Z');

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'stowage-stat-cache-'));
  roots.push(root);
  writeFileSync(join(root, 'stowage.yaml'), 'stacks:\n  t: { image_builder: { flavor: fake } }\nactive_stack: t\n');
  for (let d = 0; d < 5; d++) {
    mkdirSync(join(root, 'src', `pkg${d}`), { recursive: true });
    for (let f = 0; f < 10; f++) {
      const file = join(root, 'src', `pkg${d}`, `mod${f}.py`);
      writeFileSync(file, `x = ${d * 10 + f}\n`);
      utimesSync(file, PAST, PAST);
    }
  }
  return root;
}

async function plan(root: string) {
  const pipeline = definePipeline({ name: 'training', pythonVersion: '3.11', settings: { docker: { parentImage: 'python:3.11-slim' } } }).withOptions({
    configPath: join(root, 'stowage.yaml'),
  });
  const stowage = await createStowage({ project: projectFromDefinition(pipeline, { env: {} }), builtins: [{ packageName: TEST_PLUGIN_NAME, plugin: testPlugin() }] });
  return stowage.plan();
}

const sourcesRead = (root: string) => opened.filter((p) => p.startsWith(join(root, 'src')));

describe('stat cache (issue 12)', () => {
  it('a no-change plan stats the source files and reads none, with the same checksums', async () => {
    const root = project();
    // Files changed within the second before a run are read again next time (racy timestamps).
    await new Promise((r) => setTimeout(r, 1100));
    const cold = await plan(root);
    expect(sourcesRead(root)).toHaveLength(50);
    expect(readdirSync(join(root, '.stowage', 'cache', 'file-digests'))).toHaveLength(1);
    opened.length = 0;
    const warm = await plan(root);
    expect(sourcesRead(root)).toEqual([]);
    expect(warm.images.map((i) => i.checksum)).toEqual(cold.images.map((i) => i.checksum));
    // One edited file is the only one read again, and its change reaches the checksum.
    writeFileSync(join(root, 'src', 'pkg3', 'mod7.py'), 'x = 99\n');
    opened.length = 0;
    const edited = await plan(root);
    expect(sourcesRead(root)).toEqual([join(root, 'src', 'pkg3', 'mod7.py')]);
    expect(edited.images[0]!.checksum).not.toBe(cold.images[0]!.checksum);
  });
});
