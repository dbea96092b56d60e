import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEM_ENV_OPTIONS, resolveEngineAddress } from './resolveEngineAddress.js';

// docker-modem's defaults from process.env (see modem.js defaultOpts): each must be decided here.
const MODEM_ENV_KEYS = ['socketPath', 'host', 'port', 'protocol', 'username', 'pathPrefix', 'ca', 'cert', 'key', 'sshOptions', 'timeout'];

const certDirs: string[] = [];
afterAll(() => certDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder with the given PEM files (their content is all the resolver reads). */
function certDir(files: Record<string, string>, sub = ''): string {
  const root = mkdtempSync(join(tmpdir(), 'stowage-certs-'));
  certDirs.push(root);
  mkdirSync(join(root, sub), { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, sub, name), content);
  return root;
}
const PEMS = { 'ca.pem': 'CA-PEM', 'cert.pem': 'CERT-PEM', 'key.pem': 'KEY-PEM' };

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
    ['tcp://10.0.0.5:2375', { protocol: 'http', host: '10.0.0.5', port: '2375', pathPrefix: '/' }],
    ['tcp://10.0.0.5', { protocol: 'http', host: '10.0.0.5', port: '2375', pathPrefix: '/' }],
    // The docker CLI treats 2376 as the TLS port.
    ['tcp://10.0.0.5:2376', { protocol: 'https', host: '10.0.0.5', port: '2376', pathPrefix: '/' }],
    ['https://docker.example:9999', { protocol: 'https', host: 'docker.example', port: '9999', pathPrefix: '/' }],
    ['ssh://ci@build-host', { protocol: 'ssh', host: 'build-host', port: '22', username: 'ci', pathPrefix: '/', sshOptions: { agent: undefined } }],
    ['unix://', { socketPath: '/var/run/docker.sock' }],
    ['npipe:////./pipe/docker_engine', { socketPath: '//./pipe/docker_engine' }],
  ])('%s', (address, options) => {
    expect(resolveEngineAddress(address, {}).options).toEqual(options);
  });

  it.each(['unix:///run/a.sock', 'tcp://10.0.0.5:2375', 'tcp://10.0.0.5:2376', 'ssh://ci@build-host', undefined])(
    'spells out every option docker-modem would take from process.env (%s)',
    (address) => {
      expect([...MODEM_ENV_KEYS].sort()).toEqual(Object.keys(MODEM_ENV_OPTIONS).sort());
      const { options } = resolveEngineAddress(address, {});
      expect(Object.keys(options)).toEqual(expect.arrayContaining(MODEM_ENV_KEYS));
      // A socket address must leave host unset: docker-modem uses socketPath only without a host.
      if (options.socketPath) expect([options.host, options.port, options.protocol]).toEqual([undefined, undefined, undefined]);
    },
  );

  it('reads ca.pem, cert.pem and key.pem from the stack\'s DOCKER_CERT_PATH for a TLS engine', () => {
    const dir = certDir(PEMS);
    for (const address of ['tcp://10.0.0.5:2376', 'https://docker.example:9999']) {
      const { options } = resolveEngineAddress(address, { DOCKER_CERT_PATH: dir });
      expect(options.protocol).toBe('https');
      expect([options.ca, options.cert?.toString(), options.key?.toString()]).toEqual(['CA-PEM', 'CERT-PEM', 'KEY-PEM']);
    }
    // Plain HTTP engines get no TLS material.
    expect(resolveEngineAddress('tcp://10.0.0.5:2375', { DOCKER_CERT_PATH: dir }).options).toMatchObject({ protocol: 'http', ca: undefined, cert: undefined });
  });

  it('uses TLS on any tcp:// port with DOCKER_TLS_VERIFY, with ~/.docker as the default cert folder', () => {
    const home = certDir(PEMS, '.docker');
    const { options } = resolveEngineAddress('tcp://10.0.0.5:2375', { DOCKER_TLS_VERIFY: '1', HOME: home });
    expect(options).toMatchObject({ protocol: 'https', host: '10.0.0.5', port: '2375', ca: 'CA-PEM' });
    expect(options.cert?.toString()).toBe('CERT-PEM');
  });

  it('verifies against the system CAs when the cert folder has only a client certificate', () => {
    const dir = certDir({ 'cert.pem': 'CERT-PEM', 'key.pem': 'KEY-PEM' });
    const { options } = resolveEngineAddress('tcp://10.0.0.5:2376', { DOCKER_CERT_PATH: dir });
    expect(options.ca).toBeUndefined();
    expect(options.key?.toString()).toBe('KEY-PEM');
  });

  it('rejects a cert folder with a certificate but no key, or with none of the files', () => {
    const halfDir = certDir({ 'ca.pem': 'CA-PEM', 'cert.pem': 'CERT-PEM' });
    expect(() => resolveEngineAddress('tcp://10.0.0.5:2376', { DOCKER_CERT_PATH: halfDir })).toThrowError(
      expect.objectContaining({ code: 'COMPONENT_CONFIG_INVALID', message: `${halfDir} holds cert.pem but no key.pem` }),
    );
    const emptyDir = certDir({});
    expect(() => resolveEngineAddress(undefined, { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CERT_PATH: emptyDir })).toThrowError(
      expect.objectContaining({ message: `DOCKER_CERT_PATH ${emptyDir} holds none of ca.pem, cert.pem, key.pem` }),
    );
  });

  it('logs in over ssh with the stack\'s SSH agent', () => {
    const { options } = resolveEngineAddress('ssh://ci@build-host:2222', { SSH_AUTH_SOCK: '/run/agent.sock' });
    expect(options).toMatchObject({ protocol: 'ssh', host: 'build-host', port: '2222', username: 'ci', sshOptions: { agent: '/run/agent.sock' } });
  });

  it('rejects a DOCKER_HOST it cannot dial, naming the variable', () => {
    expect(() => resolveEngineAddress(undefined, { DOCKER_HOST: 'localhost:2375' })).toThrowError(
      expect.objectContaining({ code: 'COMPONENT_CONFIG_INVALID', message: 'DOCKER_HOST "localhost:2375" is not a Docker engine address' }),
    );
  });
});
