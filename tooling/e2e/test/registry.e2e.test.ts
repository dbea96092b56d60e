/**
 * Stacks with the `oci` container registry (fixtures/registry): the harness's loopback registries
 * at 127.0.0.1:5000 (open) and 127.0.0.1:5001 (basic auth, password from ${E2E_REGISTRY_PASSWORD}).
 * Builds push; the recorded digest is the one the registry serves; a second build checks the image
 * is still there and reuses it; a tag deleted from the registry makes the plan build again; a
 * wrong password fails the build without recording it; the password is never shown.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { localTags, removeImages } from './docker.js';
import { Cleanup, editYaml, fixtureProject, readStore, uniqueSuffix, type PlanJson } from './projects.js';
import { describeRun, runStowage, stowageJson, stowageOk, type StowageResult } from './runStowage.js';

const gate = useE2E('registry');
const cleanup = new Cleanup();
/** Manifests this file pushed, deleted from the registries at the end: [registry, repository, digest, auth?]. */
const pushed: [string, string, string, boolean][] = [];
afterAll(async () => {
  for (const [registry, repo, digest, auth] of pushed) await manifestRequest('DELETE', registry, repo, digest, auth).catch(() => undefined);
  await cleanup.run();
});

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** `HEAD|DELETE http://<registry>/v2/<repo>/manifests/<ref>`, with basic auth for the auth registry. */
async function manifestRequest(method: 'HEAD' | 'DELETE', registry: string, repo: string, ref: string, auth: boolean): Promise<Response> {
  const headers: Record<string, string> = { Accept: MANIFEST_TYPES };
  if (auth) {
    const { registryUser, registryPassword } = gate.env;
    headers['Authorization'] = `Basic ${Buffer.from(`${registryUser}:${registryPassword}`).toString('base64')}`;
  }
  return fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { method, headers });
}

/** `host:port/repo:tag` → [repo, tag]. */
function splitName(imageName: string, registry: string): [string, string] {
  expect(imageName.startsWith(`${registry}/`), imageName).toBe(true);
  const rest = imageName.slice(registry.length + 1);
  const colon = rest.lastIndexOf(':');
  return [rest.slice(0, colon), rest.slice(colon + 1)];
}

async function project(): Promise<{ dir: string; pipeline: string }> {
  const dir = cleanup.dir(await fixtureProject('registry'));
  const run = uniqueSuffix();
  const pipeline = `e2e-registry-${run}`;
  await editYaml(dir, (c) => {
    c.pipeline.name = pipeline;
    c.settings.docker.environment.E2E_RUN = run; // a digest of its own
  });
  return { dir, pipeline };
}

/** Local tags a failed or pushed build left for this pipeline (the builder tags before pushing). */
async function localTagsOf(pipeline: string): Promise<string[]> {
  return [...(await localTags())].filter((t) => t.includes(pipeline));
}

