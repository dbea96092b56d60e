import { describe, expect, it } from 'vitest';
import { BUILTIN_INTEGRATIONS, pythonMatches } from './builtinIntegrations.js';
import { IntegrationCatalog } from './IntegrationCatalog.js';
import { ZENML_INTEGRATION_LIST_SOURCE, ZENML_INTEGRATIONS } from './zenmlIntegrations.js';

/**
 * The integrations ZenML registers: the modules imported by zenml-io/zenml
 * `src/zenml/integrations/__init__.py` @ ZENML_INTEGRATION_LIST_SOURCE.commit (each
 * `src/zenml/integrations/<name>/__init__.py` defines one integration named after its folder;
 * `llama_index` is commented out there and so not registered).
 */
const ZENML_REGISTERED = [
  'airflow', 'argilla', 'aws', 'azure', 'bentoml', 'bitbucket', 'databricks', 'comet', 'deepchecks', 'discord',
  'evidently', 'facets', 'feast', 'gcp', 'github', 'gitlab', 'great_expectations', 'lightning', 'huggingface',
  'hyperai', 'kaniko', 'kubeflow', 'kubernetes', 'label_studio', 'langchain', 'lightgbm', 'mlflow', 'modal',
  'neptune', 'neural_prophet', 'numpy', 'openai', 'pandas', 'pigeon', 'pillow', 'polars', 'prodigy', 'pycaret',
  'pytorch', 'pytorch_lightning', 's3', 'scipy', 'seldon', 'sklearn', 'skypilot_aws', 'skypilot_gcp',
  'skypilot_azure', 'skypilot_lambda', 'skypilot_kubernetes', 'slack', 'spark', 'tekton', 'tensorboard',
  'tensorflow', 'wandb', 'whylogs', 'xgboost', 'vllm',
];

function catalog(): IntegrationCatalog {
  const c = new IntegrationCatalog();
  for (const i of BUILTIN_INTEGRATIONS) c.add(i, '@stowage/core');
  return c;
}

describe("the built-in catalog is ZenML's whole catalog", () => {
  it('has every integration ZenML registers, and nothing else', () => {
    expect(ZENML_INTEGRATION_LIST_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(catalog().list().map((i) => i.name)).toEqual([...ZENML_REGISTERED].sort());
  });

  it('names the ZenML source file and commit of every entry', () => {
    for (const z of ZENML_INTEGRATIONS) expect(z.commit, z.name).toMatch(/^[0-9a-f]{40}$/);
    for (const i of BUILTIN_INTEGRATIONS) expect(i.description).toContain(`src/zenml/integrations/${i.name}/__init__.py @ `);
  });

  it("the example configs' integrations resolve (kubeflow, slack, skypilot_aws, discord, databricks)", () => {
    const selected = catalog().select(['kubeflow', 'slack', 'skypilot_aws', 'discord', 'databricks'], 'settings.docker.required_integrations', '3.11');
    expect(selected.requirements).toEqual(['aiohttp>=3.8.1', 'asyncio', 'databricks-sdk==0.28.0', 'discord.py>=2.3.2', 'kfp==1.8.16', 'skypilot[aws]==0.9.3', 'slack-sdk==3.30.0']);
    expect(selected.aptPackages).toEqual(['openssh-client', 'rsync']);
  });

  it("folds in what get_requirements appends from other integrations, and ZenML's apt packages", () => {
    const mlflow = BUILTIN_INTEGRATIONS.find((i) => i.name === 'mlflow')!;
    expect(mlflow.requirements).toEqual(['mlflow>=2.1.1,<3', 'python-rapidjson<1.15', 'pydantic>=2.8.0,<2.9.0', 'numpy<3.0.0', 'pandas>=2.0.0']);
    expect(BUILTIN_INTEGRATIONS.find((i) => i.name === 'deepchecks')!.aptPackages).toEqual(['ffmpeg', 'libsm6', 'libxext6']);
    expect(catalog().select(['tensorflow'], 'k', '3.8').requirements).toContain('tensorflow==2.12');
    expect(catalog().select(['tensorflow'], 'k', '3.11').requirements).toContain('tensorflow>=2.12,<=2.15');
  });
});

describe('pythonMatches', () => {
  it.each([
    ['<3.12', '3.11', true],
    ['<3.12', '3.12', false],
    ['<3.12', '3.9', true],
    ['==3.8', '3.8.10', true],
    ['!=3.8', '3.10', true],
    ['>=3.10', '3.9', false],
    ['nonsense', '3.11', false],
  ])('%s with %s → %s', (when, version, expected) => {
    expect(pythonMatches(when, version)).toBe(expected);
  });
});
