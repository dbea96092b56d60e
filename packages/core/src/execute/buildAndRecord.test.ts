import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageBuilder, ProcessRunner } from '@stowage/plugin-api';
import { LOCAL_STACK, planInputs } from '../../test/planInputs.js';
import type { BuildPlan } from '../model/plan.js';
import { planBuild } from '../plan/planBuild.js';
import { lazy } from '../plugins/Lazy.js';
import { BuildStore } from '../record/BuildStore.js';
import { Redactor } from '../settings/Redactor.js';
import type { StackComponents } from '../stack/openStack.js';
import { buildAndRecord, type BuildRunDeps } from './buildAndRecord.js';
import type { ImageResult, StepExecutors } from './ExecutionContext.js';
import { PlanExecutor, type ExecuteOptions } from './executePlan.js';

const components: StackComponents = { imageBuilder: lazy(async () => ({}) as ImageBuilder), codeRepositories: [] };
const plan = (): BuildPlan => planBuild(planInputs({ steps: {} }));

/** The real engine (PlanExecutor) with the given executors standing in for the builder. */
function realEngine(executors: Partial<StepExecutors>) {
  const executor = new PlanExecutor(components, LOCAL_STACK, {} as ProcessRunner, new Redactor());
  return { execute: (p: BuildPlan, o: ExecuteOptions = {}) => executor.execute(p, { ...o, executors }) } as unknown as PlanExecutor;
}

/** An engine that records how often it ran and "builds" every image after `ms`. */
function countingEngine(ms = 0, onRun: () => void = () => undefined) {
  const engine = {
    runs: 0,
    execute: async (p: BuildPlan): Promise<Map<string, ImageResult>> => {
      engine.runs++;
      onRun();
      await new Promise((r) => setTimeout(r, ms));
      return new Map(p.images.map((i) => [i.key, { imageName: i.imageName, imageId: 'sha256:built' }]));
    },
  };
  return engine;
}

function deps(stowageDir: string, executor: unknown): BuildRunDeps {
  return { builds: new BuildStore(stowageDir), redactor: new Redactor(), toolVersion: 'test', openStack: () => ({ executor: executor as PlanExecutor, components, snapshot: LOCAL_STACK }) };
}

const project = () => mkdtempSync(join(tmpdir(), 'stowage-run-'));
const lockFiles = (dir: string) => {
  try {
    return readdirSync(join(dir, 'locks')).filter((f) => f.endsWith('.lock'));
  } catch {
    return [];
  }
};
const storeFiles = (dir: string) => {
  try {
    return readdirSync(join(dir, 'builds'));
  } catch {
    return [];
  }
};

describe('a cancelled build records nothing, whenever the cancel comes', () => {
  it('Ctrl-C while the last step finishes: BUILD_CANCELLED, no record (the engine checks after every step)', async () => {
    const dir = project();
    const controller = new AbortController();
    const engine = realEngine({
      'docker-build': async (step, ctx) => {
        controller.abort(); // the signal arrives while the step completes
        ctx.results.set(step.image, { imageName: step.imageName });
      },
    });
    await expect(buildAndRecord(plan(), deps(dir, engine), { signal: controller.signal })).rejects.toMatchObject({ code: 'BUILD_CANCELLED', exitCode: 1 });
    expect(storeFiles(dir)).toEqual([]);
  });

  it('Ctrl-C after the engine returned, before the record is renamed into place: no record, no temp file', async () => {
    const dir = project();
    const controller = new AbortController();
    const engine = countingEngine(0, () => setImmediate(() => controller.abort()));
    await expect(buildAndRecord(plan(), deps(dir, engine), { signal: controller.signal })).rejects.toMatchObject({ code: 'BUILD_CANCELLED' });
    expect(storeFiles(dir)).toEqual([]);
  });

  it('cancelled before building (at plan time): nothing runs, nothing is recorded', async () => {
    const dir = project();
    const engine = countingEngine();
    await expect(buildAndRecord(plan(), deps(dir, engine), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'BUILD_CANCELLED' });
    expect([engine.runs, storeFiles(dir)]).toEqual([0, []]);
  });

  it('not cancelled: the build is recorded', async () => {
    const dir = project();
    const result = await buildAndRecord(plan(), deps(dir, countingEngine()), { signal: new AbortController().signal });
    expect(result.created).toBe(true);
    expect(storeFiles(dir)).toEqual([`${result.build.id}.json`]);
  });
});

