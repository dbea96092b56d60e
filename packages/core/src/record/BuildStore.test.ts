import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildStore } from './BuildStore.js';
import type { PipelineBuild } from '../model/PipelineBuild.js';
import { matchesFilter, parseFilter } from './buildFilters.js';
import { pipelineBuild } from './__fixtures__/pipelineBuild.js';

function build(store: BuildStore, over: Partial<PipelineBuild> = {}): PipelineBuild {
  return pipelineBuild({ id: store.newId(), created: new Date().toISOString(), containsCode: false, durationSeconds: 1.5, ...over });
}

describe('BuildStore', () => {
  it('saves, lists newest first, gets by id prefix, deletes', async () => {
    const store = new BuildStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    const a = build(store, { created: '2026-01-01T00:00:00.000Z' });
    const b = build(store, { created: '2026-01-02T00:00:00.000Z' });
    await store.save(a);
    await store.save(b);
    expect((await store.list()).map((x) => x.id)).toEqual([b.id, a.id]);
    expect((await store.get(a.id.slice(0, 8))).id).toBe(a.id);
    await store.delete(a.id);
    await expect(store.get(a.id)).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });
  });

  it('many concurrent saves lose nothing and leave no temp files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-store-'));
    const store = new BuildStore(dir);
    const builds = Array.from({ length: 40 }, () => build(store));
    await Promise.all(builds.map((b) => store.save(b)));
    expect((await store.list()).length).toBe(40);
    expect(readdirSync(join(dir, 'builds')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('skips torn or foreign files instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-store-'));
    const store = new BuildStore(dir);
    await store.save(build(store));
    writeFileSync(join(dir, 'builds', 'broken.json'), '{"id": "x", ');
    expect((await store.list()).length).toBe(1);
  });
});

describe('build filters (ZenML operators)', () => {
  const store = new BuildStore('/nonexistent');
  const b = build(store, { id: 'ab53ca00-1111-2222-3333-444455556666', pipeline: 'train-model', durationSeconds: 12 });
  it.each([
    ['pipeline', 'train-model', true],
    ['pipeline', 'equals:train', false],
    ['pipeline', 'startswith:train', true],
    ['pipeline', 'endswith:model', true],
    ['pipeline', 'contains:n-m', true],
    ['id', 'startswith:ab53', true],
    ['duration', 'gt:10', true],
    ['duration', 'lte:11', false],
    ['duration', 'gte:12', true],
    ['created', 'lt:2000-01-01', false],
    ['is_local', 'true', true],
  ])('--%s %s → %s', (field, expr, expected) => {
    expect(matchesFilter(b, parseFilter(field, expr))).toBe(expected);
  });
  // Records are written in UTC; a time with an offset is the same instant, not text to compare.
  it.each([
    ['gte:2026-11-01T11:00:00+02:00', true],
    ['gt:2026-11-01T12:00:01+02:00', false],
    ['lt:2026-11-01T05:30-05:00', true],
    ['lte:2026-11-01T09:59:59.999-00:00', false],
    ['gte:2026-11-01T10:00:00Z', true],
    ['lt:2026-11-01 10:00:01', true],
    ['gte:2026-11', true],
  ])('--created %s compares instants → %s', (expr, expected) => {
    const at10 = build(store, { created: '2026-11-01T10:00:00.000Z' });
    expect(matchesFilter(at10, parseFilter('created', expr))).toBe(expected);
  });
  it('an unknown field names the valid ones', () => {
    expect(() => parseFilter('pipline', 'x')).toThrow(/cannot filter builds by "pipline"/);
  });

  it.each([
    ['duration', 'gt:abc', /--duration gt:abc: expected a number/],
    ['images', 'two', /expected a number/],
    ['created', 'lt:yesterday', /expected a date like 2026-11-01/],
    ['is_local', 'yes', /expected true or false/],
  ])('--%s %s is bad input', (field, expr, message) => {
    expect(() => parseFilter(field, expr)).toThrow(message);
  });
});
