import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectConfig } from './loadProjectConfig.js';
import { projectFromConfig } from './projectFromConfig.js';
import { errorOf } from '../../test/errorOf.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-tscfg-'));
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return dir;
}


// A config in TypeScript: types, a type-only import, an interface — what jiti must strip.
const TS_CONFIG = `
import type { StowageConfig } from '@stowage/core';
interface Team { registry: string }
const team: Team = { registry: '127.0.0.1:5000' };
const config: StowageConfig = {
  pipeline: { name: 'training', sourceRoot: 'src', pythonVersion: '3.11' },
  settings: { docker: { parentImage: 'python:3.11-slim', aptPackages: ['git'], environment: { MODEL_DIR: '/models' } } },
  steps: { train: { command: ['python', '-m', 'train'], settings: { docker: { requirements: ['pandas'] } } } },
  stacks: {
    shared: {
      imageBuilder: { flavor: 'local', network_mode: 'host' },
      containerRegistry: { flavor: 'oci', uri: team.registry },
    },
  },
  activeStack: 'shared',
};
export default config;
`;

describe('stowage.config.ts (loaded with jiti)', () => {
  it('is found in the project folder and gives the same project as the YAML spelling', () => {
    const dir = folder({ 'stowage.config.ts': TS_CONFIG });
    mkdirSync(join(dir, 'src'));
    const p = loadProjectConfig({ cwd: dir, env: {} });
    expect(p.file).toBe(join(dir, 'stowage.config.ts'));
    expect([p.pipelineName, p.sourceRoot, p.pythonVersion, p.activeStack]).toEqual(['training', join(dir, 'src'), '3.11', 'shared']);
    expect(p.pipelineSettings.map((l) => l.raw)).toEqual([{ parent_image: 'python:3.11-slim', apt_packages: ['git'], environment: { MODEL_DIR: '/models' } }]);
    expect(p.steps.map((s) => [s.name, s.command, s.settings[0]?.raw])).toEqual([['train', ['python', '-m', 'train'], { requirements: ['pandas'] }]]);
    // Component keys keep their flavor schema's spelling; the stack's own keys become snake_case.
    expect(p.stacks).toEqual([{ name: 'shared', path: ['stacks', 'shared'], config: { image_builder: { flavor: 'local', network_mode: 'host' }, container_registry: { flavor: 'oci', uri: '127.0.0.1:5000' } } }]);
  });

  it('loads .mjs with --config, and ${VAR}s are substituted as in YAML', () => {
    const dir = folder({ 'team.config.mjs': "export default { pipeline: { name: process.env.NOPE ?? 'p' }, settings: { docker: { environment: { T: '${TOKEN}' } } } };\n" });
    const p = loadProjectConfig({ cwd: dir, configPath: 'team.config.mjs', env: { TOKEN: 'abc' } });
    expect(p.pipelineName).toBe('p');
    expect(p.pipelineSettings[0]?.raw).toEqual({ environment: { T: 'abc' } });
  });

  it('refuses a folder with both stowage.yaml and stowage.config.ts (exit 2), and --config picks one', () => {
    const dir = folder({ 'stowage.yaml': 'pipeline: { name: from-yaml }\n', 'stowage.config.ts': "export default { pipeline: { name: 'from-ts' } };\n" });
    const e = errorOf(() => loadProjectConfig({ cwd: dir, env: {} }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`${dir} has more than one project config: stowage.yaml, stowage.config.ts`);
    expect(e.hint).toMatch(/--config/);
    expect(loadProjectConfig({ cwd: dir, configPath: 'stowage.config.ts', env: {} }).pipelineName).toBe('from-ts');
  });

  it('names the file and the key path of a bad value, with the schema suggestion', () => {
    const dir = folder({ 'stowage.config.ts': "export default { settings: { docker: { parentImage: 'python:3.11-slim', aptPackges: ['git'] } } };\n" });
    const e = errorOf(() => loadProjectConfig({ cwd: dir, env: {} }));
    expect([e.code, e.file, e.keyPath, e.exitCode]).toEqual(['CONFIG_INVALID', 'stowage.config.ts', 'settings.docker.aptPackges', 2]);
    expect(e.message).toMatch(/did you mean/);
  });

  it('reports a syntax error or a throwing config as an error of that file, not a stack trace', () => {
    const broken = errorOf(() => loadProjectConfig({ cwd: folder({ 'stowage.config.ts': 'export default { pipeline: {\n' }), env: {} }));
    expect([broken.code, broken.file, broken.exitCode]).toEqual(['CONFIG_INVALID', 'stowage.config.ts', 2]);
    expect(broken.message).toMatch(/^cannot load stowage\.config\.ts: /);
    const throwing = errorOf(() => loadProjectConfig({ cwd: folder({ 'stowage.config.ts': "throw new Error('no team set');\n" }), env: {} }));
    expect(throwing.message).toBe('cannot load stowage.config.ts: no team set');
  });

  it('asks for a default export when there is none', () => {
    const e = errorOf(() => loadProjectConfig({ cwd: folder({ 'stowage.config.ts': 'export const config = {};\n' }), env: {} }));
    expect(e.message).toBe('stowage.config.ts has no default export of a config object');
    expect(e.hint).toMatch(/export default defineConfig/);
  });
});

describe('projectFromConfig (a config object in code, no file)', () => {
  it('checks the object with the same schema, naming defineConfig() as the source', () => {
    const root = folder({});
    expect(projectFromConfig({ pipeline: { name: 'p' }, activeStack: 's', stacks: { s: { imageBuilder: { flavor: 'local' } } } }, { root, env: {} }).activeStack).toBe('s');
    const e = errorOf(() => projectFromConfig({ pipeline: { name: 'p', pythonVersion: '3' } }, { root, env: {} }));
    expect([e.file, e.keyPath]).toEqual(['defineConfig()', 'pipeline.python_version']);
  });
});
