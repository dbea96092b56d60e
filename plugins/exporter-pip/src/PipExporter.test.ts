import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExporterSet, PluginRegistry, StowageError } from '@stowage/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingRunner } from '@stowage/testing';
import plugin, { pipExporter } from './plugin.js';
import { PipExporter } from './PipExporter.js';

// What pip 23 prints for a venv with two wheels, an editable project and a direct-URL install.
const FREEZE_OUTPUT = [
  'certifi==2024.8.30',
  '# Editable install with no version control (localproj==0.1.0)',
  '-e /home/me/proj/localproj',
  'helper @ file:///home/me/wheels/helper-1.0-py3-none-any.whl',
  'numpy==2.1.3',
  '',
].join('\n');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stowage-pip-unit-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const freezeRunner = () => new RecordingRunner(() => ({ stdout: FREEZE_OUTPUT }));

describe('PipExporter.exportEnvironment', () => {
  it('runs `python3 -m pip freeze` in the project when it has no .venv', async () => {
    const runner = freezeRunner();
    const controller = new AbortController();
    const result = await new PipExporter(runner, { env: {} }).exportEnvironment(true, { projectRoot: root, signal: controller.signal });
    expect(runner.requests).toEqual([{ command: ['python3', '-m', 'pip', 'freeze'], cwd: root, timeoutMs: 120_000, signal: controller.signal }]);
    expect(result.command).toBe('python3 -m pip freeze');
  });

  it("uses the project's .venv interpreter when the project has one", async () => {
    await mkdir(join(root, '.venv', 'bin'), { recursive: true });
    const runner = freezeRunner();
    const result = await new PipExporter(runner, { env: {} }).exportEnvironment('pip_freeze', { projectRoot: root });
    expect(runner.requests[0]?.command).toEqual([join(root, '.venv', 'bin', 'python'), '-m', 'pip', 'freeze']);
    expect(result.command).toBe(`${join(root, '.venv', 'bin', 'python')} -m pip freeze`);
  });

  it('lets STOWAGE_PYTHON override the project .venv', async () => {
    await mkdir(join(root, '.venv'));
    const runner = freezeRunner();
    await new PipExporter(runner, { env: { STOWAGE_PYTHON: '/opt/py/bin/python3.12' } }).exportEnvironment(true, { projectRoot: root });
    expect(runner.requests[0]?.command).toEqual(['/opt/py/bin/python3.12', '-m', 'pip', 'freeze']);
  });

  it('keeps installable pins and drops local projects with a reason', async () => {
    const result = await new PipExporter(freezeRunner(), { env: {} }).exportEnvironment(true, { projectRoot: root });
    expect(result.requirements.split('\n').filter(Boolean)).toEqual(['certifi==2024.8.30', 'numpy==2.1.3']);
    expect(result.dropped).toEqual([
      { line: '-e /home/me/proj/localproj', reason: expect.stringContaining('editable install of a local project') },
      { line: 'helper @ file:///home/me/wheels/helper-1.0-py3-none-any.whl', reason: expect.stringContaining('local path') },
    ]);
    // pip's "# Editable install …" note would be orphaned once its line is gone.
    expect(result.requirements).not.toContain('Editable install');
  });

  it.each([['poetry_export' as const], [['uv', 'pip', 'freeze'] as const]])('refuses %j: that method is not pip freeze', async (method) => {
    const runner = freezeRunner();
    const failure = new PipExporter(runner, { env: {} }).exportEnvironment(method, { projectRoot: root });
    await expect(failure).rejects.toMatchObject({ code: 'USAGE', plugin: '@stowage/exporter-pip' });
    expect(runner.requests).toEqual([]);
  });

  it('wraps a failed freeze with the command, the stderr and a hint', async () => {
    const runner = new RecordingRunner(() => ({ fail: '`python3 -m pip freeze` exited with code 1', details: ['/usr/bin/python3: No module named pip'] }));
    const error = await new PipExporter(runner, { env: {} }).exportEnvironment(true, { projectRoot: root }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'REQUIREMENTS_EXPORT_FAILED',
      plugin: '@stowage/exporter-pip',
      keyPath: 'settings.docker.replicate_local_python_environment',
      message: 'Unable to export local python packages: `python3 -m pip freeze` failed',
      details: ['`python3 -m pip freeze` exited with code 1', '/usr/bin/python3: No module named pip'],
    });
    expect((error as StowageError).hint).toContain('ensurepip');
  });

  it('points at STOWAGE_PYTHON when the interpreter does not exist', async () => {
    const runner = new RecordingRunner(() => ({ fail: 'command not found: /nope/python' }));
    const failure = new PipExporter(runner, { env: { STOWAGE_PYTHON: '/nope/python' } }).exportEnvironment(true, { projectRoot: root });
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('set STOWAGE_PYTHON') });
  });
});

describe('the pip plugin', () => {
  it("registers with core and serves core's `replicate_local_python_environment: true`", async () => {
    const registry = new PluginRegistry();
    registry.register(plugin, { packageName: '@stowage/exporter-pip', origin: 'builtin' });
    const runner = freezeRunner();
    const exporters = registry.exporterSet(runner);
    expect(exporters.names()).toEqual(['pip']);
    const result = await exporters.exportEnvironment(true, { projectRoot: root });
    expect(result.requirements).toContain('numpy==2.1.3');
    expect(runner.requests).toHaveLength(1);
  });

  it('contributes no pyproject export: pip cannot read a pyproject lock', () => {
    expect(pipExporter.create({ runner: freezeRunner() }).exportPyproject).toBeUndefined();
    expect(new ExporterSet(freezeRunner(), [pipExporter.create({ runner: freezeRunner() })]).names()).toEqual(['pip']);
  });
});
