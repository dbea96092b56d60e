import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettingsPaths } from '../gather/checkSettingsPaths.js';
import { BUILTIN_INTEGRATIONS } from '../requirements/builtinIntegrations.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveProject } from '../resolve/resolveProject.js';
import type { ProjectConfig } from './loadProjectConfig.js';
import { loadProjectConfig } from './loadProjectConfig.js';
import { definePipeline, projectFromDefinition } from './definePipeline.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures/zenml');

function project(yaml: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-cfg-'));
  writeFileSync(join(dir, 'stowage.yaml'), yaml);
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return { dir, load: () => loadProjectConfig({ cwd: dir, env }) };
}

/** The resolve stage with core's integrations (the seed example requires some of them). */
function resolve(p: ProjectConfig) {
  const catalog = new IntegrationCatalog();
  for (const i of BUILTIN_INTEGRATIONS) catalog.add(i, '@stowage/core');
  return resolveProject(p, catalog);
}

/** Resolve, then the path checks that moved to gather. */
function resolveAndCheckPaths(p: ProjectConfig) {
  const r = resolve(p);
  checkSettingsPaths([r.pipeline, ...r.steps], p.root);
  return r;
}

function errorOf(fn: () => unknown): { code: string; file?: string; line?: number; keyPath?: string; message: string; hint?: string } {
  try {
    fn();
  } catch (e) {
    return e as never;
  }
  throw new Error('expected an error');
}

describe('ZenML run configs load unchanged', () => {
  it("the seed page's YAML example resolves per step", () => {
    const p = loadProjectConfig({ configPath: join(fixtures, 'seed-example.yaml'), env: {} });
    const r = resolve(p);
    expect(r.pipeline.settings).toMatchObject({ parent_image: 'python:3.9-slim', apt_packages: ['git', 'curl'], requirements: ['tensorflow==2.8.0', 'pandas'] });
    expect(r.steps[0]!.settings).toMatchObject({
      parent_image: 'pytorch/pytorch:2.2.0-cuda11.8-cudnn8-runtime',
      apt_packages: ['git', 'curl'],
      required_integrations: ['wandb', 'mlflow'],
    });
    expect(p.pipelineName).toBe('zenml');
  });

  it('ignores ZenML-only keys with one warning each, naming the key path and line', () => {
    const p = loadProjectConfig({ configPath: join(fixtures, 'run-config.yaml'), env: {} });
    const w = p.warnings.map((x) => `${x.line} ${x.keyPath}`);
    expect(w).toEqual([
      '3 run_name',
      '4 enable_cache',
      '5 enable_artifact_metadata',
      '6 parameters',
      '8 extra',
      '10 model',
      '12 schedule',
      '19 settings.resources',
      '21 settings.orchestrator.kubernetes',
      '25 steps.trainer.enable_cache',
      '26 steps.trainer.experiment_tracker',
      '27 steps.trainer.parameters',
      '32 steps.trainer.settings.step_operator.sagemaker',
    ]);
    expect(p.warnings.every((x) => /not used by Stowage; ignored/.test(x.message))).toBe(true);
    expect(p.steps.map((s) => s.name)).toEqual(['trainer', 'evaluator']);
  });
});

