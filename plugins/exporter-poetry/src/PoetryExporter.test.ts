import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlugin, type ProcessRequest } from '@stowage/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedRunner } from './__fixtures__/ScriptedRunner.js';
import plugin, { poetryExporter } from './plugin.js';
import { PoetryExporter } from './PoetryExporter.js';

let project: string;
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'stowage-poetry-'));
  await writeFile(join(project, 'pyproject.toml'), '[tool.poetry]\nname = "demo"\nversion = "0.1.0"\n');
});
afterEach(() => rm(project, { recursive: true, force: true }));

// What poetry-plugin-export 1.x prints with --without-hashes: a develop path dependency, a
// non-develop one, and pins with the markers Poetry derives from `python = "^3.9"`.
const MARKER = 'python_version >= "3.9" and python_version < "4.0"';
const POETRY_EXPORT_OUTPUT = [
  '--index-url https://pypi.example.org/simple',
  `certifi==2024.8.30 ; ${MARKER}`,
  `-e file:///home/me/proj/devlib ; ${MARKER}`,
  `localdep @ file:///home/me/proj/localdep ; ${MARKER}`,
  `numpy==1.26.4 ; ${MARKER}`,
  '',
].join('\n');

const exportRunner = () => new ScriptedRunner(() => ({ stdout: POETRY_EXPORT_OUTPUT }));
const usesDirectoryOption = (r: ProcessRequest) => typeof r.command !== 'string' && r.command.some((a) => a.startsWith('--directory'));
const DIRECTORY_REFUSED = { fail: '`poetry export …` exited with code 1', details: ['The "--directory" option does not exist.'] };

describe('PoetryExporter.exportPyproject', () => {
  it("runs ZenML's default poetry export argv in the pyproject folder", async () => {
    const runner = exportRunner();
    const result = await new PoetryExporter(runner).exportPyproject(project, { projectRoot: '/elsewhere' });
    expect(runner.requests).toEqual([
      { command: ['poetry', 'export', '--format=requirements.txt', `--directory=${project}`, '--without-hashes'], cwd: project, timeoutMs: 300_000, signal: undefined },
    ]);
    expect(result.command).toBe(`poetry export --format=requirements.txt --directory=${project} --without-hashes`);
  });

  it("returns Poetry's export as printed (index line, pins, path dependencies) for the host to filter", async () => {
    const result = await new PoetryExporter(exportRunner()).exportPyproject(project, { projectRoot: project });
    expect(result.requirements).toBe(POETRY_EXPORT_OUTPUT);
    expect(result.dropped).toBeUndefined();
  });

  it('retries without --directory, from inside the folder, when Poetry does not know the option', async () => {
    const runner = new ScriptedRunner((r) => (usesDirectoryOption(r) ? DIRECTORY_REFUSED : { stdout: POETRY_EXPORT_OUTPUT }));
    const result = await new PoetryExporter(runner).exportPyproject(project, { projectRoot: project });
    expect(runner.requests.map((r) => [r.command, r.cwd])).toEqual([
      [['poetry', 'export', '--format=requirements.txt', `--directory=${project}`, '--without-hashes'], project],
      [['poetry', 'export', '--format=requirements.txt', '--without-hashes'], project],
    ]);
    expect(result.command).toBe('poetry export --format=requirements.txt --without-hashes');
  });

  it('reports the fallback and its stderr when the retry fails too', async () => {
    const runner = new ScriptedRunner((r) =>
      usesDirectoryOption(r) ? DIRECTORY_REFUSED : { fail: '`poetry export …` exited with code 1', details: ['poetry.lock is not consistent with pyproject.toml'] },
    );
    const failure = new PoetryExporter(runner).exportPyproject(project, { projectRoot: project });
    await expect(failure).rejects.toMatchObject({
      message: 'Failed to export pyproject dependencies with command `poetry export --format=requirements.txt --without-hashes`',
      details: [expect.stringContaining('has no --directory option'), '`poetry export …` exited with code 1', 'poetry.lock is not consistent with pyproject.toml'],
    });
  });

  it('does not retry on other failures', async () => {
    const runner = new ScriptedRunner(() => ({ fail: '`poetry export …` exited with code 1', details: ['Poetry could not find a pyproject.toml file'] }));
    await expect(new PoetryExporter(runner).exportPyproject(project, { projectRoot: project })).rejects.toMatchObject({
      code: 'REQUIREMENTS_EXPORT_FAILED',
      plugin: undefined,
      keyPath: undefined,
      details: ['`poetry export …` exited with code 1', 'Poetry could not find a pyproject.toml file'],
    });
    expect(runner.requests).toHaveLength(1);
  });

  it('explains a Poetry without the export plugin', async () => {
    const runner = new ScriptedRunner(() => ({ fail: '`poetry export …` exited with code 1', details: ['The command "export" does not exist.'] }));
    const failure = new PoetryExporter(runner).exportPyproject(project, { projectRoot: project });
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('poetry self add poetry-plugin-export') });
  });

  it('reports a folder without pyproject.toml before running poetry', async () => {
    const runner = exportRunner();
    const missing = join(project, 'missing');
    await expect(new PoetryExporter(runner).exportPyproject(missing, { projectRoot: project })).rejects.toMatchObject({
      code: 'REQUIREMENTS_NOT_FOUND',
      message: expect.stringMatching(/`poetry export --format=requirements\.txt --directory=.*\/missing --without-hashes`: .*missing\/pyproject\.toml does not exist/),
    });
    expect(runner.requests).toEqual([]);
  });
});

describe('PoetryExporter.exportEnvironment', () => {
  it('runs `poetry export --format=requirements.txt --without-hashes` in the project for poetry_export', async () => {
    const runner = exportRunner();
    const result = await new PoetryExporter(runner).exportEnvironment('poetry_export', { projectRoot: project });
    expect(runner.requests[0]).toMatchObject({ command: ['poetry', 'export', '--format=requirements.txt', '--without-hashes'], cwd: project });
    expect(result.requirements).toBe(POETRY_EXPORT_OUTPUT);
  });

  it("wraps failures in ZenML's wording for environment exports, with an install hint", async () => {
    const runner = new ScriptedRunner(() => ({ fail: 'command not found: poetry' }));
    await expect(new PoetryExporter(runner).exportEnvironment('poetry_export', { projectRoot: project })).rejects.toMatchObject({
      code: 'REQUIREMENTS_EXPORT_FAILED',
      keyPath: undefined,
      message: 'Unable to export local python packages: `poetry export --format=requirements.txt --without-hashes` failed',
      hint: expect.stringContaining('install Poetry'),
    });
  });
});

describe('the poetry plugin', () => {
  it('declares, as data, a pyproject export tried after uv and the poetry_export environment method', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ name: '@stowage/exporter-poetry', apiVersion: 2, flavors: [], exporters: [poetryExporter] });
    expect(poetryExporter).toMatchObject({ name: 'poetry', pyproject: { priority: 20 }, environmentMethods: ['poetry_export'] });
  });

  it('creates an exporter on the host runner that serves both', async () => {
    const runner = exportRunner();
    const exporter = poetryExporter.create({ runner });
    expect((await exporter.exportPyproject!(project, { projectRoot: project })).command).toContain('poetry export');
    expect((await exporter.exportEnvironment!('poetry_export', { projectRoot: project })).command).toBe('poetry export --format=requirements.txt --without-hashes');
    expect(runner.requests).toHaveLength(2);
  });
});
