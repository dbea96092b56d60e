/**
 * "Use Stowage on your own project" (README): the packed @stowage/cli installed outside this
 * repository and run on projects in temporary folders. Loopback only: npm runs with --offline and
 * the one runtime dependency, dockerode, comes from this checkout's pnpm store through an
 * `overrides` entry (`file:`), so no registry is asked; everything else is in the bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'stowage-outside-'));
const env = { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/** `npm i --prefix DIR --offline` of the packed CLI, dockerode taken from the local pnpm store. */
function installInto(prefix: string, tarball: string): void {
  mkdirSync(prefix, { recursive: true });
  const dockerode = realpathSync(join(cli, 'node_modules/dockerode'));
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'outside', private: true, dependencies: { '@stowage/cli': `file:${tarball}` }, overrides: { dockerode: `file:${dockerode}` } }));
  execFileSync('npm', ['i', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { env, stdio: 'pipe' });
}

const run = (bin: string, cwd: string, ...args: string[]) => execFileSync(bin, args, { cwd, env, encoding: 'utf8' });

describe('the packed CLI installed outside the repository', () => {
  let tarball = '';
  beforeAll(() => {
    // prepack bundles dist/ from the sources.
    execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: cli, stdio: 'pipe' });
    tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  }, 120_000);

  it('installs with no dependency to fetch and plans a stowage.yaml project elsewhere', () => {
    const prefix = join(work, 'prefix');
    installInto(prefix, tarball);
    const project = join(work, 'yaml-project');
    mkdirSync(project);
    writeFileSync(join(project, 'stowage.yaml'), 'pipeline: { name: outside, python_version: "3.11" }\nsettings: { docker: { parent_image: "python:3.11-slim", requirements: [pandas] } }\nsteps: { train: {} }\n');
    writeFileSync(join(project, 'main.py'), 'print(1)\n');
    const bin = join(prefix, 'node_modules/.bin/stowage');
    expect(run(bin, project, '--version').trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const plan = JSON.parse(run(bin, project, 'plan', '--json')) as { pipeline: string; images: { key: string; action: string }[] };
    expect(plan.pipeline).toBe('outside');
    expect(plan.images.map((i) => [i.key, i.action])).toEqual([['pipeline', 'build']]);
  }, 120_000);

  it('loads a stowage.config.ts that imports defineConfig from the installed package', () => {
    const project = join(work, 'ts-project');
    installInto(project, tarball);
    writeFileSync(join(project, '.dockerignore'), 'node_modules\n');
    writeFileSync(join(project, 'main.py'), 'print(1)\n');
    writeFileSync(
      join(project, 'stowage.config.ts'),
      "import { defineConfig } from '@stowage/cli';\nconst env: Record<string, string> = { STAGE: 'train' };\nexport default defineConfig({ pipeline: { name: 'ts-outside', pythonVersion: '3.11' }, settings: { docker: { parentImage: 'python:3.11-slim', environment: env } }, steps: { train: {} } });\n",
    );
    const text = run(join(project, 'node_modules/.bin/stowage'), project, 'plan');
    expect(text).toMatch(/^pipeline ts-outside · stack default/m);
    expect(text).toContain('ENV STAGE="train"');
  }, 120_000);
});
