import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

function project(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-cli-'));
  writeFileSync(join(dir, 'stowage.yaml'), yaml);
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return dir;
}

const YAML = `
pipeline: { name: training, python_version: "3.10" }
settings:
  docker:
    python_package_installer: pip
    requirements: [pandas==2.2.2]
    environment:
      PIP_EXTRA_INDEX_URL: https://bot:\${PYPI_TOKEN}@pypi.internal.example/simple
steps:
  load: {}
  train:
    settings:
      docker:
        dockerfile: Dockerfile.train
        apt_packages: [git]
stacks:
  local: { image_builder: { flavor: local } }
  shared:
    image_builder: { flavor: local }
    container_registry: { flavor: oci, uri: 127.0.0.1:5000, default_repository: ml }
active_stack: local
`;
const FILES = { 'Dockerfile.train': 'FROM python:3.10-slim\nRUN echo custom\n', 'main.py': 'print(1)\n' };
const ENV = { ...process.env, PYPI_TOKEN: 'tok-super-secret-42' };

describe('stowage plan', () => {
  it('--json has the documented shape; credentials are redacted', async () => {
    const r = await stowage(project(YAML, FILES), ['plan', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('tok-super-secret-42');
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ pipeline: 'training', stack: { name: 'local' }, steps: { load: 'pipeline', train: 'train' } });
    expect(plan.images.map((i: { key: string; action: string; builds: { role: string }[] }) => [i.key, i.action, i.builds.map((b) => b.role)])).toEqual([
      ['pipeline', 'build', ['generated']],
      ['train', 'build', ['dockerfile', 'generated']],
    ]);
    const pipeline = plan.images[0];
    expect(Object.keys(pipeline)).toEqual(expect.arrayContaining(['key', 'steps', 'action', 'parentImage', 'imageName', 'checksum', 'code', 'builds']));
    expect(pipeline.parentImage).toBe('python:3.10-slim');
    expect(pipeline.builds[0].dockerfile).toContain('ENV PIP_EXTRA_INDEX_URL="https://***@pypi.internal.example/simple"');
  });

  it('--stack selects another stack (registry prefix and default repository in the names)', async () => {
    const r = await stowage(project(YAML, FILES), ['plan', '--json', '--stack', 'shared'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stack.name).toBe('shared');
    expect(plan.images[0].imageName).toMatch(/^127\.0\.0\.1:5000\/ml:training-[0-9a-f]{12}$/);
  });

  it('the text plan shows Dockerfiles, names, code strategy; warnings go to stderr', async () => {
    const dir = project(YAML.replace('requirements: [pandas==2.2.2]', 'requirements: [pandas==2.2.2]\n    copy_files: true'), FILES);
    const r = await stowage(dir, ['plan'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('image train (steps: train)');
    expect(r.stdout).toContain('Dockerfile (dockerfile)');
    expect(r.stdout).toContain('code      include: copied into the image');
    expect(r.stderr).toMatch(/^warning: stowage\.yaml:\d+ settings\.docker\.copy_files: deprecated and unused/m);
    expect(r.stdout).not.toContain('warning:');
  });

  it('works without a Docker engine', async () => {
    const r = await stowage(project(YAML, FILES), ['plan'], { ...ENV, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('stowage dockerfile', () => {
  it('prints the Dockerfile of a step (redacted)', async () => {
    const r = await stowage(project(YAML, FILES), ['dockerfile', 'load'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('FROM python:3.10-slim\nWORKDIR /app\n')).toBe(true);
    expect(r.stdout).not.toContain('tok-super-secret-42');
  });

  it('prints both Dockerfiles of a custom-Dockerfile step, labelled', async () => {
    const r = await stowage(project(YAML, FILES), ['dockerfile', 'train'], ENV);
    expect(r.stdout).toMatch(/^# ---- dockerfile image: stowage:training-train-[0-9a-f]{12}-intermediate\nFROM python:3\.10-slim\nRUN echo custom\n# ---- generated image:/);
  });

  it('an unknown step suggests the closest', async () => {
    const r = await stowage(project(YAML, FILES), ['dockerfile', 'trian'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: no step named "trian"');
    expect(r.stderr).toContain('did you mean "train"?');
  });
});

describe('usage errors', () => {
  it.each([
    [['plan', '--bogus'], /unknown option '--bogus'/],
    [['nosuchcommand'], /unknown command 'nosuchcommand'/],
    [['build', '--jobs', 'zero'], /--jobs must be a positive integer/],
  ])('%j exits 2', async (argv, message) => {
    const r = await stowage(project(YAML, FILES), argv, ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--help works on every command', async () => {
    for (const argv of [['--help'], ['plan', '--help'], ['build', '--help'], ['builds', 'list', '--help'], ['stack', 'describe', '--help']]) {
      const r = await stowage(tmpdir(), argv, ENV);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: stowage/);
    }
  });
});
