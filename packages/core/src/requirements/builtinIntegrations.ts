import type { IntegrationDefinition } from '@stowage/plugin-api';

/**
 * The integrations core ships (names as ZenML's `zenml.integrations.constants`), with requirement
 * ranges for Linux images. Plugins can contribute more through `definePlugin({ integrations })`.
 */
export const BUILTIN_INTEGRATIONS: readonly IntegrationDefinition[] = [
  { name: 'pytorch', requirements: ['torch>=2.1,<3'], description: 'PyTorch' },
  { name: 'pytorch_lightning', requirements: ['lightning>=2.1,<3'], description: 'PyTorch Lightning' },
  { name: 'tensorflow', requirements: ['tensorflow>=2.13,<3'], description: 'TensorFlow' },
  { name: 'sklearn', requirements: ['scikit-learn>=1.3,<2'], description: 'scikit-learn' },
  { name: 'xgboost', requirements: ['xgboost>=2.0,<4'], aptPackages: ['libgomp1'], description: 'XGBoost' },
  { name: 'lightgbm', requirements: ['lightgbm>=4.0,<5'], aptPackages: ['libgomp1'], description: 'LightGBM' },
  {
    name: 'huggingface',
    requirements: ['transformers>=4.40,<5', 'datasets>=2.16,<4', 'huggingface_hub>=0.23,<1'],
    description: 'Hugging Face transformers, datasets and hub',
  },
  { name: 'mlflow', requirements: ['mlflow>=2.12,<3'], description: 'MLflow tracking and registry' },
  { name: 'wandb', requirements: ['wandb>=0.16,<1'], description: 'Weights & Biases' },
  { name: 'evidently', requirements: ['evidently>=0.4.16,<0.5'], description: 'Evidently data and model reports' },
  { name: 'deepchecks', requirements: ['deepchecks[vision]>=0.18,<1'], aptPackages: ['ffmpeg', 'libsm6', 'libxext6'], description: 'Deepchecks' },
  { name: 'great_expectations', requirements: ['great-expectations>=0.18,<1'], description: 'Great Expectations' },
  { name: 'aws', requirements: ['boto3>=1.28,<2', 'sagemaker>=2.117,<3'], description: 'AWS (boto3, SageMaker)' },
  { name: 's3', requirements: ['s3fs>=2023.6', 'boto3>=1.28,<2'], description: 'S3 file access' },
  {
    name: 'gcp',
    requirements: ['google-cloud-storage>=2.9,<3', 'google-cloud-aiplatform>=1.34,<2', 'gcsfs>=2023.6'],
    description: 'Google Cloud (storage, Vertex AI)',
  },
  { name: 'gcs', requirements: ['gcsfs>=2023.6', 'google-cloud-storage>=2.9,<3'], description: 'GCS file access' },
  {
    name: 'azure',
    requirements: ['adlfs>=2021.10', 'azure-identity>=1.10,<2', 'azure-keyvault-secrets>=4.7,<5', 'azure-ai-ml>=1.12,<2'],
    description: 'Azure (storage, identity, Azure ML)',
  },
  { name: 'github', requirements: ['pygithub>=2,<3'], description: 'GitHub code repositories' },
  { name: 'gitlab', requirements: ['python-gitlab>=4,<5'], description: 'GitLab code repositories' },
  { name: 'kubernetes', requirements: ['kubernetes>=21.7,<32'], description: 'Kubernetes client' },
  { name: 'pandas', requirements: ['pandas>=2,<3'], description: 'pandas' },
  { name: 'polars', requirements: ['polars>=1,<2'], description: 'Polars' },
  { name: 'langchain', requirements: ['langchain>=0.2,<1'], description: 'LangChain' },
  { name: 'openai', requirements: ['openai>=1,<2'], description: 'OpenAI client' },
];
