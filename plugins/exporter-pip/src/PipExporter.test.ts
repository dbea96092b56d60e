import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlugin, StowageError } from '@stowage/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedRunner } from './__fixtures__/ScriptedRunner.js';
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

const freezeRunner = () => new ScriptedRunner(() => ({ stdout: FREEZE_OUTPUT }));

describe('PipExporter.exportEnvironment', () => {
  it('runs `python3 -m pip freeze` in the project when it has no .venv', async () => {
    const runner = freezeRunner();
    const controller = new AbortController();
    const result = await new PipExporter(runner, { env: {} }).exportEnvironment('pip_freeze', { projectRoot: root, signal: controller.signal });
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
    await new PipExporter(runner, { env: { STOWAGE_PYTHON: '/opt/py/bin/python3.12' } }).exportEnvironment('pip_freeze', { projectRoot: root });
    expect(runner.requests[0]?.command).toEqual(['/opt/py/bin/python3.12', '-m', 'pip', 'freeze']);
  });

  it("returns pip's listing for the host to filter, without pip's orphaned `# Editable install` notes", async () => {
    const result = await new PipExporter(freezeRunner(), { env: {} }).exportEnvironment('pip_freeze', { projectRoot: root });
    expect(result.requirements.split('\n').filter(Boolean)).toEqual([
      'certifi==2024.8.30',
      '-e /home/me/proj/localproj',
      'helper @ file:///home/me/wheels/helper-1.0-py3-none-any.whl',
      'numpy==2.1.3',
    ]);
    expect(result.dropped).toBeUndefined();
  });

  it('wraps a failed freeze with the command, the stderr and a hint; the host adds plugin and key path', async () => {
    const runner = new ScriptedRunner(() => ({ fail: '`python3 -m pip freeze` exited with code 1', details: ['/usr/bin/python3: No module named pip'] }));
    const error = await new PipExporter(runner, { env: {} }).exportEnvironment('pip_freeze', { projectRoot: root }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'REQUIREMENTS_EXPORT_FAILED',
      message: 'Unable to export local python packages: `python3 -m pip freeze` failed',
      details: ['`python3 -m pip freeze` exited with code 1', '/usr/bin/python3: No module named pip'],
    });
    expect(error).toMatchObject({ plugin: undefined, keyPath: undefined });
    expect((error as StowageError).hint).toContain('ensurepip');
  });

  it('points at STOWAGE_PYTHON when the interpreter does not exist', async () => {
    const runner = new ScriptedRunner(() => ({ fail: 'command not found: /nope/python' }));
    const failure = new PipExporter(runner, { env: { STOWAGE_PYTHON: '/nope/python' } }).exportEnvironment('pip_freeze', { projectRoot: root });
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('set STOWAGE_PYTHON') });
  });
});

describe('the pip plugin', () => {
  it('declares, as data, that it handles `pip_freeze` and no pyproject', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ name: '@stowage/exporter-pip', apiVersion: 2, flavors: [], exporters: [pipExporter] });
    expect(pipExporter).toMatchObject({ name: 'pip', environmentMethods: ['pip_freeze'] });
    expect(pipExporter.pyproject).toBeUndefined();
  });

  it('creates an exporter on the host runner, without exportPyproject (pip cannot read a pyproject lock)', async () => {
    const runner = freezeRunner();
    const exporter = pipExporter.create({ runner });
    expect(exporter.exportPyproject).toBeUndefined();
    await exporter.exportEnvironment!('pip_freeze', { projectRoot: root });
    expect(runner.requests).toHaveLength(1);
  });
});
