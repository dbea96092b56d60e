/**
 * Daemonless code layers (issue 12) on the real engine and registry (fixtures/append): the image
 * whose code is appended as layers in 127.0.0.1:5000 runs like the one `docker build` makes with
 * the code copied in (files, owners, modes, symlinks, env, user, workdir, entry); a code-only
 * change runs no Docker build (the engine's event stream stays empty) and uploads one small
 * layer; the stat cache never ships a stale file (same-size edit with its mtime restored, an edit
 * within the same second, a file replaced by a link); a cancelled append leaves no tag.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { docker, dockerOk, localTags } from './docker.js';
import { leftovers, signalWhen } from './faultsProject.js';
import { Cleanup, editYaml, fixtureProject, readStore, uniqueSuffix, type PlanJson } from './projects.js';
import { describeRun, runStowage, stowageJson, type StowageResult } from './runStowage.js';

const gate = useE2E('append');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

const MANIFEST_TYPES = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'].join(', ');

async function project(): Promise<{ dir: string; pipeline: string }> {
  const dir = cleanup.dir(await fixtureProject('append'));
  const run = uniqueSuffix();
  const pipeline = `e2e-append-${run}`;
  await editYaml(dir, (c) => {
    c.pipeline.name = pipeline;
    c.settings.docker.environment.E2E_RUN = run;
  });
  // What a fixture in git cannot hold: a symlink, an empty folder, a large file (its own layer).
  await symlink('pkg/mod.py', join(dir, 'link.py'));
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data', 'weights.bin'), randomBytes(3 << 20));
  return { dir, pipeline };
}

/** The image pulled by reference (registry images) and registered for removal. */
async function pulled(reference: string): Promise<string> {
  await dockerOk(['pull', '-q', reference]);
  cleanup.image(reference);
  return reference;
}

/** What a container of the image sees: /app's tree with owners, modes, link targets and contents; who and where it runs; its environment. */
async function snapshot(image: string): Promise<string> {
  const script = [
    'cd /app',
    "find . -printf '%p %U:%G %m %y %l\\n' | LC_ALL=C sort",
    'find . -type f -exec sha256sum {} + | LC_ALL=C sort',
    'id',
    'pwd',
    'env | grep -v ^HOSTNAME= | LC_ALL=C sort',
    'python hello.py',
    './bin/run.sh',
    'touch /app/written-by-the-step && echo the step can write /app',
  ].join(' && ');
  const out = await docker(['run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', script]);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout;
}

/** The image config a runtime reads (labels included), as docker sees it. */
async function config(image: string): Promise<unknown> {
  const raw = JSON.parse(await dockerOk(['image', 'inspect', image, '--format', '{{json .Config}}'])) as Record<string, unknown>;
  const { Env, User, WorkingDir, Entrypoint, Cmd, Labels } = raw;
  return { Env, User, WorkingDir, Entrypoint, Cmd, Labels };
}

/** Engine events (containers, images) while `during` runs: a Docker build would create containers and tag images. */
async function engineEvents(during: () => Promise<StowageResult>): Promise<{ events: string[]; run: StowageResult }> {
  const watcher = spawn('docker', ['events', '--format', '{{.Type}} {{.Action}} {{.Actor.ID}}', '--filter', 'type=container', '--filter', 'type=image']);
  let out = '';
  watcher.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((r) => setTimeout(r, 500)); // the stream is open before the build starts
  try {
    const run = await during();
    await new Promise((r) => setTimeout(r, 500));
    return { events: out.split('\n').filter(Boolean), run };
  } finally {
    watcher.kill();
  }
}

const build = (dir: string, ...args: string[]) => stowageJson<PipelineBuild>(['build', '--json', ...args], { cwd: dir, timeoutMs: 300_000 });

