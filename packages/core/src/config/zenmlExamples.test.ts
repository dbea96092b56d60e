import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettingsPaths } from '../gather/checkSettingsPaths.js';
import { BUILTIN_INTEGRATIONS } from '../requirements/builtinIntegrations.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveProject } from '../resolve/resolveProject.js';
import { loadProjectConfig } from './loadProjectConfig.js';

// ZenML's own example run configs, byte for byte (see __fixtures__/zenml/SOURCES.md).
const FIXTURES = join(import.meta.dirname, '__fixtures__/zenml');
const examples = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort();

/** Loads an example as `stowage plan --config` would in a project folder (local stack), through resolve and the path checks. */
function planLevel(example: string) {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-zenml-example-'));
  copyFileSync(join(FIXTURES, example), join(dir, 'stowage.yaml'));
  writeFileSync(join(dir, 'requirements.txt'), 'transformers\n');
  const project = loadProjectConfig({ cwd: dir, env: {} });
  const catalog = new IntegrationCatalog();
  for (const i of BUILTIN_INTEGRATIONS) catalog.add(i, '@stowage/core');
  const resolved = resolveProject(project, catalog);
  checkSettingsPaths([resolved.pipeline, ...resolved.steps], project.root, dir);
  return { project, resolved };
}

/** What was ignored, one line per key: the summary a user sees as warnings. */
function ignored(example: string): string[] {
  return planLevel(example).project.warnings.map((w) => `${w.keyPath}`);
}

describe("ZenML's example run configs load unchanged", () => {
  it('all six are here', () => {
    expect(examples).toHaveLength(6);
  });

  it.each(examples)('%s loads and resolves for every step', (example) => {
    const { resolved } = planLevel(example);
    expect(resolved.pipeline.settings.python_package_installer).toBe('uv');
    for (const step of resolved.steps) expect(step.settings).toEqual(resolved.pipeline.settings);
  });

  it('the keys Stowage ignores, summarised per example', () => {
    expect(Object.fromEntries(examples.map((e) => [e, ignored(e)]))).toEqual({
      'e2e-deployer_config.yaml': ['model', 'extra', 'steps.notify_on_success.parameters'],
      'e2e-inference_config.yaml': ['model', 'extra', 'settings.orchestrator.databricks', 'steps.notify_on_success.parameters'],
      'e2e-train_config.yaml': [
        'model',
        'extra',
        'parameters',
        'steps.model_trainer.parameters',
        'steps.promote_with_metric_compare.parameters',
        'steps.notify_on_success.parameters',
      ],
      'e2e_nlp-config.yaml': ['extra'],
      'quickstart-training_aws.yaml': [
        'enable_cache',
        'model',
        'parameters',
        'settings.resources',
        'settings.orchestrator.sagemaker',
        'steps.split_dataset.parameters',
        'steps.load_data.parameters',
      ],
      'quickstart-training_default.yaml': ['model', 'parameters', 'steps.split_dataset.parameters'],
    });
  });

  it('what they ask for reaches the settings', () => {
    expect(planLevel('e2e-inference_config.yaml').resolved.pipeline.settings.required_integrations).toEqual(['evidently', 'kubeflow', 'kubernetes', 'mlflow', 'sklearn', 'databricks']);
    expect(planLevel('e2e_nlp-config.yaml').resolved.pipeline.settings).toMatchObject({ install_stack_requirements: false, requirements: ['accelerate', 'zenml[server]'] });
    expect(planLevel('quickstart-training_aws.yaml').resolved.pipeline.settings.parent_image).toBe('zenmldocker/zenml-public-pipelines:quickstart-0.64.0-py3.11');
    expect(planLevel('quickstart-training_default.yaml').resolved.pipeline.settings.requirements).toBe('requirements.txt');
  });
});
