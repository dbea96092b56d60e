import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectPythonInterpreter } from './selectPythonInterpreter.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stowage-python-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('selectPythonInterpreter', () => {
  it('falls back to python3 on PATH without a .venv', async () => {
    expect(await selectPythonInterpreter(root, {})).toEqual({ command: 'python3', source: 'PATH' });
  });

  it("picks the project's .venv/bin/python", async () => {
    await mkdir(join(root, '.venv'));
    expect(await selectPythonInterpreter(root, {}, 'linux')).toEqual({ command: join(root, '.venv', 'bin', 'python'), source: 'project .venv' });
  });

  it('picks .venv\\Scripts\\python.exe on Windows', async () => {
    await mkdir(join(root, '.venv'));
    expect((await selectPythonInterpreter(root, {}, 'win32')).command).toBe(join(root, '.venv', 'Scripts', 'python.exe'));
  });

  it('ignores a .venv that is a file, not a folder', async () => {
    await writeFile(join(root, '.venv'), 'VIRTUAL_ENV=elsewhere\n');
    expect((await selectPythonInterpreter(root, {})).command).toBe('python3');
  });

  it('prefers STOWAGE_PYTHON over everything, ignoring blank values', async () => {
    await mkdir(join(root, '.venv'));
    expect(await selectPythonInterpreter(root, { STOWAGE_PYTHON: ' /usr/bin/python3.11 ' })).toEqual({
      command: '/usr/bin/python3.11',
      source: 'STOWAGE_PYTHON',
    });
    expect((await selectPythonInterpreter(root, { STOWAGE_PYTHON: '  ' })).source).toBe('project .venv');
  });
});
