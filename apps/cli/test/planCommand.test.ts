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
    type Step = { kind: string; role?: string };
    expect(plan.images.map((i: { key: string; action: string; buildSteps: Step[] }) => [i.key, i.action, i.buildSteps.map((b) => `${b.kind}:${b.role}`)])).toEqual([
      ['pipeline', 'build', ['docker-build:generated']],
      ['train', 'build', ['docker-build:dockerfile', 'docker-build:generated']],
    ]);
    expect(plan).toMatchObject({ outcome: { kind: 'new-build' }, preSteps: [], codeArchive: null });
    const pipeline = plan.images[0];
    expect(Object.keys(pipeline)).toEqual(expect.arrayContaining(['key', 'steps', 'action', 'parentImage', 'imageName', 'checksum', 'code', 'buildSteps']));
    expect(pipeline.parentImage).toBe('python:3.10-slim');
    expect(pipeline.buildSteps[0].dockerfile).toContain('ENV PIP_EXTRA_INDEX_URL="https://***@pypi.internal.example/simple"');
    expect(Object.keys(pipeline.buildSteps[0]).sort()).toEqual(
      ['builderOptions', 'checksum', 'context', 'dockerfile', 'image', 'imageName', 'kind', 'options', 'platform', 'pushInBuild', 'role', 'stagedContext'].sort(),
    );
  });

  it('--stack selects another stack (registry prefix and default repository in the names)', async () => {
    const r = await stowage(project(YAML, FILES), ['plan', '--json', '--stack', 'shared'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stack.name).toBe('shared');
    expect(plan.images[0].imageName).toMatch(/^127\.0\.0\.1:5000\/ml:training-[0-9a-f]{12}$/);
    // With a registry, the dependency image is pushed (a planned step with its destination) and the code appended to it there.
    expect(plan.images[0].buildSteps.map((s: { kind: string }) => s.kind)).toEqual(['docker-build', 'push', 'append-layer']);
    expect(plan.images[0].buildSteps[1]).toMatchObject({ imageName: plan.images[0].dependencies.imageName, repository: '127.0.0.1:5000/ml' });
    expect(plan.images[0].buildSteps[2]).toMatchObject({ imageName: plan.images[0].imageName, base: plan.images[0].dependencies.imageName, baseFrom: 'build' });
    expect(plan.images[0].codeDelivery).toEqual({ mode: 'append-layer', reason: 'appended as code layers in 127.0.0.1:5000 (a code change runs no Docker build)' });
  });

  it('the text plan shows Dockerfiles, names, code strategy; warnings go to stderr', async () => {
    const dir = project(YAML.replace('requirements: [pandas==2.2.2]', 'requirements: [pandas==2.2.2]\n    copy_files: true'), FILES);
    const r = await stowage(dir, ['plan'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('image train (steps: train)');
    expect(r.stdout).toContain('1. docker-build (dockerfile) → stowage:training-train-');
    expect(r.stdout).toContain('code      include: copied into the image');
    expect(r.stderr).toMatch(/^warning: stowage\.yaml:\d+ settings\.docker\.copy_files: deprecated and unused/m);
    expect(r.stdout).not.toContain('warning:');
  });

  it('rejects a mistyped build option at load time, with file, line and key path', async () => {
    const dir = project(YAML.replace('python_package_installer: pip', 'python_package_installer: pip\n    build_config: { build_options: { platfrom: linux/amd64 } }'), FILES);
    const r = await stowage(dir, ['plan'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: stowage\.yaml:\d+ settings\.docker\.build_config\.build_options\.platfrom: unknown build option "platfrom"; did you mean "platform"\?/m);
  });

  it('--build plans the given build: shown with its verification, an unknown id is exit 2', async () => {
    const dir = project(YAML, FILES);
    writeFileSync(join(dir, 'given.yaml'), 'id: given-1\npipeline: training\nstack: { name: local, checksum: x }\nchecksum: y\nimages: []\ncontainsCode: false\nisLocal: true\ntoolVersion: "0"\npythonVersion: "3.10"\ncreated: "2026-01-01T00:00:00Z"\ndurationSeconds: 1\n');
    const missing = await stowage(dir, ['plan', '--build', 'given.yaml'], ENV);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the build given-1 is missing an image for step "load"');
    const unknown = await stowage(dir, ['plan', '--build', 'no-such-id'], ENV);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no build with id "no-such-id"');
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
