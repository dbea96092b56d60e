import { describe, expect, it } from 'vitest';
import { settings } from '../../test/settingsFixture.js';
import { generateDockerfile, type DockerfileSpec } from './DockerfileGenerator.js';

const base = (over: Partial<DockerfileSpec> & { s?: Parameters<typeof settings>[0] } = {}): DockerfileSpec => ({
  parentImage: 'python:3.11-slim',
  settings: settings(over.s ?? { python_package_installer: 'pip' }),
  aptPackages: [],
  requirementFiles: [],
  includeCode: false,
  ...over,
});

describe('generateDockerfile', () => {
  it('starts FROM the parent with WORKDIR /app and ends with a newline', () => {
    expect(generateDockerfile(base())).toBe('FROM python:3.11-slim\nWORKDIR /app\n');
  });

  it('orders: ENV (environment) → apt → installer → requirement files → code → local install → USER → runtime ENV', () => {
    const text = generateDockerfile(
      base({
        s: {
          python_package_installer: 'uv',
          environment: { PIP_INDEX_URL: 'http://idx/simple' },
          runtime_environment: { MODEL_DIR: '/models' },
          local_project_install_command: 'pip install . --no-deps',
          user: 'app',
        },
        aptPackages: ['git', 'curl', 'git'],
        requirementFiles: [{ name: '.stowage_local_requirements' }, { name: '.stowage_user_requirements' }],
        includeCode: true,
      }),
    );
    expect(text.split('\n')).toEqual([
      'FROM python:3.11-slim',
      'WORKDIR /app',
      'ENV PIP_INDEX_URL="http://idx/simple"',
      "RUN apt-get update && apt-get install -y --no-install-recommends 'git' 'curl' && rm -rf /var/lib/apt/lists/*",
      'RUN pip install --no-cache-dir uv',
      'COPY .stowage_local_requirements .',
      'RUN UV_INDEX_URL="$PIP_INDEX_URL" uv pip install --system --no-cache-dir -r .stowage_local_requirements',
      'COPY .stowage_user_requirements .',
      'RUN UV_INDEX_URL="$PIP_INDEX_URL" uv pip install --system --no-cache-dir -r .stowage_user_requirements',
      'COPY stowage_code/ ./',
      'RUN pip install . --no-deps',
      'RUN chown -R app /app',
      'USER app',
      'ENV MODEL_DIR="/models"',
      '',
    ]);
  });

  it.each([
    ['pip defaults', { python_package_installer: 'pip' as const }, 'RUN pip install --no-cache-dir --default-timeout=60 -r r'],
    ['pip args overlay (defaults keep position, new keys appended)', { python_package_installer: 'pip' as const, python_package_installer_args: { 'default-timeout': 1000, 'extra-index-url': 'https://x/simple' } }, 'RUN pip install --no-cache-dir --default-timeout=1000 --extra-index-url=https://x/simple -r r'],
    ['false removes a default', { python_package_installer: 'pip' as const, python_package_installer_args: { 'no-cache-dir': false } }, 'RUN pip install --default-timeout=60 -r r'],
    ['true/null render a flag', { python_package_installer: 'pip' as const, python_package_installer_args: { 'pre': true, 'no-deps': null } }, 'RUN pip install --no-cache-dir --default-timeout=60 --pre --no-deps -r r'],
    ['values are shell-quoted', { python_package_installer: 'pip' as const, python_package_installer_args: { 'trusted-host': 'a b' } }, "RUN pip install --no-cache-dir --default-timeout=60 '--trusted-host=a b' -r r"],
    ['uv default (with --system)', { python_package_installer: 'uv' as const }, 'RUN uv pip install --system --no-cache-dir -r r'],
    ['uv without --system', { python_package_installer: 'uv' as const, python_package_installer_args: { system: false } }, 'RUN uv pip install --no-cache-dir -r r'],
  ])('installer line: %s', (_name, s, line) => {
    const text = generateDockerfile(base({ s, requirementFiles: [{ name: 'r' }] }));
    expect(text).toContain(`${line}\n`);
  });

  it('bootstraps uv only when installing with uv and there is something to install', () => {
    expect(generateDockerfile(base({ s: { python_package_installer: 'uv' } }))).not.toContain('pip install --no-cache-dir uv');
    expect(generateDockerfile(base({ s: { python_package_installer: 'pip' }, requirementFiles: [{ name: 'r' }] }))).not.toContain(' uv');
  });

  it('copies code only when included, from its own folder of the context (so the generated Dockerfile never lands in /app), without a chmod layer', () => {
    expect(generateDockerfile(base())).not.toContain('COPY stowage_code');
    const withCode = generateDockerfile(base({ includeCode: true }));
    expect(withCode).toContain('COPY stowage_code/ ./\n');
    expect(withCode).not.toMatch(/^COPY \. \.$/m);
    expect(withCode).not.toContain('chmod');
  });

  it('the user owns /app and everything in it (ZenML: chown -R before USER; no COPY --chown, which wants a group of the same name)', () => {
    const text = generateDockerfile(base({ s: { python_package_installer: 'pip', user: 'nobody' }, requirementFiles: [{ name: 'r' }], includeCode: true }));
    expect(text.split('\n').slice(2)).toEqual(['COPY r .', 'RUN pip install --no-cache-dir --default-timeout=60 -r r', 'COPY stowage_code/ ./', 'RUN chown -R nobody /app', 'USER nobody', '']);
  });

  it('uv gets the pip index settings of the environment (uv ignores PIP_*), unless its own are set', () => {
    const reqs = [{ name: 'r' }];
    const env = { PIP_INDEX_URL: 'http://idx/simple', PIP_EXTRA_INDEX_URL: 'https://a/simple https://b/simple', PIP_TRUSTED_HOST: 'idx' };
    expect(generateDockerfile(base({ s: { python_package_installer: 'uv', environment: env }, requirementFiles: reqs }))).toContain(
      'RUN UV_INDEX_URL="$PIP_INDEX_URL" UV_EXTRA_INDEX_URL="$PIP_EXTRA_INDEX_URL" UV_INSECURE_HOST="$PIP_TRUSTED_HOST" uv pip install --system --no-cache-dir -r r\n',
    );
    const own = generateDockerfile(base({ s: { python_package_installer: 'uv', environment: { ...env, UV_EXTRA_INDEX_URL: 'https://c/simple' } }, requirementFiles: reqs }));
    expect(own).toContain('RUN UV_INDEX_URL="$PIP_INDEX_URL" UV_INSECURE_HOST="$PIP_TRUSTED_HOST" uv pip install');
    expect(generateDockerfile(base({ s: { python_package_installer: 'pip', environment: env }, requirementFiles: reqs }))).not.toContain('UV_');
  });

  it('escapes ENV values so they reach the image literally (no $ expansion, quotes kept)', () => {
    const text = generateDockerfile(base({ s: { environment: { A: 'x "y" $HOME \\z', B: 1, C: true } } }));
    expect(text).toContain('ENV A="x \\"y\\" \\$HOME \\\\z"\n');
    expect(text).toContain('ENV B="1"\nENV C="true"\n');
  });

  it('keeps environment variable names as written (ZenML upper-cased them, breaking http_proxy)', () => {
    expect(generateDockerfile(base({ s: { environment: { http_proxy: 'http://p:3128' } } }))).toContain('ENV http_proxy="http://p:3128"');
  });

  it('marks images that download their code', () => {
    expect(generateDockerfile(base({ codeDownload: 'artifact-store' }))).toContain('ENV STOWAGE_CODE_SOURCE="artifact-store"');
  });
});