describe('the build store is checked before anything is built', () => {
  it('.stowage is a file: a clear error (exit 1) naming it and what to do; the engine never ran', async () => {
    const root = project();
    const dir = join(root, '.stowage');
    writeFileSync(dir, 'not a folder');
    const engine = countingEngine();
    const error = await buildAndRecord(plan(), deps(dir, engine)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BUILD_FAILED', exitCode: 1, message: expect.stringMatching(/^cannot write build records in .*\.stowage\/builds: a part of that path is a file, not a folder \(ENOTDIR/) });
    expect((error as { hint: string }).hint).toMatch(/move the file named \.stowage/);
    expect(engine.runs).toBe(0);
  });

  it('.stowage/builds is a file: the same, before building', async () => {
    const dir = project();
    writeFileSync(join(dir, 'builds'), 'x');
    const engine = countingEngine();
    await expect(buildAndRecord(plan(), deps(dir, engine))).rejects.toMatchObject({ code: 'BUILD_FAILED', message: expect.stringContaining('(EEXIST') });
    expect(engine.runs).toBe(0);
  });
});

describe('concurrent builds of one plan', () => {
  it('8 at once (separate stores on one folder, as 8 processes): the engine runs once, the others reuse its record', async () => {
    const dir = project();
    const engine = countingEngine(150);
    const runs = await Promise.all(Array.from({ length: 8 }, () => buildAndRecord(plan(), deps(dir, engine))));
    expect(engine.runs).toBe(1);
    const made = runs.filter((r) => r.created);
    expect(made).toHaveLength(1);
    for (const r of runs.filter((x) => !x.created)) expect([r.build.id, r.madeConcurrently, r.builtImages]).toEqual([made[0]!.build.id, true, 0]);
    expect(storeFiles(dir)).toEqual([`${made[0]!.build.id}.json`]);
    expect(readdirSync(join(dir, 'locks'))).toEqual([]); // released
  });

  it('--prevent-build-reuse: they wait for each other, and each builds', async () => {
    const dir = project();
    let running = 0;
    let most = 0;
    const engine = countingEngine(30, () => (most = Math.max(most, ++running)));
    const execute = engine.execute;
    engine.execute = (p) => execute(p).finally(() => running--);
    const runs = await Promise.all(Array.from({ length: 3 }, () => buildAndRecord(plan(), deps(dir, engine), { preventBuildReuse: true })));
    expect([engine.runs, most, runs.filter((r) => r.created).length]).toEqual([3, 1, 3]);
  });

  it('a waiter tells the user whom it waits for', async () => {
    const dir = project();
    const events: unknown[] = [];
    const first = buildAndRecord(plan(), deps(dir, countingEngine(300)));
    while (!lockFiles(dir).length) await new Promise((r) => setTimeout(r, 5)); // until the first holds the lock
    await buildAndRecord(plan(), deps(dir, countingEngine()), { onEvent: (e) => events.push(e) });
    await first;
    expect(events).toContainEqual({ type: 'image-event', key: 'pipeline', event: { type: 'status', message: `waiting for another stowage build of the same images (process ${process.pid}) to finish` } });
  });

  it('a failed first build frees the lock: the next one builds', async () => {
    const dir = project();
    const failing = { execute: async () => Promise.reject(new Error('boom')) };
    await expect(buildAndRecord(plan(), deps(dir, failing))).rejects.toThrow('boom');
    const engine = countingEngine();
    expect((await buildAndRecord(plan(), deps(dir, engine))).created).toBe(true);
    expect(engine.runs).toBe(1);
  });

  it('a record of the same checksum the planner already knew (and chose not to reuse) is not taken', async () => {
    const dir = project();
    const engine = countingEngine();
    const first = await buildAndRecord(plan(), deps(dir, engine));
    const second = await buildAndRecord(plan(), deps(dir, engine)); // e.g. the image was deleted, so the planner rebuilds
    expect([engine.runs, second.created, second.build.id === first.build.id]).toEqual([2, true, false]);
  });
});

describe('no registry check when nothing is pushed', () => {
  it('a local plan never asks for the registry', async () => {
    const dir = project();
    mkdirSync(join(dir, 'builds'), { recursive: true });
    const registry = lazy(async () => {
      throw new Error('the registry was asked');
    });
    const d = deps(dir, countingEngine());
    d.openStack = () => ({ executor: countingEngine() as unknown as PlanExecutor, components: { ...components, containerRegistry: registry as never }, snapshot: LOCAL_STACK });
    expect((await buildAndRecord(plan(), d)).created).toBe(true);
  });
});
