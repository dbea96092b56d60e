import { describe, expect, it } from 'vitest';
import { isOnHost, parseGitRemote } from './gitRemote.js';

describe('parseGitRemote', () => {
  it.each([
    ['https://github.com/acme/demo.git', { transport: 'https', hostname: 'github.com', port: '', path: 'acme/demo' }],
    ['https://GitHub.com/acme/demo', { transport: 'https', hostname: 'github.com', port: '', path: 'acme/demo' }],
    ['https://user:tok@github.com/acme/demo.git/', { transport: 'https', hostname: 'github.com', port: '', path: 'acme/demo' }],
    ['http://ghe.local:8080/acme/demo.git', { transport: 'http', hostname: 'ghe.local', port: '8080', path: 'acme/demo' }],
    ['git@github.com:acme/demo.git', { transport: 'ssh', hostname: 'github.com', port: '', path: 'acme/demo' }],
    ['github.com:acme/demo', { transport: 'ssh', hostname: 'github.com', port: '', path: 'acme/demo' }],
    ['ssh://git@github.com/acme/demo', { transport: 'ssh', hostname: 'github.com', port: '', path: 'acme/demo' }],
    ['ssh://git@ghe.acme.com:2222/acme/demo.git', { transport: 'ssh', hostname: 'ghe.acme.com', port: '2222', path: 'acme/demo' }],
    ['git+ssh://git@github.com/acme/demo.git', { transport: 'ssh', hostname: 'github.com', port: '', path: 'acme/demo' }],
    ['git://github.com/acme/demo.git', { transport: 'git', hostname: 'github.com', port: '', path: 'acme/demo' }],
  ])('%s', (url, remote) => {
    expect(parseGitRemote(url)).toEqual(remote);
  });

  it.each(['/srv/git/demo.git', './demo', 'file:///srv/git/demo.git', 'C:\\repos\\demo', 'c:/repos/demo', ''])('%s is not a forge remote', (url) => {
    expect(parseGitRemote(url)).toBeUndefined();
  });
});

describe('isOnHost', () => {
  const on = (url: string, host: string) => isOnHost(parseGitRemote(url)!, host);
  it('matches an https remote on name and port, an ssh remote on name only', () => {
    expect(on('https://ghe.acme.com:8443/a/b', 'ghe.acme.com:8443')).toBe(true);
    expect(on('https://ghe.acme.com/a/b', 'ghe.acme.com:8443')).toBe(false);
    expect(on('https://ghe.acme.com:8443/a/b', 'ghe.acme.com')).toBe(false);
    expect(on('ssh://git@ghe.acme.com:2222/a/b', 'ghe.acme.com:8443')).toBe(true);
    expect(on('git@GHE.acme.com:a/b', 'ghe.acme.com')).toBe(true);
    expect(on('https://github.com.evil.example/a/b', 'github.com')).toBe(false);
  });
});
