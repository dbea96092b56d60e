/**
 * ZenML's integration catalog as data (facts, not code): every integration ZenML registers in
 * `src/zenml/integrations/__init__.py`, with the pip requirements and apt packages its
 * `src/zenml/integrations/<name>/__init__.py` declares, for Linux images. `commit` is the
 * zenml-io/zenml commit each entry was read at, so every line can be checked against its source.
 */

/** Where the list of registered integrations was read. */
export const ZENML_INTEGRATION_LIST_SOURCE = {
  repository: 'zenml-io/zenml',
  path: 'src/zenml/integrations/__init__.py',
  commit: 'e236e8a288014c7f51ea3b5d68ec6345dfb30779',
} as const;

/** A requirement ZenML adds only for some Python versions (`when`: `<3.12`, `==3.8`, `!=3.8`). */
export interface PythonSpecificRequirement {
  requirement: string;
  when: string;
}

export interface ZenmlIntegration {
  /** `NAME` of the integration (its folder name). */
  name: string;
  /** zenml-io/zenml commit of `src/zenml/integrations/<name>/__init__.py` this entry states. */
  commit: string;
  /** `REQUIREMENTS` (or what `get_requirements(target_os="Linux")` returns for every Python). */
  requirements: readonly string[];
  /** What `get_requirements` adds for some Python versions of the client (the pipeline's Python here). */
  python?: readonly PythonSpecificRequirement[];
  /** Integrations whose requirements `get_requirements` appends (e.g. mlflow adds numpy and pandas). */
  includes?: readonly string[];
  /** `APT_PACKAGES`. */
  aptPackages?: readonly string[];
}

