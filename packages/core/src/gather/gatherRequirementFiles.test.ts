import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvedStep, settings } from '../../test/settingsFixture.js';
import {
  StowageError,
  type ExportContext,
  type ExporterDefinition,
  type ExportResult,
  type ProcessRequest,
  type ProcessRunner,
  type RequirementsExporter,
  type Warning,
} from '@stowage/plugin-api';
import type { DockerSettingsInput } from '../settings/DockerSettingsSchema.js';
import { BUILTIN_INTEGRATIONS } from '../requirements/builtinIntegrations.js';
import { ExporterSet, type RegisteredExporter } from '../requirements/ExporterSet.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { gatherRequirementFiles, type RequirementsContext } from './gatherRequirementFiles.js';

class CountingExporter implements RequirementsExporter {
  calls: string[] = [];
  constructor(readonly name: string, private readonly text: string, private readonly fail = false) {}
  async exportEnvironment(method: 'pip_freeze' | 'poetry_export', _ctx: ExportContext): Promise<ExportResult> {
    this.calls.push(`env:${method}`);
    return { requirements: this.text, command: `${this.name} freeze`, dropped: [{ line: '-e /src/proj', reason: 'editable install' }] };
  }
  async exportPyproject(dir: string, _ctx: ExportContext): Promise<ExportResult> {
    this.calls.push(`pyproject:${dir}`);
    if (this.fail) throw new StowageError(`\`${this.name} export\` exited with code 1`, { code: 'SUBPROCESS_FAILED', details: [`${this.name}: no lock file`] });
    return { requirements: this.text, command: `${this.name} export` };
  }
}

/** What the shipped exporter plugins declare (pip: environment; uv, then poetry: pyproject). */
const DECLARED: Record<string, Pick<ExporterDefinition, 'pyproject' | 'environmentMethods'>> = {
  pip: { environmentMethods: ['pip_freeze'] },
  uv: { pyproject: { priority: 10 } },
  poetry: { pyproject: { priority: 20 }, environmentMethods: ['poetry_export'] },
};

/** An exporter as the plugin registry hands it to ExporterSet, routed by what its definition declares. */
function registered(exporter: CountingExporter): RegisteredExporter {
  const definition: ExporterDefinition = { name: exporter.name, ...DECLARED[exporter.name], create: () => exporter };
  return { definition, plugin: `@stowage/exporter-${exporter.name}`, exporter };
}

/** The pipeline's resolved step for settings (origins under `settings.docker`). */
const step = (input: DockerSettingsInput) => resolvedStep('pipeline', settings(input));

const noRunner: ProcessRunner = { run: async () => { throw new Error('no process expected'); } };

