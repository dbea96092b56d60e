import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

const YAML = `
pipeline: { name: opts, python_version: "3.11" }
settings:
  docker:
    parent_image: python:3.11-slim
    apt_packages: [git]
    build_config:
      build_options: { platform: linux/amd64, labels: { team: ml }, network_mode: host, buildargs: { PIP_INDEX_TOKEN: tok-in-buildarg-1234, MODE: fast } }
`;

describe('the text plan shows what `docker buildx bake --print` does', () => {
  it('platform, context with its file count and size, labels, and build options (credentials hidden)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-plan-options-'));
    writeFileSync(join(dir, 'stowage.yaml'), YAML);
    writeFileSync(join(dir, 'main.py'), 'print(1)\n');
    const r = await stowage(dir, ['plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {7}platform {2}linux\/amd64$/m);
    expect(r.stdout).toContain(`       context   ${dir} (1 file, 9B) + Dockerfile (`);
    expect(r.stdout).toMatch(/^ {7}labels {4}dev\.stowage\.pipeline=opts$/m);
    expect(r.stdout).toMatch(/^ {17}team=ml$/m);
    expect(r.stdout).toMatch(/^ {7}options {3}network=host, buildArgs=\{"PIP_INDEX_TOKEN":"\*\*\*","MODE":"fast"\}, pull=true$/m);
    expect(r.stdout).not.toContain('tok-in-buildarg-1234');
  });
});
