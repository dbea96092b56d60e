import { cp, mkdtemp, rm } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeProcessRunner } from '@stowage/core';
import { StowageError } from '@stowage/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateRealTool, MAKE_WHEELS_SCRIPT, probe } from '@stowage/testing';
import { PipExporter } from './PipExporter.js';

// Debian's interpreter: python3-venv gives it ensurepip with the Debian pip wheel, so venvs are
// created offline. (A pyenv/Homebrew python3 on PATH may lack the Debian wheels.)
const SYSTEM_PYTHON = '/usr/bin/python3';
const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const runner = new NodeProcessRunner();

const hasVenv = await probe([SYSTEM_PYTHON, '-c', 'import ensurepip, venv']);
const runReal = gateRealTool('python3-venv', hasVenv, 'apt-get install -y python3-venv');

/** Runs a setup command offline: no index, no user pip config, only our wheel folder. */
async function setup(argv: string[], wheels = devNull): Promise<void> {
  await runner.run({
    command: argv,
    timeoutMs: 120_000,
    env: { PIP_CONFIG_FILE: devNull, PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
  });
}

describe.skipIf(!runReal)('PipExporter against a real virtualenv (real pip)', () => {
  let project: string;
  let elsewhere: string;
  const exporter = new PipExporter(runner, { env: {} });

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'stowage-pip-real-'));
    elsewhere = await mkdtemp(join(tmpdir(), 'stowage-pip-novenv-'));
    const wheels = join(project, 'wheels');
    const venvPython = join(project, '.venv', 'bin', 'python');
    await setup([SYSTEM_PYTHON, '-m', 'venv', join(project, '.venv')]);
    await setup([SYSTEM_PYTHON, MAKE_WHEELS_SCRIPT, wheels, 'tinypkg-alpha==1.2.0', 'tinypkg_beta==0.3.1']);
    await setup([venvPython, '-m', 'pip', 'install', 'tinypkg-alpha', 'tinypkg-beta'], wheels);
    await cp(join(FIXTURES, 'localproj'), join(project, 'localproj'), { recursive: true });
    await setup([venvPython, '-m', 'pip', 'install', '--no-build-isolation', '-e', join(project, 'localproj')], wheels);
  }, 120_000);

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });

  it("exports the wheels installed in the project's .venv as name==version pins", async () => {
    const result = await exporter.exportEnvironment('pip_freeze', { projectRoot: project });
    const lines = result.requirements.split('\n').filter(Boolean);
    expect(lines).toContain('tinypkg-alpha==1.2.0');
    expect(lines).toContain('tinypkg_beta==0.3.1');
    expect(result.command).toBe(`${join(project, '.venv', 'bin', 'python')} -m pip freeze`);
  });

  it("lists the editable project as pip does, for the host to drop, without pip's `# Editable install` note", async () => {
    const result = await exporter.exportEnvironment('pip_freeze', { projectRoot: project });
    const lines = result.requirements.split('\n');
    expect(lines).toContain(`-e ${join(project, 'localproj')}`);
    expect(result.requirements).not.toMatch(/Editable install/i);
  });

  it('exports the interpreter named by STOWAGE_PYTHON for a project without a .venv', async () => {
    const pinned = new PipExporter(runner, { env: { STOWAGE_PYTHON: join(project, '.venv', 'bin', 'python') } });
    const result = await pinned.exportEnvironment('pip_freeze', { projectRoot: elsewhere });
    expect(result.requirements).toContain('tinypkg-alpha==1.2.0');
  });

  it("fails with pip's stderr in the details when the venv has no pip", async () => {
    const pipless = join(elsewhere, 'pipless');
    await setup([SYSTEM_PYTHON, '-m', 'venv', '--without-pip', join(pipless, '.venv')]);
    const error = await exporter.exportEnvironment('pip_freeze', { projectRoot: pipless }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    const failure = error as StowageError;
    expect(failure.code).toBe('REQUIREMENTS_EXPORT_FAILED');
    expect(failure.message).toContain(`\`${join(pipless, '.venv', 'bin', 'python')} -m pip freeze\``);
    expect(failure.details.join('\n')).toContain('No module named pip');
    expect(failure.hint).toContain('ensurepip');
  });
});