describe('code appended as layers in the registry', () => {
  it('runs like the image docker build makes with the code copied in, and a code-only change runs no Docker build', async () => {
    const { dir, pipeline } = await project();
    // The same settings and code without a registry: copied in by the Docker build.
    const { json: engine } = await build(dir, '--stack', 'engine');
    cleanup.image(engine.images[0]!.imageName);
    expect(engine.images[0]!.dependencyImage).toBeUndefined();

    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir });
    expect(plan.images[0]!.buildSteps.map((s) => s.kind)).toEqual(['docker-build', 'push', 'append-layer']);
    const { json: appended, run } = await build(dir);
    cleanup.image(...[...(await localTags())].filter((t) => t.includes(pipeline)));
    const image = appended.images[0]!;
    expect(image.action).toBe('built');
    expect(image.checksum).toBe(engine.images[0]!.checksum);
    expect(image.dependencyImage?.imageName).toMatch(/-deps$/);
    expect(image.imageReference).toMatch(/^127\.0\.0\.1:5000\/stowage@sha256:[0-9a-f]{64}$/);
    expect(run.stderr, describeRun(run)).toMatch(/appended \d+ code layers?/);

    const ref = await pulled(image.imageReference);
    expect(await snapshot(ref)).toBe(await snapshot(engine.images[0]!.imageName));
    expect(await config(ref)).toEqual(await config(engine.images[0]!.imageName));
    const history = await dockerOk(['image', 'history', '--no-trunc', '--format', '{{.CreatedBy}}', ref]);
    expect(history).toMatch(/stowage: code \d+\/16 of \/app/);
    expect(history).toMatch(/stowage: large \d+\/4 of \/app \(1 file, 3\.0 MiB\)/);

    // A code-only change: the dependency image is reused from the registry, nothing runs on the engine.
    await writeFile(join(dir, 'pkg', 'mod.py'), 'def greet():\n    return "hello from version 2"\n');
    const { json: again } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir });
    expect(again.images[0]!.buildSteps.map((s) => s.kind)).toEqual(['append-layer']);
    expect(again.images[0]!.why.join('\n')).toMatch(/pkg\/mod\.py/);
    const { events, run: second } = await engineEvents(() => runStowage(['build', '--json'], { cwd: dir, timeoutMs: 120_000 }));
    expect(second.code, describeRun(second)).toBe(0);
    expect(events, 'a code-only change touched the engine').toEqual([]);
    const rebuilt = (JSON.parse(second.stdout) as PipelineBuild).images[0]!;
    expect(rebuilt.dependencyImage?.reusedFrom).toBe(appended.id);
    expect(rebuilt.dependencyImage?.imageReference).toBe(image.dependencyImage!.imageReference);
    // Only the changed layer went up: the large file's layer and the other code layers were there.
    expect(second.stderr).toMatch(/appended \d+ code layers: [\d.]+ (B|KiB) uploaded/);
    const v2 = await pulled(rebuilt.imageReference);
    expect((await docker(['run', '--rm', '--network', 'none', v2, 'python', 'hello.py'])).stdout).toBe('hello from version 2\n');

    // Nothing changed: the build is returned as-is.
    const same = await runStowage(['build'], { cwd: dir });
    expect(same.stdout, describeRun(same)).toMatch(/Reusing existing build/);
    expect((await readStore(dir)).records).toHaveLength(3);
  });

  it('the stat cache never ships a stale file: same size with the mtime restored, an edit in the same second, a file replaced by a link', async () => {
    const { dir } = await project();
    const mod = join(dir, 'pkg', 'mod.py');
    const first = (await build(dir)).json.images[0]!;
    cleanup.image(first.dependencyImage!.imageName);
    const greet = async (reference: string) => (await docker(['run', '--rm', '--network', 'none', await pulled(reference), 'python', 'hello.py'])).stdout;
    expect(await greet(first.imageReference)).toBe('hello from version 1\n');

    // Same size, same mtime (restored): only ctime says it changed.
    const before = await stat(mod);
    await writeFile(mod, (await readFile(mod, 'utf8')).replace('version 1', 'version 9'));
    await utimes(mod, before.atime, before.mtime);
    expect((await stat(mod)).size).toBe(before.size);
    const second = (await build(dir)).json.images[0]!;
    expect(await greet(second.imageReference)).toBe('hello from version 9\n');

    // Twice within one second: the racy-timestamp guard re-reads what the cache saw in that second.
    await writeFile(mod, 'def greet():\n    return "hello from version A"\n');
    const third = (await build(dir)).json.images[0]!;
    await writeFile(mod, 'def greet():\n    return "hello from version B"\n');
    const fourth = (await build(dir)).json.images[0]!;
    expect(await greet(third.imageReference)).toBe('hello from version A\n');
    expect(await greet(fourth.imageReference)).toBe('hello from version B\n');

    // The file replaced by a link to another module of the same size.
    await writeFile(join(dir, 'pkg', 'other.py'), 'def greet():\n    return "hello from version C"\n');
    await rm(mod);
    await symlink('other.py', mod);
    const fifth = (await build(dir)).json.images[0]!;
    const ref = await pulled(fifth.imageReference);
    expect((await docker(['run', '--rm', '--network', 'none', ref, 'readlink', '/app/pkg/mod.py'])).stdout).toBe('other.py\n');
    expect(await greet(fifth.imageReference)).toBe('hello from version C\n');
  });

  it('a cancelled append (SIGINT while its layers upload) leaves no tag and no record', async () => {
    const { dir, pipeline } = await project();
    // A large layer that takes a moment to write and upload.
    await writeFile(join(dir, 'data', 'weights.bin'), randomBytes(48 << 20));
    // While the large layer is being sent.
    const at = signalWhen(/uploading 48\.0 MiB:/, 'SIGINT');
    const r = await runStowage(['build', '--progress', 'plain'], { cwd: dir, timeoutMs: 120_000, onStderr: at.onStderr });
    cleanup.image(...[...(await localTags())].filter((t) => t.includes(pipeline)));
    expect(at.sentAt(), `the large layer was never sent: ${describeRun(r)}`).toBeGreaterThan(0);
    expect(r.code, describeRun(r)).toBe(130);
    expect((await readStore(dir)).records).toEqual([]);
    expect(await leftovers(dir)).toEqual([]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir });
    const [repo, tag] = plan.images[0]!.imageName.replace(`${gate.env.registry}/`, '').split(':') as [string, string];
    const head = await fetch(`http://${gate.env.registry}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
    expect(head.status, 'the cancelled append left its tag').toBe(404);
  });
});
