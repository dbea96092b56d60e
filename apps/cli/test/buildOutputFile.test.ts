import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

const YAML = 'pipeline: { name: training, python_version: "3.11" }\nsteps: { train: {} }\n';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-output-'));
  writeFileSync(join(dir, 'stowage.yaml'), YAML);
  writeFileSync(join(dir, 'main.py'), 'print(1)\n');
  mkdirSync(join(dir, 'Dockerfile'));
  return dir;
}

// DOCKER_HOST points nowhere: were anything planned or built, the command would fail differently.
const env = { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

describe('build -o is checked before anything is built', () => {
  it.each([
    ['the config file', 'stowage.yaml', /that is the config file/],
    ['a file of the source root', 'main.py', /inside the source root .*whose files go into the images/],
    ['a new file in the source root', 'build.yaml', /inside the source root/],
    ['a folder (named Dockerfile)', 'Dockerfile', /that is a folder, not a file/],
  ])('refuses %s (exit 2, nothing written, no build)', async (_, target, why) => {
    const dir = project();
    const r = await stowage(dir, ['build', '-o', target], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write the build to ${join(dir, target).replaceAll('/', '\\/')}: `));
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/unexpected failure|No Docker engine/);
    expect(readFileSync(join(dir, 'stowage.yaml'), 'utf8')).toBe(YAML);
  });
});
