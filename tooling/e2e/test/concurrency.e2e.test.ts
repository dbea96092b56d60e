/**
 * Eight `stowage build` processes at once on one project (fixtures/concurrency, two images):
 * after a first build, six run with --prevent-build-reuse (they build and each write a record)
 * and two without (they read the store while the others write it, and reuse). Every process
 * succeeds, and the store then holds only whole, valid records, no temp files, all of which
 * `stowage builds list` and `stowage builds get` can read.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { Cleanup, editYaml, fixtureProject, readStore, uniqueSuffix } from './projects.js';
import { describeRun, runStowage, stowageJson, stowageOk } from './runStowage.js';

useE2E('concurrency');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

describe('concurrent builds on one project', () => {
  it('8 processes at once: all succeed, the store holds only whole records', async () => {
    const dir = cleanup.dir(await fixtureProject('concurrency'));
    await editYaml(dir, (c) => void (c.pipeline.name = `e2e-concurrency-${uniqueSuffix()}`));
    const { json: first } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: dir });
    await cleanup.imagesOfStore(dir);

    const kinds = ['build', 'build', 'build', 'reuse', 'build', 'build', 'reuse', 'build'] as const;
    const runs = await Promise.all(
      kinds.map((kind) => runStowage(kind === 'build' ? ['build', '--json', '--prevent-build-reuse'] : ['build', '--json'], { cwd: dir })),
    );
    for (const r of runs) expect(r.code, describeRun(r)).toBe(0);
    const results = runs.map((r) => JSON.parse(r.stdout) as PipelineBuild);

    const builtIds = results.filter((_, i) => kinds[i] === 'build').map((b) => b.id);
    expect(new Set(builtIds).size).toBe(6); // six new, distinct records
    for (const [i, b] of results.entries()) if (kinds[i] === 'build') expect(b.images.map((img) => img.action)).toEqual(['built', 'built']);
    // The plain builds answered with an existing record as-is (the first build, or one written meanwhile).
    const allIds = [first.id, ...builtIds];
    for (const [i, b] of results.entries()) if (kinds[i] === 'reuse') expect(allIds).toContain(b.id);

    // The store: only whole records, each parsing with the PipelineBuild shape, and no temp files.
    const files = await readdir(join(dir, '.stowage', 'builds'));
    expect(files.filter((f) => !f.endsWith('.json')), 'leftover temp files').toEqual([]);
    expect(files.filter((f) => f.startsWith('.')), 'hidden (temp) files').toEqual([]);
    const store = await readStore(dir); // throws on a torn or invalid record
    expect(store.records.map((b) => b.id).sort()).toEqual([...allIds].sort());
    for (const id of builtIds) {
      const record = store.records.find((b) => b.id === id)!;
      expect(record).toEqual(results[results.findIndex((b) => b.id === id)]);
    }

    // The CLI lists them all, newest first, and gets each one.
    const { json: listed } = await stowageJson<PipelineBuild[]>(['builds', 'list', '--json'], { cwd: dir });
    expect(listed.map((b) => b.id).sort()).toEqual([...allIds].sort());
    const created = listed.map((b) => b.created);
    expect(created).toEqual([...created].sort().reverse());
    const gets = await Promise.all(allIds.map((id) => stowageJson<PipelineBuild>(['builds', 'get', id, '--json'], { cwd: dir })));
    expect(gets.map((g) => g.json.id)).toEqual(allIds);
    // Short id prefixes work too.
    const { json: byPrefix } = await stowageJson<PipelineBuild>(['builds', 'get', first.id.slice(0, 8), '--json'], { cwd: dir });
    expect(byPrefix.id).toBe(first.id);
    await cleanup.imagesOfStore(dir);

    // Filters: all builds are of this pipeline.
    const pipeline = first.pipeline;
    const { json: filtered } = await stowageJson<PipelineBuild[]>(['builds', 'list', '--json', '--pipeline', `startswith:${pipeline.slice(0, -3)}`], { cwd: dir });
    expect(filtered).toHaveLength(allIds.length);
    const none = await stowageOk(['builds', 'list', '--pipeline', 'startswith:no-such-pipeline'], { cwd: dir });
    expect(none.stdout).toBe('No pipeline builds found.\n');

    // Deleting one build removes its record, and only that one.
    const victim = builtIds[0]!;
    const del = await stowageOk(['builds', 'delete', victim, '--yes'], { cwd: dir });
    expect(del.stdout).toBe(`Deleted pipeline build ${victim}.\n`);
    expect((await readStore(dir)).records.map((b) => b.id).sort()).toEqual(allIds.filter((id) => id !== victim).sort());
    const gone = await runStowage(['builds', 'get', victim], { cwd: dir });
    expect(gone.code, describeRun(gone)).toBe(2);
    expect(gone.stderr).toContain(`no build with id "${victim}"`);
    // Without --yes and without a terminal, nothing is deleted.
    const refused = await runStowage(['builds', 'delete', first.id], { cwd: dir });
    expect(refused.code, describeRun(refused)).toBe(2);
    expect(refused.stderr).toMatch(/pass --yes/);
    expect((await readStore(dir)).records.map((b) => b.id)).toContain(first.id);
  });
});
