import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../../..');
const tracker = join(import.meta.dirname, 'fixtures/trackModules.mjs');
const HEAVY = /\/(dockerode|docker-modem|ssh2|@aws-sdk|@google-cloud|google-gax|google-auth-library|gaxios|gtoken|@smithy|@octokit|@gitbeaker)\//;

/** The module URLs Node resolved while running `args` (a real subprocess). */
function loadedModules(args: string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'stowage-track-')), 'modules.txt');
  execFileSync(process.execPath, ['--conditions=@stowage/source', `--import=${tracker}`, ...args], {
    cwd: repo,
    env: { ...process.env, STOWAGE_TRACK_FILE: file },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

const cli = join(repo, 'apps/cli/bin/stowage-dev.mjs');

describe('listing plugins and printing the schema load no SDK', () => {
  it('the tracker sees an SDK when one is loaded (control)', () => {
    const modules = loadedModules([join(import.meta.dirname, 'fixtures/importDockerode.mjs')]);
    expect(modules.some((m) => HEAVY.test(m))).toBe(true);
  });

  it.each([['plugins', 'list'], ['schema'], ['stack', 'describe']])('stowage %s', (...args: string[]) => {
    const modules = loadedModules([cli, ...args]);
    expect(modules.some((m) => m.includes('/plugins/image-builder-local/'))).toBe(true);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });
});

const CLOUD_PLUGINS = [
  'image-builder-aws-codebuild',
  'container-registry-aws-ecr',
  'artifact-store-s3',
  'image-builder-gcp-cloudbuild',
  'container-registry-gcp',
  'artifact-store-gcs',
  'code-repository-github',
  'code-repository-gitlab',
];

/** A project that names every cloud plugin, installed (linked) in its own node_modules. */
function cloudProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'stowage-cloud-'));
  mkdirSync(join(root, 'node_modules', '@stowage'), { recursive: true });
  for (const name of CLOUD_PLUGINS) symlinkSync(join(repo, 'plugins', name), join(root, 'node_modules', '@stowage', name), 'dir');
  writeFileSync(join(root, 'package.json'), '{"name":"p","private":true}');
  writeFileSync(
    join(root, 'stowage.yaml'),
    [
      `plugins: [${CLOUD_PLUGINS.map((n) => `"@stowage/${n}"`).join(', ')}]`,
      'code_repositories:',
      '  - { name: main, flavor: github, owner: acme, repository: demo }',
      'stacks:',
      '  aws:',
      '    image_builder: { flavor: aws-codebuild, code_build_project: builds, region: eu-west-1 }',
      '    container_registry: { flavor: aws-ecr, uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com }',
      '    artifact_store: { flavor: s3, path: s3://bucket/stowage, region: eu-west-1 }',
      '  gcp:',
      '    image_builder: { flavor: gcp-cloudbuild, project: acme-ml }',
      '    container_registry: { flavor: gcp, uri: europe-west1-docker.pkg.dev/acme-ml/images }',
      '    artifact_store: { flavor: gcs, path: gs://bucket/stowage }',
      'active_stack: aws',
      '',
    ].join('\n'),
  );
  return join(root, 'stowage.yaml');
}

describe('a project with every cloud plugin: listing, the schema and describing the stack load no SDK', () => {
  it.each([['plugins', 'list'], ['schema'], ['stack', 'describe'], ['stack', 'describe', 'gcp']])('stowage %s', (...args: string[]) => {
    const modules = loadedModules([cli, '--config', cloudProject(), ...args]);
    for (const name of CLOUD_PLUGINS) expect(modules.some((m) => m.includes(`/plugins/${name}/`)), name).toBe(true);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });
});
