import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dockerBuildCommand, shellWord } from './dockerBuildCommand.js';
import { basicCredentials, ecrRegion, implicitEcrLogin, NO_LOGIN, parameterStoreLogin } from './registryLogin.js';
import { renderBuildspec } from './renderBuildspec.js';
import { parseImageReference } from '@stowage/plugin-api';

describe('dockerBuildCommand', () => {
  it.each([
    ['no options', {}, 'docker build --tag 127.0.0.1:5000/acme/app:v1 .'],
    ['build args and labels, sorted, quoted', { buildArgs: { B: 'two words', A: "it's" }, labels: { l: '1' } }, `docker build --build-arg 'A=it'\\''s' --build-arg 'B=two words' --label l=1 --tag 127.0.0.1:5000/acme/app:v1 .`],
    ['target, platform, pull, no-cache', { target: 'prod', platform: 'linux/amd64', pull: true, noCache: true }, 'docker build --target prod --platform linux/amd64 --pull --no-cache --tag 127.0.0.1:5000/acme/app:v1 .'],
    ['network, hosts, cache, shm', { network: 'host', extraHosts: ['db:10.0.0.1'], cacheFrom: ['r/c:1'], shmSize: 1024 }, 'docker build --network host --add-host db:10.0.0.1 --cache-from r/c:1 --shm-size 1024b --tag 127.0.0.1:5000/acme/app:v1 .'],
  ])('%s: every option before the context path', (_name, options, expected) => {
    expect(dockerBuildCommand('127.0.0.1:5000/acme/app:v1', options)).toBe(expected);
  });

  it('quotes what the shell would read otherwise', () => {
    expect(shellWord('$(rm -rf /)')).toBe("'$(rm -rf /)'");
  });
});

describe('renderBuildspec', () => {
  const ref = parseImageReference('127.0.0.1:5001/acme/app:v1');

  it('logs in with credentials from variables only, builds and pushes in the BUILD phase, never splitting host:port', () => {
    const login = parameterStoreLogin(ref, 'ci', '/stowage/codebuild/t1/registry-password');
    const text = renderBuildspec({ imageName: '127.0.0.1:5001/acme/app:v1', options: {}, push: true, loginCommands: login.commands });
    expect(parse(text)).toEqual({
      version: 0.2,
      phases: {
        pre_build: { commands: ['echo Logging in to container registry 127.0.0.1:5001', `printf '%s' "$STOWAGE_REGISTRY_PASSWORD" | docker login --username "$STOWAGE_REGISTRY_USERNAME" --password-stdin 127.0.0.1:5001`] },
        build: { commands: ['docker build --tag 127.0.0.1:5001/acme/app:v1 .', 'docker push 127.0.0.1:5001/acme/app:v1'] },
      },
    });
  });

  it('has no login for an anonymous registry and no push when not asked', () => {
    expect(basicCredentials(parseImageReference('localhost:5000/app:v1'), { type: 'anonymous' })).toBeUndefined();
    const text = renderBuildspec({ imageName: 'localhost:5000/app:v1', options: {}, push: false, loginCommands: NO_LOGIN.commands });
    expect(parse(text)).toEqual({ version: 0.2, phases: { build: { commands: ['docker build --tag localhost:5000/app:v1 .'] } } });
  });

  it("logs in to ECR with the project's role, in the registry's region", () => {
    const ecr = parseImageReference('123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1');
    expect(ecrRegion(ecr.registry)).toBe('eu-west-1');
    expect(ecrRegion('127.0.0.1:5000')).toBeUndefined();
    expect(implicitEcrLogin(ecr, 'eu-west-1').commands[1]).toBe('aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com');
  });
});
