import { describe, expect, it } from 'vitest';
import { parseImageReference } from '@stowage/plugin-api';
import { literal } from './CloudBuildRequest.js';
import { dockerBuildArgs } from './dockerBuildArgs.js';
import { basicCredentials, secretManagerLogin, temporarySecretLogin } from './registryLogin.js';
import { renderBuild } from './renderBuild.js';
import { secretVersionName } from './secretVersionName.js';

const IMAGE = '127.0.0.1:5001/acme/app:v1';
const input = { imageName: IMAGE, options: {}, push: true, source: { bucket: 'b', object: 'stowage/cloud-build-contexts/abc.tar.gz' }, builderImage: 'gcr.io/cloud-builders/docker', network: 'cloudbuild', timeoutSeconds: 3600 };

describe('dockerBuildArgs', () => {
  it.each([
    ['no options', {}, ['build', '--network=cloudbuild', '-t', IMAGE, '.']],
    ['build args and labels, sorted', { buildArgs: { B: 'two words', A: "it's" }, labels: { l: '1' } }, ['build', '--network=cloudbuild', '-t', IMAGE, '--build-arg', "A=it's", '--build-arg', 'B=two words', '--label', 'l=1', '.']],
    ['target, platform, pull, no-cache', { target: 'prod', platform: 'linux/amd64', pull: true, noCache: true }, ['build', '--network=cloudbuild', '-t', IMAGE, '--target', 'prod', '--platform', 'linux/amd64', '--pull', '--no-cache', '.']],
    ['a network option wins, hosts, cache, shm', { network: 'host', extraHosts: ['db:10.0.0.1'], cacheFrom: ['r/c:1'], shmSize: 1024 }, ['build', '--network=host', '-t', IMAGE, '--add-host', 'db:10.0.0.1', '--cache-from', 'r/c:1', '--shm-size', '1024b', '.']],
  ])('%s: every option before the context path', (_name, options, expected) => {
    expect(dockerBuildArgs(IMAGE, 'cloudbuild', options)).toEqual(expected);
  });
});

describe('renderBuild', () => {
  it("is ZenML's build: the storage source, build and push steps on the builder image, images and timeout", () => {
    expect(renderBuild({ ...input, logsBucket: 'gs://logs' })).toEqual({
      source: { storageSource: { bucket: 'b', object: 'stowage/cloud-build-contexts/abc.tar.gz' } },
      steps: [
        { name: 'gcr.io/cloud-builders/docker', id: 'build', args: ['build', '--network=cloudbuild', '-t', IMAGE, '.'] },
        { name: 'gcr.io/cloud-builders/docker', id: 'push', args: ['push', IMAGE] },
      ],
      images: [IMAGE],
      timeout: { seconds: 3600 },
      logsBucket: 'gs://logs',
    });
  });

  it('writes every $ as $$, so Cloud Build substitutes nothing of the build settings', () => {
    const build = renderBuild({ ...input, options: { buildArgs: { PRICE: '$5 ${HOME} $$' } } });
    expect(build.steps[0]!.args).toContain('PRICE=$$5 $${HOME} $$$$');
    expect(literal('a$b')).toBe('a$$b');
  });

  it('has no push step and no images when not asked to push', () => {
    const build = renderBuild({ ...input, push: false });
    expect(build.steps.map((s) => s.id)).toEqual(['build']);
    expect(build.images).toEqual([]);
  });

  it('has no availableSecrets without a login', () => {
    expect(renderBuild(input)).not.toHaveProperty('availableSecrets');
  });
});

describe('registry login: no secret value in the build request', () => {
  const ref = parseImageReference(IMAGE);
  const script = `printf '%s' "$$STOWAGE_REGISTRY_PASSWORD" | docker login --username "$$STOWAGE_REGISTRY_USERNAME" --password-stdin 127.0.0.1:5001`;

  it('with the user\'s Secret Manager secrets, logs in first with both read by Cloud Build (availableSecrets + secretEnv), read by the shell ($$ for Cloud Build), never splitting host:port', () => {
    const login = secretManagerLogin('gcr.io/cloud-builders/docker', ref, 'projects/acme/secrets/ci-user/versions/latest', 'projects/acme/secrets/ci-pass/versions/3');
    const build = renderBuild({ ...input, login });
    expect(build.steps[0]).toEqual({ name: 'gcr.io/cloud-builders/docker', id: 'login', entrypoint: 'sh', args: ['-c', script], secretEnv: ['STOWAGE_REGISTRY_USERNAME', 'STOWAGE_REGISTRY_PASSWORD'] });
    expect(build.steps.map((s) => s.id)).toEqual(['login', 'build', 'push']);
    expect(build.availableSecrets).toEqual({
      secretManager: [
        { versionName: 'projects/acme/secrets/ci-user/versions/latest', env: 'STOWAGE_REGISTRY_USERNAME' },
        { versionName: 'projects/acme/secrets/ci-pass/versions/3', env: 'STOWAGE_REGISTRY_PASSWORD' },
      ],
    });
  });

  it('with a temporary secret, the user is step env ($ as $$) and the password a secretEnv; Docker Hub is the default server', () => {
    const login = temporarySecretLogin('gcr.io/cloud-builders/docker', ref, 'ci$bot', 'projects/123456789012/secrets/stowage-cloudbuild-x/versions/1');
    expect(login.step).toMatchObject({ id: 'login', args: ['-c', script], env: ['STOWAGE_REGISTRY_USERNAME=ci$$bot'], secretEnv: ['STOWAGE_REGISTRY_PASSWORD'] });
    expect(login.secrets).toEqual([{ versionName: 'projects/123456789012/secrets/stowage-cloudbuild-x/versions/1', env: 'STOWAGE_REGISTRY_PASSWORD' }]);
    expect(temporarySecretLogin('b', parseImageReference('docker.io/acme/app:v1'), 'u', 'projects/p/secrets/s/versions/1').step.args[1]).toMatch(/--password-stdin$/);
  });

  it('takes basic credentials, none for an anonymous or ambient registry, and refuses a bearer token docker login cannot use', () => {
    expect(basicCredentials(ref, { type: 'basic', username: 'u', password: 'p' })).toEqual({ username: 'u', password: 'p' });
    expect(basicCredentials(ref, { type: 'anonymous' })).toBeUndefined();
    expect(() => basicCredentials(ref, { type: 'bearer', token: 't' })).toThrow(/bearer token/);
  });

  it.each([
    ['ci-pass', 'projects/acme-ml/secrets/ci-pass/versions/latest'],
    ['ci-pass/versions/4', 'projects/acme-ml/secrets/ci-pass/versions/4'],
    ['projects/shared-ci/secrets/ci-pass', 'projects/shared-ci/secrets/ci-pass/versions/latest'],
    ['projects/123456789012/secrets/ci-pass/versions/latest', 'projects/123456789012/secrets/ci-pass/versions/latest'],
  ])('names the secret %s as version %s of the build project (acme-ml) unless it names its own', (reference, expected) => {
    expect(secretVersionName(reference, 'acme-ml', 'registry_password_secret')).toBe(expected);
  });
});
