import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeProcessRunner } from '@stowage/core';
import { StowageError, type ProcessRunner } from '@stowage/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateRealTool, MAKE_WHEELS_SCRIPT, probe } from '@stowage/testing';
import { serveDirectory } from './__fixtures__/serveDirectory.js';
import { PoetryExporter } from './PoetryExporter.js';

const MAKE_WHEELS = MAKE_WHEELS_SCRIPT;

const hasPoetry = await probe(['poetry', '--version']);
const runReal = gateRealTool('poetry', hasPoetry, 'apt-get install -y python3-poetry');
// Poetry ≥ 1.2 has `export` only with poetry-plugin-export, which Debian bookworm does not package:
// with the plugin we check the export itself, without it the failure users get.
const hasExportPlugin = hasPoetry && (await probe(['poetry', 'export', '--help']));
if (hasPoetry && !hasExportPlugin) {
  console.warn('\n!!!!!!!! poetry has no `export` command here (poetry-plugin-export missing): checking the failure path instead of the export.\n');
}

/** A pyproject depending on two wheels from our local index (PyPI replaced, so it all works offline). */
const pyprojectFor = (indexUrl: string) => `[tool.poetry]
name = "stowage-fixture"
version = "0.1.0"
description = "pyproject for the poetry exporter tests"
authors = ["Stowage tests <tests@example.invalid>"]

[tool.poetry.dependencies]
python = "^3.9"
tinypkg-alpha = "1.2.0"
tinypkg-beta = "^0.3"

[[tool.poetry.source]]
name = "fixtures"
url = "${indexUrl}/simple/"
default = true
`;

describe.skipIf(!runReal)('PoetryExporter with the real poetry', () => {
  let work: string;
  let project: string;
  let runner: ProcessRunner;
  let server: Awaited<ReturnType<typeof serveDirectory>>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stowage-poetry-real-'));
    project = join(work, 'project');
    const real = new NodeProcessRunner();
    // Keep poetry away from the user's config, cache and keyring, and from creating virtualenvs.
    const env = {
      POETRY_CACHE_DIR: join(work, 'cache'),
      POETRY_CONFIG_DIR: join(work, 'config'),
      POETRY_VIRTUALENVS_CREATE: 'false',
      POETRY_NO_INTERACTION: '1',
      PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
    };
    runner = { run: (request) => real.run({ ...request, env: { ...request.env, ...env } }) };
    await runner.run({ command: ['python3', MAKE_WHEELS, join(work, 'index'), 'tinypkg-alpha==1.2.0', 'tinypkg_beta==0.3.1'] });
    server = await serveDirectory(join(work, 'index'));
    await mkdir(project);
    await writeFile(join(project, 'pyproject.toml'), pyprojectFor(server.url));
    // `lock --no-update` resolves against our index only; this is the poetry.lock a user would commit.
    await runner.run({ command: ['poetry', 'lock', '--no-update'], cwd: project, timeoutMs: 120_000 });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  // Only one of the two paths is defined: CI has poetry without its export plugin (Debian has no
  // package for it), and a CI run must not count skipped tests.
  if (hasExportPlugin) {
    it('exports the pins of a real poetry.lock', async () => {
      const result = await new PoetryExporter(runner).exportPyproject(project, { projectRoot: work });
      const pins = result.requirements.split('\n').map((l) => l.split(' ;')[0]?.trim());
      expect(pins).toContain('tinypkg-alpha==1.2.0');
      expect(pins).toContain('tinypkg-beta==0.3.1');
      expect(result.command).toBe(`poetry export --format=requirements.txt --directory=${project} --without-hashes`);
    });

    it('exports the same pins for poetry_export from the project folder', async () => {
      const result = await new PoetryExporter(runner).exportEnvironment('poetry_export', { projectRoot: project });
      expect(result.requirements).toContain('tinypkg-alpha==1.2.0');
    });
  } else {
    it('reports a Poetry without the export plugin with its stderr and the install hint', async () => {
      const error = await new PoetryExporter(runner).exportPyproject(project, { projectRoot: work }).catch((e: unknown) => e);
      expect(StowageError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'REQUIREMENTS_EXPORT_FAILED',
        message: `Failed to export pyproject dependencies with command \`poetry export --format=requirements.txt --directory=${project} --without-hashes\``,
        details: [expect.stringContaining('exited with code 1'), 'The command "export" does not exist.'],
        hint: expect.stringContaining('poetry-plugin-export'),
      });
    });
  }

  it("fails on a broken pyproject with the command and poetry's stderr", async () => {
    const broken = join(work, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'pyproject.toml'), '[tool.poetry\nname = ');
    const error = await new PoetryExporter(runner).exportPyproject(broken, { projectRoot: work }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    const failure = error as StowageError;
    expect(failure.message).toContain(`poetry export --format=requirements.txt --directory=${broken} --without-hashes`);
    expect(failure.details[0]).toContain('exited with code 1');
    expect(failure.details.length).toBeGreaterThan(1); // poetry's own stderr follows
  });
});
