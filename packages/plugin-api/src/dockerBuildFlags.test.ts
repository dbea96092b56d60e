import { describe, expect, it } from 'vitest';
import { dockerBuildFlags } from './index.js';

describe('dockerBuildFlags', () => {
  it('gives every option its docker build flag, in a fixed order, pairs sorted by key', () => {
    expect(
      dockerBuildFlags({
        shmSize: 1024,
        cacheFrom: ['repo:cache'],
        extraHosts: ['db:10.0.0.2'],
        network: 'host',
        noCache: true,
        pull: true,
        platform: 'linux/arm64',
        target: 'runtime',
        labels: { b: '2', a: '1' },
        buildArgs: { Z: 'z', A: 'a b' },
      }),
    ).toEqual([
      '--build-arg', 'A=a b', '--build-arg', 'Z=z', '--label', 'a=1', '--label', 'b=2', '--target', 'runtime', '--platform', 'linux/arm64',
      '--pull', '--no-cache', '--network', 'host', '--add-host', 'db:10.0.0.2', '--cache-from', 'repo:cache', '--shm-size', '1024b',
    ]);
  });

  it('leaves out what is not set and what the caller sets itself', () => {
    expect(dockerBuildFlags({})).toEqual([]);
    expect(dockerBuildFlags({ network: 'host', target: 't' }, ['network'])).toEqual(['--target', 't']);
  });
});
