/**
 * Fault injection (issue 14, "Faults and concurrency"): signals at each moment of a build, a
 * registry that is down or refuses the login, a full and a read-only store (small tmpfs mounts;
 * the harness runs as root), `.stowage` being a file, concurrent builds and deletes. Each run
 * ends with a clear message and the right exit code and leaves nothing half-done: no record, no
 * temp or lock file, no image tag. Every build is FROM one 2 MB image (fixtures/faults/tiny.Dockerfile).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { localTags, removeImages } from './docker.js';
import { expectNothingLeft, expectRecordedIffSucceeded, faultProject, leftovers, signalWhen, startStowage, type FaultProject } from './faultsProject.js';
import { Cleanup, editYaml, readStore } from './projects.js';
import { describeRun, runStowage, stowageJson, type StowageResult } from './runStowage.js';

useE2E('faults');
// Every stack's `${VAR}`s must be set, the fixture's other stacks' too.
process.env['E2E_WRONG_PASSWORD'] = 'not-the-password';
process.env['E2E_SECOND_ENGINE'] ??= 'unix:///nonexistent/faults-second-engine.sock';
const cleanup = new Cleanup();
const mounts: string[] = [];
afterAll(async () => {
  for (const m of mounts.splice(0)) execFileSync('umount', [m]);
  await cleanup.run();
});

async function tagsOf(pipeline: string): Promise<string[]> {
  return [...(await localTags())].filter((t) => t.includes(pipeline));
}

/** Builds with `moment` answered by `signal`, `--json` so a finished build names its record. */
async function buildSignalled(project: FaultProject, moment: RegExp, signal: NodeJS.Signals, args: string[] = []): Promise<StowageResult> {
  const at = signalWhen(moment, signal);
  const r = await runStowage(['build', '--json', ...args], { cwd: project.dir, timeoutMs: 60_000, onStderr: at.onStderr });
  expect(at.sentAt(), `the moment never came: ${describeRun(r)}`).toBeGreaterThan(0);
  cleanup.image(...(await tagsOf(project.pipeline)));
  return r;
}

/** A tmpfs of `size` mounted on the project's `.stowage`, filled up or read-only. */
function mountStore(project: FaultProject, state: 'full' | 'read-only'): void {
  const dir = join(project.dir, '.stowage');
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
  mounts.push(dir);
  if (state === 'full') {
    try {
      writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  } else execFileSync('mount', ['-o', 'remount,ro', dir]);
}

describe('signals: a cancelled build records nothing and leaves nothing', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during a RUN step: exit %i, "cancelled", no record, tag or temp file', async (signal, code) => {
    const project = await faultProject(cleanup, 'sleep 60');
    const r = await buildSignalled(project, /RUN sleep 60[\s\S]*Running in /, signal);
    expect(r.code, describeRun(r)).toBe(code);
    expect(JSON.parse(r.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'BUILD_CANCELLED', message: 'build cancelled; nothing was recorded' } });
    expect(r.ms).toBeLessThan(30_000);
    await expectNothingLeft(project, r, `${signal} at RUN`);
  });

  it('SIGINT at plan time (while an export command runs): exit 130, nothing built or recorded', async () => {
    const project = await faultProject(cleanup);
    const marker = join(cleanup.dir(await mkdtemp(join(tmpdir(), 'stowage-e2e-plan-'))), 'export-started');
    writeFileSync(join(project.dir, 'pyproject.toml'), '[project]\nname = "faults"\nversion = "0"\n');
    await editYaml(project.dir, (c) => {
      c.settings.docker.pyproject_path = 'pyproject.toml';
      c.settings.docker.pyproject_export_command = ['sh', '-c', `touch ${marker}; sleep 4`];
    });
    const { child, done } = startStowage(['build'], project.dir);
    const deadline = Date.now() + 30_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker), 'the export command never ran').toBe(true);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, describeRun(r)).toBe(130);
    expect(r.stderr).not.toMatch(/building stowage:/);
    await expectNothingLeft(project, r, 'SIGINT at plan');
  });

  it('SIGINT the moment the last image is tagged (record time), 3 times: a record if and only if it exits 0', async () => {
    const project = await faultProject(cleanup);
    for (let i = 0; i < 3; i++) {
      const r = await buildSignalled(project, /Successfully tagged/, 'SIGINT', ['--prevent-build-reuse']);
      await expectRecordedIffSucceeded(project, r, 130);
      for (const b of (await readStore(project.dir)).records) await runStowage(['builds', 'delete', b.id, '--yes'], { cwd: project.dir });
    }
  });

  it('SIGINT during the push: a record if and only if it exits 0, no temp file', async () => {
    const project = await faultProject(cleanup);
    const r = await buildSignalled(project, /Successfully tagged 127\.0\.0\.1:5000/, 'SIGINT', ['--stack', 'registry']);
    await expectRecordedIffSucceeded(project, r, 130);
  });

  it('SIGKILL mid-build: no record or temp file; the next build takes over the dead process\'s lock and succeeds', async () => {
    const project = await faultProject(cleanup);
    const r = await buildSignalled(project, /Step 1\/\d+ : FROM/, 'SIGKILL');
    expect(r.code, describeRun(r)).toBe(-1);
    expect((await readStore(project.dir)).records).toEqual([]);
    expect(await leftovers(project.dir)).toEqual([expect.stringMatching(/^locks\/[0-9a-f]{64}\.lock$/)]);
    const { json } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: project.dir, timeoutMs: 60_000 });
    cleanup.image(json.images[0]!.imageName);
    expect(json.images.map((i) => i.action)).toEqual(['built']);
    expect(await leftovers(project.dir)).toEqual([]);
  });
});

