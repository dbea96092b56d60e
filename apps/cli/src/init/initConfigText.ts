import type { DetectedProject } from './detectProject.js';

export const SCHEMA_FILE = 'stowage.schema.json';

/** A scalar as YAML writes it safely: JSON strings are valid YAML flow scalars. */
const q = (value: string) => JSON.stringify(value);

/** The commented stowage.yaml `stowage init` writes (pure: from what was detected). */
export function initConfigText(p: DetectedProject): string {
  const python = p.pythonVersion
    ? [`  # The Python of the default parent image (python:<version>-slim), from ${p.pythonVersion.from}.`, `  python_version: ${q(p.pythonVersion.value)}`]
    : ['  # The Python of the default parent image (python:<version>-slim); default: the local python3\'s.', '  # python_version: "3.11"'];
  return [
    `# yaml-language-server: $schema=./${SCHEMA_FILE}`,
    '# Stowage project config (ZenML run-config compatible); every key is described in the schema above.',
    `# After adding plugins, regenerate the schema: stowage schema > ${SCHEMA_FILE}`,
    '# Next: `stowage doctor` checks this machine, `stowage plan` shows what would be built, `stowage build` builds.',
    '',
    'pipeline:',
    `  # Used in image tags (from ${p.name.from}).`,
    `  name: ${q(p.name.value)}`,
    ...python,
    '',
    'settings:',
    '  docker:',
    ...requirementLines(p),
    '    # apt_packages: [git]',
    '    # environment: { LOG_LEVEL: info }',
    '',
    '# Per-step settings are merged over the pipeline\'s, key by key:',
    '# steps:',
    '#   train:',
    '#     settings:',
    '#       docker: { apt_packages: [libgomp1] }',
    '',
    ...STACKS,
  ].join('\n');
}

const STACKS = [
  'stacks:',
  '  # Builds with the Docker engine on this machine; the images stay there.',
  '  default:',
  '    image_builder: { flavor: local }',
  '    artifact_store: { flavor: local }',
  '  # Builds here and pushes to a registry (`stowage --stack shared build`):',
  '  # shared:',
  '  #   image_builder: { flavor: local }',
  '  #   container_registry: { flavor: oci, uri: registry.example.com/team, username: bot, password: "${REGISTRY_PASSWORD}" }',
  '',
  'active_stack: default',
  '',
];

function requirementLines(p: DetectedProject): string[] {
  if (p.requirements) {
    const also = p.pyproject ? ['    # pyproject.toml was found too; to install its dependencies instead, use:', `    # pyproject_path: ${p.pyproject}`] : [];
    return ['    # Python packages installed into every image (found requirements.txt).', `    requirements: ${q(p.requirements)}`, ...also];
  }
  if (p.pyproject) return ['    # The dependencies of pyproject.toml, exported (uv, else poetry) and installed into every image.', `    pyproject_path: ${q(p.pyproject)}`];
  return ['    # Python packages installed into every image: a list, or a requirements file.', '    # requirements: [pandas==2.2.2]'];
}