describe('OCI container registry', () => {
  it('open registry: pushes, records the registry digest, reuses after checking, rebuilds when the tag is gone', async () => {
    const { registry } = gate.env;
    const { dir, pipeline } = await project();
    const opts = { cwd: dir, env: { E2E_REGISTRY_PASSWORD: gate.env.registryPassword } };

    const { json: build } = await stowageJson<PipelineBuild>(['build', '--json'], opts);
    cleanup.image(...(await localTagsOf(pipeline)));
    expect(build.isLocal).toBe(false);
    const image = build.images[0]!;
    expect(image.action).toBe('built');
    expect(image.imageName).toMatch(new RegExp(`^${registry.replaceAll('.', '\\.')}/stowage:${pipeline}-[0-9a-f]{12}$`));
    const [repo, tag] = splitName(image.imageName, registry);
    const head = await manifestRequest('HEAD', registry, repo, tag, false);
    expect(head.status).toBe(200);
    const served = head.headers.get('docker-content-digest');
    expect(served).toMatch(/^sha256:[0-9a-f]{64}$/);
    pushed.push([registry, repo, served!, false]);
    expect(image.digest).toBe(served);
    expect(image.imageReference).toBe(`${registry}/${repo}@${served}`);

    // Second build: the registry still has the image, so the build is reused.
    const again = await stowageOk(['build'], opts);
    expect(again.stdout, describeRun(again)).toContain(`Reusing existing build ${build.id}`);
    expect(again.stderr).not.toMatch(/^\[pipeline\] /m);
    expect((await readStore(dir)).records).toHaveLength(1);

    // Delete the image from the registry: the planner notices and plans a build.
    const deleted = await manifestRequest('DELETE', registry, repo, served!, false);
    expect(deleted.status).toBe(202);
    expect((await manifestRequest('HEAD', registry, repo, tag, false)).status).toBe(404);
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], opts);
    expect(plan.images[0]?.action).toBe('build');
    expect(plan.images[0]?.why.join('; ')).toMatch(/no longer exists/);
    expect(plan.images[0]?.why.join('; ')).toContain(build.id);

    // ...and the next build pushes it again under the same name.
    const { json: rebuilt } = await stowageJson<PipelineBuild>(['build', '--json'], opts);
    expect(rebuilt.id).not.toBe(build.id);
    expect(rebuilt.images[0]?.action).toBe('built');
    expect(rebuilt.images[0]?.imageName).toBe(image.imageName);
    const headAgain = await manifestRequest('HEAD', registry, repo, tag, false);
    expect(headAgain.status).toBe(200);
    expect(rebuilt.images[0]?.digest).toBe(headAgain.headers.get('docker-content-digest'));
    pushed.push([registry, repo, rebuilt.images[0]!.digest!, false]);
    expect((await readStore(dir)).records.map((b) => b.id).sort()).toEqual([build.id, rebuilt.id].sort());
  });

  it('auth registry: pushes with the login from ${E2E_REGISTRY_PASSWORD}, and never shows the password', async () => {
    const { authRegistry, registryPassword } = gate.env;
    const { dir, pipeline } = await project();
    const opts = { cwd: dir, env: { E2E_REGISTRY_PASSWORD: registryPassword } };
    const runs: StowageResult[] = [];

    const describeStack = await stowageOk(['stack', 'describe', 'auth'], opts);
    runs.push(describeStack);
    expect(describeStack.stdout).toMatch(/uri: 127\.0\.0\.1:5001/);
    expect(describeStack.stdout).toMatch(/password: "?\*\*\*"?/);

    // -o goes outside the project: a file written into the source root would change the code.
    const outFile = join(cleanup.dir(await mkdtemp(join(tmpdir(), 'stowage-e2e-out-'))), 'build.yaml');
    const built = await stowageJson<PipelineBuild>(['build', '--json', '--stack', 'auth', '-o', outFile], opts);
    runs.push(built.run);
    cleanup.image(...(await localTagsOf(pipeline)));
    const image = built.json.images[0]!;
    expect(image.imageName.startsWith(`${authRegistry}/`)).toBe(true);
    const [repo, tag] = splitName(image.imageName, authRegistry);
    expect((await manifestRequest('HEAD', authRegistry, repo, tag, false)).status).toBe(401); // really needs the login
    const head = await manifestRequest('HEAD', authRegistry, repo, tag, true);
    expect(head.status).toBe(200);
    const served = head.headers.get('docker-content-digest');
    pushed.push([authRegistry, repo, served!, true]);
    expect(image.digest).toBe(served);
    expect(image.imageReference).toBe(`${authRegistry}/${repo}@${served}`);

    const again = await stowageOk(['build', '--stack', 'auth'], opts);
    runs.push(again);
    expect(again.stdout, describeRun(again)).toContain(`Reusing existing build ${built.json.id}`);
    runs.push(await stowageOk(['plan', '--stack', 'auth'], opts), await stowageOk(['builds', 'get', built.json.id], opts));

    // The password appears nowhere: not in any output, the records, or the -o file.
    for (const r of runs) {
      expect(r.stdout, r.command).not.toContain(registryPassword);
      expect(r.stderr, r.command).not.toContain(registryPassword);
    }
    const stowageDir = join(dir, '.stowage', 'builds');
    for (const f of await readdir(stowageDir)) expect(await readFile(join(stowageDir, f), 'utf8'), f).not.toContain(registryPassword);
    const yaml = await readFile(outFile, 'utf8');
    expect(yaml).toContain(built.json.id);
    expect(yaml).not.toContain(registryPassword);
  });

  it('wrong password: exit 1 naming the registry, nothing recorded, the password not shown', async () => {
    const { authRegistry } = gate.env;
    const { dir, pipeline } = await project();
    const wrong = `wrong-${uniqueSuffix()}-pass`;
    const r = await runStowage(['build', '--stack', 'auth'], { cwd: dir, env: { E2E_REGISTRY_PASSWORD: wrong } });
    await removeImages(await localTagsOf(pipeline)); // built locally before the push failed
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stderr).toContain(authRegistry);
    expect(r.stderr).toMatch(/^error: .*(unauthori[sz]ed|authentication|credentials)/im);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect((await readStore(dir)).files).toEqual([]);

    // --debug adds the stack trace, still without the password.
    const debug = await runStowage(['build', '--stack', 'auth', '--debug'], { cwd: dir, env: { E2E_REGISTRY_PASSWORD: wrong } });
    await removeImages(await localTagsOf(pipeline));
    expect(debug.code, describeRun(debug)).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
    expect(debug.stdout + debug.stderr).not.toContain(wrong);
    expect((await readStore(dir)).files).toEqual([]);
  });
});