export const ZENML_INTEGRATIONS: readonly ZenmlIntegration[] = [
  { name: 'airflow', commit: 'b22f1f5ead9de6e2fa3d1212d0b79685cffee4b6', requirements: ['apache-airflow==2.2.0'] },
  { name: 'argilla', commit: '20273ca0d09a17c09f5d950f9e0770d3e0379ed5', requirements: ['argilla>=2.0.0'] },
  { name: 'aws', commit: 'fdffca0d39e07dee621e278e31bf4a7f765cbc01', requirements: ['sagemaker>=2.117.0', 'kubernetes', 'aws-profile-manager'] },
  { name: 'azure', commit: '29d6170786702d0041147b21c969404f7c7a1977', requirements: ['adlfs>=2021.10.0', 'azure-keyvault-keys', 'azure-keyvault-secrets', 'azure-identity', 'azureml-core==1.54.0.post1', 'azure-mgmt-containerservice>=20.0.0', 'azure-storage-blob==12.17.0', 'kubernetes', 'azure-ai-ml==1.18.0'] },
  { name: 'bentoml', commit: '2dd72870244df632b4e95b3d611007ed479c5f4f', requirements: ['bentoml>=1.0.10'] },
  { name: 'bitbucket', commit: '28ec4dbdc0d7a1b9a9b32f5538cbd07bbf943426', requirements: [] },
  { name: 'comet', commit: '62fafaa975af8a84efa83fbfc4e1743e650639f6', requirements: ['comet-ml>=3.0.0'] },
  { name: 'databricks', commit: '6e66738000c895c8afb90674325a18e8d108b29b', requirements: ['databricks-sdk==0.28.0'] },
  { name: 'deepchecks', commit: '301247a8f3e0d25cd7fbf9971a197e44060d9b42', requirements: ['deepchecks[vision]>=0.18.0', 'torchvision>=0.14.0', 'opencv-python==4.5.5.64', 'opencv-python-headless==4.5.5.64', 'tenacity!=8.4.0', 'pandas<2.2.0'], includes: ['pandas'], aptPackages: ['ffmpeg', 'libsm6', 'libxext6'] },
  { name: 'discord', commit: '28ec4dbdc0d7a1b9a9b32f5538cbd07bbf943426', requirements: ['discord.py>=2.3.2', 'aiohttp>=3.8.1', 'asyncio'] },
  { name: 'evidently', commit: '536312a8c1c05e4f8c8ec0230f6b83c37f9ec138', requirements: ['evidently>=0.4.16,<=0.4.22', 'tenacity!=8.4.0'], includes: ['pandas'] },
  { name: 'facets', commit: '01590a37b0917c0ad67fd5e0b6b96975f2919c7c', requirements: ['facets-overview>=1.0.0', 'IPython', 'numpy>=1.16.0,<1.23.0'] },
  { name: 'feast', commit: '00631aeb33171d42c93387e0965d29e73e110063', requirements: ['feast[redis]', 'redis-server'] },
  { name: 'gcp', commit: '951e42a9257a6e0b9bf57c2065a6b9f8ae1c726f', requirements: ['kfp>=2.6.0', 'gcsfs', 'google-cloud-secret-manager', 'google-cloud-container>=2.21.0', 'google-cloud-artifact-registry>=1.11.3', 'google-cloud-storage>=2.9.0', 'google-cloud-aiplatform>=1.34.0', 'google-cloud-build>=3.11.0', 'kubernetes'] },
  { name: 'github', commit: '11f46bcf319a98979d03f6a2f562d9c6673de481', requirements: ['pygithub'] },
  { name: 'gitlab', commit: '28ec4dbdc0d7a1b9a9b32f5538cbd07bbf943426', requirements: ['python-gitlab'] },
  { name: 'great_expectations', commit: '105f2b3a64b9f3209861ef67db10eb89ddeebbe8', requirements: ['great-expectations~=0.15.11'] },
  { name: 'huggingface', commit: '0c3c3246a9e4fa8bca0892a1a421bbe9e5412153', requirements: ['transformers<=4.31', 'datasets'] },
  { name: 'hyperai', commit: '00bbe7645980bc56bf0349e83ba2ee7cba2b4255', requirements: ['paramiko>=3.4.0'] },
  { name: 'kaniko', commit: '142f00d2767ade496d46bc1b975615cb14b5fbea', requirements: ['kubernetes==18.20.0'] },
  { name: 'kubeflow', commit: '1d0da3ce90082edc2bff8136c460116b8ee1356b', requirements: ['kfp==1.8.16'] },
  { name: 'kubernetes', commit: 'e629eefae4f3ad175a3fb845342374088338d7a1', requirements: ['kubernetes>=21.7,<26'] },
  { name: 'label_studio', commit: '0bdebcacec0a852d13d73098e8472a53664960db', requirements: ['label-studio-sdk>=0.0.17,<=0.0.34'] },
  { name: 'langchain', commit: '001d8f6ebad56fc66bb7af06a6bf93b1b1035843', requirements: ['langchain>=0.0.103'] },
  { name: 'lightgbm', commit: '06d6adf5ad654d1f08bd852a605487b4c7a21bbb', requirements: ['lightgbm>=1.0.0'] },
  { name: 'lightning', commit: '263eca704a567347b7760d9ad9cb93b53f2b33af', requirements: ['lightning-sdk'] },
  { name: 'mlflow', commit: '032dc696b7c7c87b05c95b28bc718dd5be806b4f', requirements: ['mlflow>=2.1.1,<3', 'python-rapidjson<1.15', 'pydantic>=2.8.0,<2.9.0'], python: [{ requirement: 'mlserver>=1.3.3', when: '<3.12' }, { requirement: 'mlserver-mlflow>=1.3.3', when: '<3.12' }], includes: ['numpy', 'pandas'] },
  { name: 'modal', commit: '803b54eb475b5a0266bfee015de075153e653950', requirements: ['modal>=0.64.49,<1'] },
  { name: 'neptune', commit: '01b0be677060c696f25dfdb71c13c760af87ccab', requirements: ['neptune-client>=0.16.10'] },
  { name: 'neural_prophet', commit: '1b179256da85b74005466b4683ef074f822c347d', requirements: ['neuralprophet>=0.3.2,<0.5.0', 'holidays>=0.4.1,<0.25.0'] },
  { name: 'numpy', commit: '086e202b17dc8eb5ab65013489272635cbf719dc', requirements: ['numpy<3.0.0'] },
  { name: 'openai', commit: '3d80df905aecad2ea1ab0aefedaccc7750eb7839', requirements: ['openai>=0.27.0'] },
  { name: 'pandas', commit: '4899109faa3b0539b56b5006956e41f1b85e38f1', requirements: ['pandas>=2.0.0'] },
  { name: 'pigeon', commit: '00c2c6faaab0f0f94fb53d5363a6848d3e66c1af', requirements: ['ipywidgets==7.0.0'] },
  { name: 'pillow', commit: '22de911c92ff79f907f5e14e506446b119eb966c', requirements: ['Pillow>=9.2.0,<10.0.0'] },
  { name: 'polars', commit: '084fe84d198015e1c12a66661198c1ab79f6d416', requirements: ['polars>=0.19.5', 'pyarrow>=12.0.0'] },
  { name: 'prodigy', commit: '4f914e6749eda6e6d7d297fb195cf8a4649e3d7f', requirements: ['prodigy', 'urllib3<2'] },
  { name: 'pycaret', commit: '0cbbf89992775a709da28f7e9be6855d76625115', requirements: ['pycaret', 'scikit-learn', 'xgboost', 'catboost', 'lightgbm'] },
  { name: 'pytorch', commit: '0bc21ea853f66e93e573cf6559513d2957b84014', requirements: ['torch'] },
  { name: 'pytorch_lightning', commit: '20f66838e8d12176bfd7f897d99c3720298305d0', requirements: ['pytorch_lightning'] },
  { name: 's3', commit: '097e3adf6e217a544b7f3b0d628ca026cc7e06da', requirements: ['s3fs>2022.3.0,<=2022.11.0'] },
  { name: 'scipy', commit: '09ad13ffa1037e7a31a47251d0881479e825004d', requirements: ['scipy'] },
  { name: 'seldon', commit: 'ab65e282633a91ef8b6943e82617b5b2ff42c509', requirements: ['kubernetes==18.20.0'], includes: ['numpy'] },
  { name: 'sklearn', commit: 'b94660b7c9b147ce6eca7fd0ae62c5b685a5449b', requirements: ['scikit-learn'] },
  { name: 'skypilot_aws', commit: '23157b34eb38d18bad7fc1cdf5dbf8926345d51c', requirements: ['skypilot[aws]==0.9.3'], aptPackages: ['openssh-client', 'rsync'] },
  { name: 'skypilot_azure', commit: '0052b98d17c6624bd79307a05e622f4b4b590a60', requirements: ['skypilot[azure]>=0.6.1'], aptPackages: ['openssh-client', 'rsync'] },
  { name: 'skypilot_gcp', commit: '0a64e42c89052aa16cbac1ccfdb2f9ef49d0eb04', requirements: ['skypilot[gcp]~=0.6.0'], aptPackages: ['openssh-client', 'rsync'] },
  { name: 'skypilot_kubernetes', commit: '1e6efb97043087176bcc968c8aa10bc6b4a0ba24', requirements: ['skypilot[kubernetes]~=0.8.0'], aptPackages: ['openssh-client', 'rsync'] },
  { name: 'skypilot_lambda', commit: '0a64e42c89052aa16cbac1ccfdb2f9ef49d0eb04', requirements: ['skypilot[lambda]~=0.6.0'] },
  { name: 'slack', commit: '6957f091f74ba9a73149c92b680b930808cac86d', requirements: ['slack-sdk==3.30.0'] },
  { name: 'spark', commit: '149f69566029fac691dcc793d36f0ce08dfc2681', requirements: ['pyspark==3.2.1'] },
  { name: 'tekton', commit: '149f69566029fac691dcc793d36f0ce08dfc2681', requirements: ['kfp-tekton==1.3.0'] },
  { name: 'tensorboard', commit: '08cfcfe1d07de01b4bc872bdc427b942bae7951b', requirements: ['tensorboard>=2.12,<=2.16'] },
  { name: 'tensorflow', commit: '0932e0fae440f2366f0cfe4cb16182a822f70297', requirements: ['typing-extensions>=4.6.1', 'tensorflow_io>=0.24.0'], python: [{ requirement: 'tensorflow==2.12', when: '==3.8' }, { requirement: 'tensorflow-io==0.31.0', when: '==3.8' }, { requirement: 'tensorflow>=2.12,<=2.15', when: '!=3.8' }] },
  { name: 'vllm', commit: 'f8e68202f67d1e14ceb5073469c9a465b6495ea7', requirements: ['vllm', 'openai'] },
  { name: 'wandb', commit: 'b391528cf6e9a0929e39c2d1555d364346ff9120', requirements: ['wandb>=0.12.12', 'Pillow>=9.1.0'] },
  { name: 'whylogs', commit: '04e08bd0426636fd344a6dc7675d62cf11298a74', requirements: ['whylogs>=1.0.5', 'whylabs-client>=0.3.0,<0.4.0', 'ipython', 'pybars3>=0.9,<1.0', 'scipy>=1.5,<1.8'] },
  { name: 'xgboost', commit: '0a0c06a1ecb551654fd7481e19e6bf71b1c663f2', requirements: ['xgboost>=1.0.0'] },
];
