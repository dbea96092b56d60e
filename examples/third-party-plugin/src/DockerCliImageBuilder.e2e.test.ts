import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '@stowage/cli';
import { dockerAvailable } from '@stowage/e2e';

const ready = await dockerAvailable();
if (!ready && process.env.CI) throw new Error('CI: no Docker engine for the docker-cli plugin e2e test');
if (!ready) console.warn('\n!!! no Docker engine: SKIPPING the docker-cli plugin e2e test (run `pnpm test`, which starts one) !!!\n');

describe.runIf(ready)('docker-cli builder against the real engine', () => {
  it('stowage build builds the image with `docker build -` and the image runs', async () => {
    // A copy of the example project, so the build store of the repo copy stays clean.
    // The plugin is "installed" into its node_modules as a package link, as npm/pnpm would.
    const dir = mkdtempSync(join(tmpdir(), 'stowage-docker-cli-'));
    const project = join(dir, 'example-project');
    mkdirSync(join(project, 'node_modules', '@example'), { recursive: true });
    cpSync(join(import.meta.dirname, '../example-project/stowage.yaml'), join(project, 'stowage.yaml'));
    symlinkSync(join(import.meta.dirname, '..'), join(project, 'node_modules', '@example', 'stowage-image-builder-docker-cli'), 'dir');
    let stdout = '';
    let stderr = '';
    const code = await runCli(['build', '--json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd: project, env: process.env });
    expect(code, stderr).toBe(0);
    const build = JSON.parse(stdout) as { images: { imageReference: string }[] };
    const image = build.images[0]!.imageReference;
    const out = execFileSync('docker', ['run', '--rm', image, 'python', '-c', 'import stowage_demo_core as c; print(c.greet("cli"))'], { encoding: 'utf8' });
    expect(out.trim()).toBe('hello, cli');
    execFileSync('docker', ['rmi', image]);
    rmSync(dir, { recursive: true, force: true });
  });
});