describe('environment failures: a clear message and exit 1, checked before building', () => {
  const expectRefusedBeforeBuilding = async (project: FaultProject, r: StowageResult, message: RegExp) => {
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stderr, describeRun(r)).toMatch(message);
    expect(r.stderr).toMatch(/^\s+hint: /m);
    expect(r.stderr, 'it built first').not.toMatch(/Step 1\/|building stowage:/);
    await expectNothingLeft(project, r, 'refused');
  };

  it('a full store (256 KiB tmpfs, filled): "no space is left", nothing built', async () => {
    const project = await faultProject(cleanup);
    mountStore(project, 'full');
    const r = await runStowage(['build'], { cwd: project.dir });
    await expectRefusedBeforeBuilding(project, r, /^error: cannot write build records in .*\.stowage\/builds: no space is left on the device \(ENOSPC/m);
  });

  it('a read-only store (tmpfs remounted ro): "read-only", nothing built', async () => {
    const project = await faultProject(cleanup);
    mountStore(project, 'read-only');
    const r = await runStowage(['build'], { cwd: project.dir });
    await expectRefusedBeforeBuilding(project, r, /^error: cannot write build records in .*: the file system is read-only \(EROFS/m);
  });

  it('.stowage is a file: says so and what to do, nothing built', async () => {
    const project = await faultProject(cleanup);
    writeFileSync(join(project.dir, '.stowage'), 'not a folder\n');
    const r = await runStowage(['build'], { cwd: project.dir });
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stderr).toMatch(/\.stowage.*a part of that path is a file, not a folder \(ENOTDIR/);
    expect(r.stderr).toMatch(/hint: move the file named \.stowage/);
    expect(r.stderr).not.toMatch(/unexpected failure|Step 1\//);
  });

  it.each([
    ['down (wrong port)', 'wrong-port', /^error: cannot push to the registry 127\.0\.0\.1:5999: .*could not reach .*ECONNREFUSED/m],
    ['refusing the login (wrong password)', 'wrong-password', /^error: cannot push to the registry 127\.0\.0\.1:5001: .*rejected the credentials/m],
  ])('a registry %s: REGISTRY_FAILED before anything is built', async (_, stack, message) => {
    const project = await faultProject(cleanup);
    const r = await runStowage(['build', '--stack', stack], { cwd: project.dir });
    await expectRefusedBeforeBuilding(project, r, message);
    expect(r.stderr).not.toContain('not-the-password');
  });
});

describe('concurrency', () => {
  it('8 `stowage build`s of one project at once: the image is built once, one record, all 8 answer with it', async () => {
    const project = await faultProject(cleanup);
    const runs = await Promise.all(Array.from({ length: 8 }, () => runStowage(['build', '--json'], { cwd: project.dir, timeoutMs: 120_000 })));
    for (const r of runs) expect(r.code, describeRun(r)).toBe(0);
    const { records } = await readStore(project.dir);
    cleanup.image(...records.flatMap((b) => b.images.map((i) => i.imageName)));
    expect(records).toHaveLength(1);
    expect(runs.map((r) => (JSON.parse(r.stdout) as PipelineBuild).id)).toEqual(Array(8).fill(records[0]!.id));
    expect(runs.filter((r) => /Step 1\//.test(r.stderr)), 'processes that ran the engine build').toHaveLength(1);
    expect(await leftovers(project.dir)).toEqual([]);

    // Three deletes of that build at once: none fails unexpectedly, the record is gone.
    const deletes = await Promise.all(Array.from({ length: 3 }, () => runStowage(['builds', 'delete', records[0]!.id, '--yes'], { cwd: project.dir })));
    for (const d of deletes) {
      expect([0, 2], describeRun(d)).toContain(d.code);
      expect(d.stderr).not.toMatch(/unexpected failure/);
    }
    expect(deletes.filter((d) => d.code === 0).length).toBeGreaterThan(0);
    expect((await readStore(project.dir)).records).toEqual([]);
  });
});

afterAll(async () => {
  // Images a refused or cancelled run must not have made are asserted above; this drops those
  // the successful runs made under the suite's pipeline names.
  await removeImages([...(await localTags())].filter((t) => t.includes('e2e-faults-')));
});
