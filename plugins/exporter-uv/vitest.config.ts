import { spawnSync } from 'node:child_process';
import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

// uv cannot be installed where Stowage's CI runs (not in Debian bookworm, not on npm, no PyPI):
// the real-uv tests run wherever uv is on PATH and are left out (not skipped) elsewhere; the
// argv and uv's output format are tested through the runner contract in UvExporter.test.ts.
const hasUv = spawnSync('uv', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasUv) console.warn('\n!!!!!!!! uv is not on PATH: the real-uv tests (src/UvExporter.e2e.test.ts) are not run here\n');

export default defineConfig(
  stowageVitestConfig({ test: { name: '@stowage/exporter-uv', exclude: hasUv ? [] : ['src/UvExporter.e2e.test.ts'] } }),
);
