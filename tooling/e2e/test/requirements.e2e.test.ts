/**
 * Where an image's Python packages come from, end to end (fixtures/requirements/*):
 * (a) a pyproject.toml exported by `pyproject_export_command`. uv is not available offline and
 *     this machine's poetry has no `export` command, so the default uv → poetry path is checked
 *     with a stand-in `poetry` on PATH (fixtures/requirements/stub-bin) and for its failure
 *     message when neither can export;
 * (b) the project itself, installed by `local_project_install_command`;
 * (c) `required_integrations`, with an integration contributed by a plain-JS project plugin.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { dockerRunOk } from './docker.js';
import { Cleanup, editYaml, FIXTURES_DIR, fixtureProject, uniqueSuffix, type PlanJson } from './projects.js';
import { describeRun, runStowage, stowageJson, stowageOk } from './runStowage.js';

useE2E('requirements');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

async function project(fixture: string): Promise<{ dir: string; pipeline: string }> {
  const dir = cleanup.dir(await fixtureProject(`requirements/${fixture}`));
  const pipeline = `e2e-${fixture}-${uniqueSuffix()}`;
  await editYaml(dir, (c) => void (c.pipeline.name = pipeline));
  return { dir, pipeline };
}

async function build(dir: string): Promise<PipelineBuild> {
  const { json } = await stowageJson<PipelineBuild>(['build', '--json'], { cwd: dir });
  await cleanup.imagesOfStore(dir);
  return json;
}

const probe = (argv: string[]): boolean => spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', timeout: 30_000 }).status === 0;
const hasUv = probe(['uv', '--version']);
const hasPoetryExport = probe(['poetry', 'export', '--help']);
/** A CLI that has printed its error exits at once; this is generous. */
const EXIT_WITHIN_MS = 10_000;

describe('(a) requirements exported from a pyproject.toml', () => {
  it('pyproject_export_command [cat, "{directory}/exported-requirements.txt"]: the plan lists what it prints', async () => {
    const { dir } = await project('pyproject-export');
    // Regression: a command that exits before Stowage has closed its stdin (`cat FILE`) once
    // crashed the CLI with an uncaught EPIPE. It is a race, so the plan is made five times.
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await runStowage(['plan', '--json'], { cwd: dir }));
    for (const run of runs) {
      expect(run.stderr, describeRun(run)).not.toMatch(/EPIPE|^\s+at /m);
      expect(run.code, describeRun(run)).toBe(0);
    }
    const r = runs[0]!;
    const files = (JSON.parse(r.stdout) as PlanJson).images[0]!.requirementFiles;
    expect(files.map((f) => [f.name, f.source])).toEqual([['.stowage_pyproject_requirements', 'pyproject']]);
    expect(files[0]!.content).toContain('stowage-demo-core==1.1.0');
    expect(files[0]!.content).toContain('stowage-demo-features==1.0.0');
  });

  it('the built image has the exported packages installed', async () => {
    const { dir } = await project('pyproject-export');
    const image = (await build(dir)).images[0]!;
    expect(image.requirements.map((f) => f.source)).toEqual(['pyproject']);
    const show = await dockerRunOk(image.imageReference, ['pip', 'show', 'stowage-demo-features']);
    expect(show).toMatch(/^Name: stowage-demo-features$/m);
    expect(show).toMatch(/^Version: 1\.0\.0$/m);
    expect(await dockerRunOk(image.imageReference, ['python', '-c', 'import importlib.metadata as m; print(m.version("stowage-demo-core"))'])).toBe('1.1.0\n');
  });

  it.runIf(!hasUv && !hasPoetryExport)('without a command, the default export (uv, then poetry) fails with both reasons and the hint', async () => {
    const { dir } = await project('pyproject-export');
    await editYaml(dir, (c) => void delete c.settings.docker.pyproject_export_command);
    const r = await runStowage(['plan'], { cwd: dir, timeoutMs: EXIT_WITHIN_MS });
    expect(r.stderr).toMatch(/^error: stowage\.yaml:\d+ settings\.docker\.pyproject_path: could not export the dependencies of .*pyproject\.toml/m);
    expect(r.stderr).toMatch(/^\s+uv: .*command not found: uv/m);
    expect(r.stderr).toMatch(/^\s+poetry: .*poetry export/m);
    expect(r.stderr).toMatch(/hint: set `pyproject_export_command`/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // Regression: after a "command not found" the CLI once stayed alive for 10 minutes (an
    // uncleared spawn timeout).
    expect(r.timedOut, `the CLI did not exit by itself: ${describeRun(r)}`).toBe(false);
    expect(r.code, describeRun(r)).toBe(2);
  });

  it.runIf(!hasUv)('without a command, uv (missing) falls back to poetry (a stand-in on PATH), whose output is planned', async () => {
    const { dir } = await project('pyproject-export');
    await editYaml(dir, (c) => void delete c.settings.docker.pyproject_export_command);
    const stubBin = join(FIXTURES_DIR, 'requirements', 'stub-bin');
    const r = await runStowage(['plan', '--json'], { cwd: dir, env: { PATH: `${stubBin}:${process.env['PATH']}` }, timeoutMs: EXIT_WITHIN_MS });
    // The plan itself is right: poetry was asked as the default exporter would ask it...
    expect(await readFile(join(dir, 'poetry-argv.txt'), 'utf8')).toBe(`export --format=requirements.txt --directory=${dir} --without-hashes\n`);
    expect(r.stdout, describeRun(r)).toContain('stowage-demo-features==1.0.0');
    // ...and uv's "command not found" does not keep the finished CLI alive (a regression check).
    expect(r.timedOut, `the CLI did not exit by itself: ${describeRun(r)}`).toBe(false);
    expect(r.code, describeRun(r)).toBe(0);
    const files = (JSON.parse(r.stdout) as PlanJson).images[0]!.requirementFiles;
    expect(files.map((f) => [f.name, f.source])).toEqual([['.stowage_pyproject_requirements', 'pyproject']]);
    expect(files[0]!.content).toContain('stowage-demo-core==1.1.0');
  });

  it('an export command that is not installed: exit 2 at once, naming the command', async () => {
    const { dir } = await project('pyproject-export');
    await editYaml(dir, (c) => void (c.settings.docker.pyproject_export_command = ['no-such-exporter-xyz', '{directory}']));
    const r = await runStowage(['plan'], { cwd: dir, timeoutMs: EXIT_WITHIN_MS });
    expect(r.stderr).toMatch(/^error: stowage\.yaml:\d+ settings\.docker\.pyproject_export_command: pyproject export with `no-such-exporter-xyz .*` failed/m);
    expect(r.stderr).toMatch(/command not found: no-such-exporter-xyz/);
    expect(r.timedOut, `the CLI did not exit by itself (same bug as above): ${describeRun(r)}`).toBe(false);
    expect(r.code, describeRun(r)).toBe(2);
  });
});