describe('generateDockerfile: a value that cannot be written safely is rejected where it was set (originOf)', () => {
  const STEP = 'steps.train.settings.docker';
  const originOf = (field: string) => ({ file: 'stowage.yaml', line: 7, keyPath: `${STEP}.${field}`, level: 'step train' });

  it.each<[string, Partial<DockerfileSpec> & { s?: Parameters<typeof settings>[0] }, string]>([
    ['parent image', { parentImage: 'bad image!' }, `${STEP}.parent_image`],
    ['environment name', { s: { environment: { 'A B': '1' } } }, `${STEP}.environment.A B`],
    ['environment value with a line break', { s: { environment: { A: 'x\nRUN evil' } } }, `${STEP}.environment.A`],
    ['runtime_environment value with a line break', { s: { runtime_environment: { A: 'x\nRUN evil' } } }, `${STEP}.runtime_environment.A`],
    ['apt package (by index)', { aptPackages: ['git', 'Bad Pkg'] }, `${STEP}.apt_packages[1]`],
    ['installer argument name', { s: { python_package_installer_args: { '--x y': null } }, requirementFiles: [{ name: 'r' }] }, `${STEP}.python_package_installer_args.--x y`],
    ['installer argument value with a line break', { s: { python_package_installer_args: { index: 'a\nb' } }, requirementFiles: [{ name: 'r' }] }, `${STEP}.python_package_installer_args.index`],
    ['user', { s: { user: 'a b' } }, `${STEP}.user`],
    ['local_project_install_command with a heredoc', { s: { local_project_install_command: 'cat <<EOF' } }, `${STEP}.local_project_install_command`],
  ])('%s', (_name, over, keyPath) => {
    const spec = base(over);
    expect(() => generateDockerfile({ ...spec, originOf })).toThrow(expect.objectContaining({ code: 'DOCKERFILE_VALUE_UNSAFE', keyPath, file: 'stowage.yaml', line: 7 }));
    // Without originOf, the pipeline-level key path.
    expect(() => generateDockerfile(spec)).toThrow(expect.objectContaining({ keyPath: keyPath.replace(STEP, 'settings.docker') }));
  });
});
