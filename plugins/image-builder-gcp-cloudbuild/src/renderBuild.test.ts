import { describe, expect, it } from 'vitest';
import { parseImageReference } from '@stowage/plugin-api';
import { dockerBuildArgs } from './dockerBuildArgs.js';
import { literal, registryLoginStep, renderBuild } from './renderBuild.js';

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

  it('logs in first with the credentials in step env only, read by the shell ($$ for Cloud Build), never splitting host:port', () => {
    const login = registryLoginStep('gcr.io/cloud-builders/docker', parseImageReference(IMAGE), { type: 'basic', username: 'ci', password: 'pa$$word' });
    expect(login).toEqual({
      name: 'gcr.io/cloud-builders/docker',
      id: 'login',
      entrypoint: 'sh',
      args: ['-c', `printf '%s' "$$STOWAGE_REGISTRY_PASSWORD" | docker login --username "$$STOWAGE_REGISTRY_USERNAME" --password-stdin 127.0.0.1:5001`],
      env: ['STOWAGE_REGISTRY_USERNAME=ci', 'STOWAGE_REGISTRY_PASSWORD=pa$$$$word'],
    });
    expect(renderBuild({ ...input, login }).steps.map((s) => s.id)).toEqual(['login', 'build', 'push']);
    expect(registryLoginStep('b', parseImageReference('docker.io/acme/app:v1'), { type: 'basic', username: 'u', password: 'p' }).args[1]).toMatch(/--password-stdin$/);
  });
});
