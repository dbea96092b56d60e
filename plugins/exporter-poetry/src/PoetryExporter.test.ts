import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExporterSet, PluginRegistry, type ProcessRequest } from '@stowage/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecordingRunner } from '@stowage/testing';
import plugin from './plugin.js';
import { PoetryExporter, poetryExportCommand, poetryExportInPlaceCommand } from './PoetryExporter.js';

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

const exportRunner = () => new RecordingRunner(() => ({ stdout: POETRY_EXPORT_OUTPUT }));
const usesDirectoryOption = (r: ProcessRequest) => typeof r.command !== 'string' && r.command.some((a) => a.startsWith('--directory'));
const DIRECTORY_REFUSED = { fail: '`poetry export …` exited with code 1', details: ['The "--directory" option does not exist.'] };

describe('PoetryExporter.exportPyproject', () => {
  it("runs ZenML's default poetry export argv in the pyproject folder", async () => {
    const runner = exportRunner();
    const result = await new PoetryExporter(runner).exportPyproject(project, undefined, { projectRoot: '/elsewhere' });
    expect(runner.requests).toEqual([
      { command: ['poetry', 'export', '--format=requirements.txt', `--directory=${project}`, '--without-hashes'], cwd: project, timeoutMs: 300_000, signal: undefined },
    ]);
    expect(result.command).toBe(`poetry export --format=requirements.txt --directory=${project} --without-hashes`);
  });

  it('keeps pins and the index line, drops path dependencies with a reason', async () => {
    const result = await new PoetryExporter(exportRunner()).exportPyproject(project, undefined, { projectRoot: project });
    expect(result.requirements.split('\n').filter(Boolean)).toEqual([
      '--index-url https://pypi.example.org/simple',
      `certifi==2024.8.30 ; ${MARKER}`,
      `numpy==1.26.4 ; ${MARKER}`,
    ]);
    expect(result.dropped?.map((d) => d.line)).toEqual([`-e file:///home/me/proj/devlib ; ${MARKER}`, `localdep @ file:///home/me/proj/localdep ; ${MARKER}`]);
  });

  it('retries without --directory, from inside the folder, when Poetry does not know the option', async () => {
    const runner = new RecordingRunner((r) => (usesDirectoryOption(r) ? DIRECTORY_REFUSED : { stdout: POETRY_EXPORT_OUTPUT }));
    const result = await new PoetryExporter(runner).exportPyproject(project, undefined, { projectRoot: project });
    expect(runner.requests.map((r) => [r.command, r.cwd])).toEqual([
      [['poetry', 'export', '--format=requirements.txt', `--directory=${project}`, '--without-hashes'], project],
      [['poetry', 'export', '--format=requirements.txt', '--without-hashes'], project],
    ]);
    expect(result.command).toBe('poetry export --format=requirements.txt --without-hashes');
  });

  it('reports the fallback and its stderr when the retry fails too', async () => {
    const runner = new RecordingRunner((r) =>
      usesDirectoryOption(r) ? DIRECTORY_REFUSED : { fail: '`poetry export …` exited with code 1', details: ['poetry.lock is not consistent with pyproject.toml'] },
    );
    const failure = new PoetryExporter(runner).exportPyproject(project, undefined, { projectRoot: project });
    await expect(failure).rejects.toMatchObject({
      message: 'Failed to export pyproject dependencies with command `poetry export --format=requirements.txt --without-hashes`',
      details: [expect.stringContaining('has no --directory option'), '`poetry export …` exited with code 1', 'poetry.lock is not consistent with pyproject.toml'],
    });
  });

  it('does not retry on other failures', async () => {
    const runner = new RecordingRunner(() => ({ fail: '`poetry export …` exited with code 1', details: ['Poetry could not find a pyproject.toml file'] }));
    await expect(new PoetryExporter(runner).exportPyproject(project, undefined, { projectRoot: project })).rejects.toMatchObject({
      code: 'REQUIREMENTS_EXPORT_FAILED',
      keyPath: 'settings.docker.pyproject_path',
      details: ['`poetry export …` exited with code 1', 'Poetry could not find a pyproject.toml file'],
    });
    expect(runner.requests).toHaveLength(1);
  });

  it('explains a Poetry without the export plugin', async () => {
    const runner = new RecordingRunner(() => ({ fail: '`poetry export …` exited with code 1', details: ['The command "export" does not exist.'] }));
    const failure = new PoetryExporter(runner).exportPyproject(project, undefined, { projectRoot: project });
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('poetry self add poetry-plugin-export') });
  });

  it('ignores a command argument (core runs custom commands itself): the default runs, with its fallback', async () => {
    const runner = new RecordingRunner((r) => (usesDirectoryOption(r) ? DIRECTORY_REFUSED : { stdout: POETRY_EXPORT_OUTPUT }));
    const result = await new PoetryExporter(runner).exportPyproject(project, ['poetry', 'export', '--with=train', '--directory={directory}'], {
      projectRoot: project,
    });
    expect(runner.requests.map((r) => r.command)).toEqual([poetryExportCommand(project), poetryExportInPlaceCommand()]);
    expect(result.command).toBe('poetry export --format=requirements.txt --without-hashes');
  });

  it('is never handed a custom pyproject_export_command by core (core substitutes {directory} and runs it)', async () => {
    const runner = exportRunner();
    const poetry = new PoetryExporter(runner);
    const exportPyproject = vi.spyOn(poetry, 'exportPyproject');
    const result = await new ExporterSet(runner, [poetry]).exportPyproject(project, ['poetry', 'export', '--directory={directory}'], { projectRoot: project });
    expect(exportPyproject).not.toHaveBeenCalled();
    expect(result.command).toBe(`poetry export --directory=${project}`);
  });

  it('reports a folder without pyproject.toml before running poetry', async () => {
    const runner = exportRunner();
    const missing = join(project, 'missing');
    await expect(new PoetryExporter(runner).exportPyproject(missing, undefined, { projectRoot: project })).rejects.toMatchObject({
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
    expect(result.requirements).toContain(`numpy==1.26.4 ; ${MARKER}`);
    expect(result.dropped).toHaveLength(2);
  });

  it.each([[true as const], ['pip_freeze' as const]])('refuses %j (that is pip freeze)', async (method) => {
    await expect(new PoetryExporter(exportRunner()).exportEnvironment(method, { projectRoot: project })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('wraps failures at the replicate_local_python_environment key', async () => {
    const runner = new RecordingRunner(() => ({ fail: 'command not found: poetry' }));
    await expect(new PoetryExporter(runner).exportEnvironment('poetry_export', { projectRoot: project })).rejects.toMatchObject({
      keyPath: 'settings.docker.replicate_local_python_environment',
      message: 'Unable to export local python packages: `poetry export --format=requirements.txt --without-hashes` failed',
      hint: expect.stringContaining('install Poetry'),
    });
  });
});

describe('the poetry plugin', () => {
  it("serves core's pyproject export and poetry_export through the registry", async () => {
    const registry = new PluginRegistry();
    registry.register(plugin, { packageName: '@stowage/exporter-poetry', origin: 'builtin' });
    const exporters = registry.exporterSet(exportRunner());
    expect(exporters.names()).toEqual(['poetry']);
    // uv is not registered here, so core's default order falls through to poetry.
    expect((await exporters.exportPyproject(project, undefined, { projectRoot: project })).command).toContain('poetry export');
    expect((await exporters.exportEnvironment('poetry_export', { projectRoot: project })).command).toBe('poetry export --format=requirements.txt --without-hashes');
  });
});