function context(over: Partial<RequirementsContext> = {}, exporters: CountingExporter[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-req-'));
  const catalog = new IntegrationCatalog();
  for (const i of BUILTIN_INTEGRATIONS) catalog.add(i, '@stowage/core');
  const warnings: Warning[] = [];
  const ctx: RequirementsContext = {
    projectRoot: dir,
    sourceRoot: dir,
    stack: { requirements: ['zz-stack>=1', 'aa-stack'], extraRequirementFiles: { '.stowage_deployment_requirements': ['uvicorn', 'fastapi'] } },
    exporters: new ExporterSet(noRunner, exporters.map(registered)),
    integrations: catalog,
    cache: new Map(),
    warn: (w) => warnings.push(w),
    ...over,
  };
  return { dir, ctx, warnings };
}

describe('requirement sources, in ZenML order', () => {
  it('local → stack → deployment → integrations → pyproject → user', async () => {
    const pip = new CountingExporter('pip', 'numpy==1.26.4\n');
    const uv = new CountingExporter('uv', 'requests==2.32.0\n');
    const { dir, ctx } = context({}, [pip, uv]);
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname="x"\n');
    const r = await gatherRequirementFiles(
      step({ replicate_local_python_environment: true, required_integrations: ['PYTORCH', 'sklearn'], pyproject_path: 'pyproject.toml', requirements: ['pandas', 'torch==2.2.0'] }),
      ctx,
    );
    expect(r.files.map((f) => [f.name, f.source, f.content])).toEqual([
      ['.stowage_local_requirements', 'local', 'numpy==1.26.4\n'],
      ['.stowage_stack_requirements', 'stack', 'aa-stack\nzz-stack>=1\n'],
      ['.stowage_deployment_requirements', 'deployment', 'fastapi\nuvicorn\n'],
      ['.stowage_integration_requirements', 'integration', 'scikit-learn\ntorch\n'],
      ['.stowage_pyproject_requirements', 'pyproject', 'requests==2.32.0\n'],
      ['.stowage_user_requirements', 'user', 'pandas\ntorch==2.2.0\n'],
    ]);
  });

  it("a code repository's requirements join the stack file only when the image downloads code from it (ZenML)", async () => {
    const { ctx } = context({ stack: { requirements: ['aa-stack'], extraRequirementFiles: {}, codeRepositoryRequirements: { pip: ['forge-client>=2'], apt: [] } } });
    const stackFile = async (fromRepository: boolean) => (await gatherRequirementFiles(step({}), ctx, fromRepository)).files.find((f) => f.source === 'stack')!.content;
    expect(await stackFile(false)).toBe('aa-stack\n');
    expect(await stackFile(true)).toBe('aa-stack\nforge-client>=2\n');
  });

  it('install_stack_requirements / install_deployment_requirements switch their files off', async () => {
    const { ctx } = context();
    const r = await gatherRequirementFiles(step({ install_stack_requirements: false, install_deployment_requirements: false }), ctx);
    expect(r.files).toEqual([]);
  });

  it('runs each export once per plan, whatever the number of images', async () => {
    const pip = new CountingExporter('pip', 'numpy\n');
    const { ctx } = context({}, [pip]);
    for (const s of [step({ replicate_local_python_environment: true }), step({ replicate_local_python_environment: true, apt_packages: ['git'] })]) {
      await gatherRequirementFiles(s, ctx);
    }
    // `true` is routed to the exporter that declares pip_freeze, once for both images.
    expect(pip.calls).toEqual(['env:pip_freeze']);
  });

  it('reports requirements the local export left out', async () => {
    const { ctx, warnings } = context({}, [new CountingExporter('pip', 'numpy\n')]);
    await gatherRequirementFiles(step({ replicate_local_python_environment: true }), ctx);
    expect(warnings[0]!.message).toMatch(/left out of the local environment export: -e \/src\/proj/);
  });

  it('a requirements file path resolves against the config folder', async () => {
    const { dir, ctx } = context();
    writeFileSync(join(dir, 'reqs.txt'), 'scipy==1.13\n');
    const r = await gatherRequirementFiles(step({ requirements: 'reqs.txt', install_stack_requirements: false, install_deployment_requirements: false }), ctx);
    expect(r.files).toEqual([{ name: '.stowage_user_requirements', source: 'user', content: 'scipy==1.13\n' }]);
  });

  it('automatic detection: off by default (warns), on when enabled, requirements.txt before pyproject.toml', async () => {
    const base = { install_stack_requirements: false, install_deployment_requirements: false };
    const { dir, ctx, warnings } = context();
    writeFileSync(join(dir, 'requirements.txt'), 'flask\n');
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\n');
    expect((await gatherRequirementFiles(step(base), ctx)).files).toEqual([]);
    expect(warnings[0]!.message).toMatch(/automatic requirements detection is off/);
    const on = await gatherRequirementFiles(step({ ...base, disable_automatic_requirements_detection: false }), ctx);
    expect(on.files).toEqual([{ name: '.stowage_user_requirements', source: 'user', content: 'flask\n' }]);
    const explicit = await gatherRequirementFiles(step({ ...base, disable_automatic_requirements_detection: false, requirements: ['x'] }), ctx);
    expect(explicit.files[0]!.content).toBe('x\n');
    // `requirements: []` is falsy in ZenML: it names nothing, so detection still runs.
    const empty = await gatherRequirementFiles(step({ ...base, disable_automatic_requirements_detection: false, requirements: [] }), ctx);
    expect(empty.files).toEqual([{ name: '.stowage_user_requirements', source: 'user', content: 'flask\n' }]);
  });

  it('integration apt packages are returned de-duplicated', async () => {
    const { ctx } = context();
    const r = await gatherRequirementFiles(step({ required_integrations: ['skypilot_aws', 'skypilot_gcp', 'deepchecks'] }), ctx);
    expect(r.integrationAptPackages).toEqual(['openssh-client', 'rsync', 'ffmpeg', 'libsm6', 'libxext6']);
  });

  it("an integration's Python-specific requirements follow the pipeline's Python (ZenML: its client's)", async () => {
    const files = async (pythonVersion: string) => (await gatherRequirementFiles(step({ required_integrations: ['mlflow'] }), context({ pythonVersion }).ctx)).files;
    const of = (f: Awaited<ReturnType<typeof files>>) => f.find((x) => x.source === 'integration')!.content;
    expect(of(await files('3.11'))).toContain('mlserver>=1.3.3\n');
    expect(of(await files('3.12'))).not.toContain('mlserver');
    expect(of(await files('3.12'))).toContain('pandas>=2.0.0\n');
  });

  it('an unknown integration lists the closest names', async () => {
    const { ctx } = context();
    await expect(gatherRequirementFiles(step({ required_integrations: ['pytorh'] }), ctx)).rejects.toMatchObject({
      code: 'INTEGRATION_UNKNOWN',
      keyPath: 'settings.docker.required_integrations[0]',
      message: 'unknown integration "pytorh"',
      hint: expect.stringMatching(/did you mean "pytorch"/),
    });
  });
});

describe('pyproject export', () => {
  it('tries uv, then poetry (by declared priority, not registration order); the first that succeeds wins', async () => {
    const uv = new CountingExporter('uv', 'a\n', true);
    const poetry = new CountingExporter('poetry', 'b==1\n');
    const { ctx } = context({}, [poetry, uv]);
    const r = await ctx.exporters.exportPyproject('/p', undefined, { projectRoot: '/p' });
    expect([uv.calls, poetry.calls, r.requirements]).toEqual([['pyproject:/p'], ['pyproject:/p'], 'b==1\n']);
  });

  it('when all fail, one error lists each command with its stderr and how to set pyproject_export_command', async () => {
    const { ctx } = context({}, [new CountingExporter('uv', '', true), new CountingExporter('poetry', '', true)]);
    const error = await ctx.exporters.exportPyproject('/p', undefined, { projectRoot: '/p' }).catch((e: StowageError) => e);
    expect(error).toMatchObject({ code: 'REQUIREMENTS_EXPORT_FAILED', message: 'could not export the dependencies of /p/pyproject.toml' });
    expect((error as StowageError).details).toEqual(['uv: `uv export` exited with code 1: uv: no lock file', 'poetry: `poetry export` exited with code 1: poetry: no lock file']);
    expect((error as StowageError).hint).toMatch(/pyproject_export_command/);
  });

  it('a custom command replaces the defaults; {directory} is replaced and other braces are left alone', async () => {
    const requests: ProcessRequest[] = [];
    const runner: ProcessRunner = { run: async (r) => { requests.push(r); return { stdout: 'x==1\n', stderr: '', exitCode: 0 }; } };
    const uv = new CountingExporter('uv', 'never\n');
    const set = new ExporterSet(runner, [registered(uv)]);
    const r = await set.exportPyproject('/proj/sub', ['uv', 'export', '--extra=train', '--directory={directory}', '--format={fmt}'], { projectRoot: '/proj' });
    expect(requests[0]!.command).toEqual(['uv', 'export', '--extra=train', '--directory=/proj/sub', '--format={fmt}']);
    expect(r.requirements).toBe('x==1\n');
    expect(uv.calls).toEqual([]);
  });

  it('a missing exporter names the package to install', async () => {
    const { ctx } = context();
    await expect(ctx.exporters.exportEnvironment('poetry_export', { projectRoot: '/p' })).rejects.toMatchObject({
      code: 'PLUGIN_NOT_INSTALLED',
      hint: 'install a plugin whose exporter handles poetry_export (@stowage/exporter-poetry) and add it to plugins:',
    });
  });
});