describe('(b) local_project_install_command', () => {
  it('pip installs the project itself into the image', async () => {
    const { dir } = await project('local-project');
    const image = (await build(dir)).images[0]!;
    expect(image.dockerfiles[0]?.content).toContain('RUN pip install --no-build-isolation --no-deps .');
    // From / (not /app, where the source folder would be importable anyway): really installed.
    const out = await dockerRunOk(image.imageReference, ['python', '-c', 'import mylocalpkg; print(mylocalpkg.VALUE); print(mylocalpkg.__file__)'], { workdir: '/' });
    const [value, file] = out.trim().split('\n');
    expect(value).toBe('installed from the local project');
    expect(file).toMatch(/\/(site|dist)-packages\/mylocalpkg\/__init__\.py$/);
    expect(await dockerRunOk(image.imageReference, ['pip', 'show', 'mylocalpkg'])).toMatch(/^Version: 0\.3\.0$/m);
  });
});

describe('(c) required_integrations from a project plugin', () => {
  it('DEMO (any case) adds its Python requirements and apt packages', async () => {
    const { dir } = await project('integration');
    // Install the plain-JS plugin where Stowage resolves plugins: the project's node_modules.
    const pluginDir = join(dir, 'node_modules', '@e2e', 'stowage-demo-integration');
    await mkdir(pluginDir, { recursive: true });
    await cp(join(dir, 'plugin'), pluginDir, { recursive: true });

    const list = await stowageOk(['integrations', 'list'], { cwd: dir });
    expect(list.stdout).toMatch(/^demo\s+stowage-demo-cli==1\.0\.0\s+apt: curl\s+\(@e2e\/stowage-demo-integration\)$/m);

    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir });
    const planned = plan.images[0]!;
    expect(planned.aptPackages).toEqual(['curl']);
    expect(planned.requirementFiles.map((f) => [f.source, f.content.trim()])).toEqual([['integration', 'stowage-demo-cli==1.0.0']]);

    const image = (await build(dir)).images[0]!;
    expect(await dockerRunOk(image.imageReference, ['sh', '-c', 'command -v stowage-demo'])).toMatch(/\/stowage-demo\n$/);
    const demo = JSON.parse(await dockerRunOk(image.imageReference, ['stowage-demo', 'e2e'])) as Record<string, unknown>;
    expect(demo).toMatchObject({ app: 'stowage-demo', versions: { cli: '1.0.0', core: '1.1.0', features: '1.0.0' } });
    expect(await dockerRunOk(image.imageReference, ['curl', '--version'])).toMatch(/^curl \d/);
  });
});
