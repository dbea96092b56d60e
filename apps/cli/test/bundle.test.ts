import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The published `stowage` bin is one esbuild bundle (dist/stowage.mjs): check that what ships
// runs — decorators without metadata, the createRequire banner, dockerode left external.
const cli = join(import.meta.dirname, '..');
const bundle = join(cli, 'dist-test/stowage.mjs');
const quickstart = join(cli, '../../examples/quickstart/stowage.yaml');
const run = (...args: string[]) => execFileSync(process.execPath, [bundle, ...args], { encoding: 'utf8', cwd: cli });

describe('the bundled bin', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/bundle.mjs', bundle], { cwd: cli, stdio: 'inherit' });
  }, 60_000);

  it('reports the package version and lists the builtin plugins', () => {
    expect(run('--version').trim()).toBe(JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8')).version);
    expect(run('plugins', 'list')).toMatch(/^@stowage\/image-builder-local@\d+\.\d+\.\d+ \(builtin\)  image-builder:local$/m);
  });

  it('plans the quickstart (DI container, plugins, planner)', () => {
    const plan = JSON.parse(run('--config', quickstart, 'plan', '--json'));
    expect(plan.pipeline).toBe('quickstart');
    expect(plan.images.map((i: { key: string }) => i.key)).toEqual(['pipeline', 'train']);
  });
});

describe('the bundled TS API and stowage.config.ts', () => {
  it('loads a TypeScript config through the bundle (jiti and its transform beside it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-bundle-ts-'));
    writeFileSync(join(dir, 'stowage.config.ts'), "interface P { name: string }\nconst p: P = { name: 'bundled' };\nexport default { pipeline: { ...p, pythonVersion: '3.11' }, steps: { a: {} } };\n");
    expect(JSON.parse(run('--config', join(dir, 'stowage.config.ts'), 'plan', '--json')).pipeline).toBe('bundled');
  });

  it('plans with the one-call API from dist-test/index.mjs', async () => {
    const api = (await import(pathToFileURL(join(cli, 'dist-test/index.mjs')).href)) as typeof import('../src/index.js');
    const plan = await api.plan({ config: quickstart, env: {} });
    expect(plan.images.map((i) => i.key)).toEqual(['pipeline', 'train']);
  });
});

describe('the bundled bin stays light', () => {
  it('does not import dockerode at start-up (only when something is built)', () => {
    // A bundler hoists static imports of external packages to the top of the bundle.
    const text = readFileSync(bundle, 'utf8');
    expect(text).not.toMatch(/^import \S+ from "dockerode";$/m);
  });
});