describe('config errors name the file, line and key path', () => {
  it.each([
    ['unknown top-level key', 'pipline: {name: x}\n', 'pipline', 1, /unknown key "pipline"; did you mean "pipeline"\?/],
    ['unknown docker key', 'settings:\n  docker:\n    parent_imag: x\n', 'settings.docker.parent_imag', 3, /did you mean "parent_image"/],
    ['typo of docker', 'settings:\n  dokcer: {}\n', 'settings.dokcer', 2, /did you mean "docker"/],
    ['wrong type in a step', 'steps:\n  a:\n    settings:\n      docker:\n        apt_packages: git\n', 'steps.a.settings.docker.apt_packages', 5, /expected a list of strings, got the string "git"/],
    ['bad python version', 'pipeline: {python_version: "3"}\n', 'pipeline.python_version', 1, /expected a Python version/],
    ['missing env var', 'settings:\n  docker:\n    environment:\n      TOKEN: ${NOT_SET_X}\n', 'settings.docker.environment.TOKEN', 4, /environment variable "NOT_SET_X" is not set/],
  ])('%s', (_name, yaml, keyPath, line, message) => {
    const e = errorOf(() => project(yaml).load());
    expect(e.file).toBe('stowage.yaml');
    expect(e.keyPath).toBe(keyPath);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });

  it('YAML syntax errors name the line', () => {
    const e = errorOf(() => project('settings:\n  docker: [\n').load());
    expect(e.code).toBe('YAML_SYNTAX');
    expect(e.line).toBeGreaterThanOrEqual(2);
  });

  it('a missing Dockerfile is reported relative to the config file', () => {
    const p = project('settings:\n  docker:\n    dockerfile: docker/Dockerfile\n');
    const e = errorOf(() => resolveAndCheckPaths(p.load()));
    expect([e.file, e.line, e.keyPath]).toEqual(['stowage.yaml', 3, 'settings.docker.dockerfile']);
    expect(e.message).toBe(`Dockerfile ${join(p.dir, 'docker/Dockerfile')} does not exist`);
  });

  it('a missing path inherited by a step is reported where it was written (the nested pipeline key)', () => {
    const yaml = 'settings:\n  docker:\n    build_config:\n      dockerignore: missing.dockerignore\nsteps:\n  train:\n    settings:\n      docker:\n        build_config: {build_options: {pull: true}}\n';
    const e = errorOf(() => resolveAndCheckPaths(project(yaml).load()));
    expect([e.file, e.line, e.keyPath]).toEqual(['stowage.yaml', 4, 'settings.docker.build_config.dockerignore']);
    expect(e.message).toMatch(/\.dockerignore file .*missing\.dockerignore does not exist/);
  });

  it('a relative requirements file resolves against the config folder, not the CWD', () => {
    const p = project('settings:\n  docker:\n    requirements: reqs.txt\n', {}, { 'reqs.txt': 'pandas\n' });
    expect(() => resolveAndCheckPaths(p.load())).not.toThrow();
  });
});

describe('definePipeline (TS API): code over YAML', () => {
  it('mirrors @pipeline(settings=…) and with_options', () => {
    const p = project('pipeline: {name: yaml-name}\nsettings:\n  docker:\n    parent_image: yaml:1\n    apt_packages: [git]\nsteps:\n  train:\n    settings: {docker: {user: yaml}}\n');
    const pipeline = definePipeline({ name: 'code-name', settings: { docker: { parentImage: 'code:1', environment: { A: '1' } } } }, join(p.dir, 'stowage.yaml'));
    const updated = pipeline.withOptions({ settings: { docker: { environment: { B: '2' } } }, steps: { train: { settings: { docker: { buildConfig: { buildOptions: { pull: true } } } } } } });
    const r = resolve(projectFromDefinition(updated, { env: {} }));
    expect(r.pipeline.settings).toMatchObject({ parent_image: 'code:1', apt_packages: ['git'], environment: { A: '1', B: '2' } });
    expect(r.steps[0]!.settings).toMatchObject({ user: 'yaml', parent_image: 'code:1', build_config: { build_options: { pull: true } } });
    expect(projectFromDefinition(updated, { env: {} }).pipelineName).toBe('code-name');
  });

  it('reports unknown camelCase keys at definePipeline()', () => {
    const pipeline = definePipeline({ name: 'x', settings: { docker: { parentImag: 'a' } as never } });
    const e = errorOf(() => resolve(projectFromDefinition(pipeline, { env: {} })));
    expect(e.file).toBe('definePipeline()');
    expect(e.keyPath).toBe('settings.docker.parentImag');
  });
});

describe('credentials in load errors', () => {
  it('a shape error never echoes a substituted credential', () => {
    const e = errorOf(() => project('settings:\n  docker:\n    environment: ${HF_TOKEN}\n', { HF_TOKEN: 'hf_SUPERSECRETVALUE123' }).load());
    expect(e.keyPath).toBe('settings.docker.environment');
    expect(e.message).toBe('expected a mapping, got the string "***"');
  });
});
