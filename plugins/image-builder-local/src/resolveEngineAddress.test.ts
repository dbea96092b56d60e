import { describe, expect, it } from 'vitest';
import { resolveEngineAddress } from './resolveEngineAddress.js';

describe('resolveEngineAddress', () => {
  it('prefers docker_host over DOCKER_HOST over the default socket', () => {
    expect(resolveEngineAddress('unix:///run/a.sock', { DOCKER_HOST: 'unix:///run/b.sock' })).toEqual({
      address: 'unix:///run/a.sock',
      source: 'config',
      options: { socketPath: '/run/a.sock' },
    });
    expect(resolveEngineAddress(undefined, { DOCKER_HOST: 'unix:///run/b.sock' }).options).toEqual({ socketPath: '/run/b.sock' });
    expect(resolveEngineAddress(undefined, {})).toEqual({
      address: 'unix:///var/run/docker.sock',
      source: 'default',
      options: { socketPath: '/var/run/docker.sock' },
    });
  });

  it.each([
    ['tcp://10.0.0.5:2375', { protocol: 'http', host: '10.0.0.5', port: '2375' }],
    ['tcp://10.0.0.5', { protocol: 'http', host: '10.0.0.5', port: '2375' }],
    // The docker CLI treats 2376 as the TLS port.
    ['tcp://10.0.0.5:2376', { protocol: 'https', host: '10.0.0.5', port: '2376' }],
    ['https://docker.example:9999', { protocol: 'https', host: 'docker.example', port: '9999' }],
    ['ssh://ci@build-host', { protocol: 'ssh', host: 'build-host', port: '22', username: 'ci' }],
    ['unix://', { socketPath: '/var/run/docker.sock' }],
    ['npipe:////./pipe/docker_engine', { socketPath: '//./pipe/docker_engine' }],
  ])('%s', (address, options) => {
    expect(resolveEngineAddress(address, {}).options).toEqual(options);
  });

  it('rejects a DOCKER_HOST it cannot dial, naming the variable', () => {
    expect(() => resolveEngineAddress(undefined, { DOCKER_HOST: 'localhost:2375' })).toThrowError(
      expect.objectContaining({ code: 'COMPONENT_CONFIG_INVALID', message: 'DOCKER_HOST "localhost:2375" is not a Docker engine address' }),
    );
  });
});
