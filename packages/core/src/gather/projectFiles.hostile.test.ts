import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StowageError, type ProcessRunner } from '@stowage/plugin-api';
import { resolvedStep, settings } from '../../test/settingsFixture.js';
import { loadProjectConfig } from '../config/loadProjectConfig.js';
import { ExporterSet } from '../requirements/ExporterSet.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveProject } from '../resolve/resolveProject.js';
import type { DockerSettingsInput } from '../settings/DockerSettingsSchema.js';
import { checkSettingsPaths } from './checkSettingsPaths.js';
import { gatherRequirementFiles } from './gatherRequirementFiles.js';

const project = () => mkdtempSync(join(tmpdir(), 'stowage-paths-'));
const step = (input: DockerSettingsInput) => resolvedStep('pipeline', settings(input));

function pathError(input: DockerSettingsInput, root: string): StowageError {
  try {
    checkSettingsPaths([step(input)], root);
  } catch (error) {
    if (StowageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the paths to be refused');
}

const noRunner: ProcessRunner = { run: async () => { throw new Error('no process expected'); } };

function requirementsOf(input: DockerSettingsInput, root: string) {
  const ctx = {
    projectRoot: root,
    sourceRoot: root,
    stack: { requirements: [], extraRequirementFiles: {} },
    exporters: new ExporterSet(noRunner, []),
    integrations: new IntegrationCatalog(),
    cache: new Map(),
    warn: () => undefined,
  };
  return gatherRequirementFiles(step(input), ctx);
}

describe('path settings never reach outside the project into /proc, /sys or /dev', () => {
  // `requirements: /proc/self/environ` copied the whole environment, unredacted, into the plan,
  // the record and the image.
  it.each([
    ['requirements', { requirements: '/proc/self/environ' }, '/proc'],
    ['dockerfile', { dockerfile: '/sys/kernel/mm/transparent_hugepage/enabled' }, '/sys'],
    ['pyproject_path', { pyproject_path: '/dev/null' }, '/dev'],
    ['build_config.dockerignore', { build_config: { dockerignore: '/proc/self/status' } }, '/proc'],
  ] as const)('%s in a system folder is refused where it is set', (keyPath, input, folder) => {
    const e = pathError(input as DockerSettingsInput, project());
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', keyPath: `settings.docker.${keyPath}` });
    expect(e.message).toContain(`is in ${folder}: a system folder, not part of the project`);
  });

  it('so is a symlink of the project that points there', () => {
    const root = project();
    symlinkSync('/proc/self/environ', join(root, 'requirements.txt'));
    expect(pathError({ requirements: 'requirements.txt' }, root).message).toBe(`requirements file ${join(root, 'requirements.txt')} is in /proc: a system folder, not part of the project`);
  });

  it('a named pipe is refused as not a regular file', () => {
    const root = project();
    execFileSync('mkfifo', [join(root, 'Dockerfile')]);
    expect(pathError({ dockerfile: 'Dockerfile' }, root).message).toBe(`Dockerfile ${join(root, 'Dockerfile')} is a named pipe, not a regular file`);
  });

  it('a folder setting that is a file says so', () => {
    const root = project();
    writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
    expect(pathError({ dockerfile: 'Dockerfile', build_context_root: 'Dockerfile' }, root)).toMatchObject({
      keyPath: 'settings.docker.build_context_root',
      message: `build context root ${join(root, 'Dockerfile')} is a regular file, not a folder`,
    });
  });

  it('pipeline.source_root in a system folder is refused at load', () => {
    const dir = project();
    writeFileSync(join(dir, 'stowage.yaml'), 'pipeline: { name: a, source_root: /proc/self }\n');
    expect(() => loadProjectConfig({ cwd: dir, env: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', line: 1, keyPath: 'pipeline.source_root' }));
  });

  it('an implicitly found requirements.txt that links into /proc is refused when read', async () => {
    const root = project();
    symlinkSync('/proc/self/environ', join(root, 'requirements.txt'));
    await expect(requirementsOf({ disable_automatic_requirements_detection: false }, root)).rejects.toMatchObject({
      code: 'REQUIREMENTS_NOT_FOUND',
      message: `the requirements file ${join(root, 'requirements.txt')} is in /proc: a system folder, not part of the project`,
    });
  });

  it('a requirements file that is not UTF-8 is refused with its line', async () => {
    const root = project();
    writeFileSync(join(root, 'req.txt'), Buffer.concat([Buffer.from('pandas\nna\xefve'), Buffer.from([0xff]), Buffer.from('\n')]));
    await expect(requirementsOf({ requirements: 'req.txt' }, root)).rejects.toMatchObject({
      code: 'REQUIREMENTS_NOT_FOUND',
      file: join(root, 'req.txt'),
      line: 2,
      message: 'the requirements file is not valid UTF-8',
    });
  });
});

describe('requirement list items', () => {
  const load = (yaml: string) => {
    const dir = project();
    writeFileSync(join(dir, 'stowage.yaml'), yaml);
    return () => resolveProject(loadProjectConfig({ cwd: dir, env: {} }), new IntegrationCatalog());
  };

  // Each item is one line of the requirements file: a line break added a pip option for every install.
  it.each([['\\n'], ['\\r'], ['\\u2028'], ['\\x0c']])('an item with a line break (%s) is refused at its key path', (lineBreak) => {
    const run = load(`pipeline: { name: a }\nsettings:\n  docker:\n    requirements: [pandas, "numpy${lineBreak}--index-url https://evil.example/simple"]\n`);
    expect(run).toThrow(expect.objectContaining({
      code: 'CONFIG_INVALID',
      line: 4,
      keyPath: 'settings.docker.requirements[1]',
      message: expect.stringContaining('holds a line break: each part would become its own line of the requirements file'),
    }));
  });

  it('ordinary items, options and comments are kept', () => {
    const run = load('pipeline: { name: a }\nsettings:\n  docker:\n    requirements: ["pandas==2.2.0  # pinned", "--extra-index-url https://pypi.example/simple"]\n');
    expect(run().pipeline.settings.requirements).toEqual(['pandas==2.2.0  # pinned', '--extra-index-url https://pypi.example/simple']);
  });
});
