import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { dockerConfigPath, findDockerLogin, parseDockerConfig, readDockerConfig, registryOfServerKey, type DockerConfig } from './DockerConfigFile.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const config = (json: unknown): DockerConfig => parseDockerConfig(JSON.stringify(json), 'config.json');

describe('registryOfServerKey', () => {
  it.each([
    ['127.0.0.1:5001', '127.0.0.1:5001'],
    ['http://127.0.0.1:5001', '127.0.0.1:5001'],
    ['https://ghcr.io', 'ghcr.io'],
    ['GHCR.io/v2/', 'ghcr.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
  ])('%s → %s', (key, registry) => {
    expect(registryOfServerKey(key)).toBe(registry);
  });
});

describe('findDockerLogin', () => {
  it('decodes `auth` (base64 user:pass; the password may contain colons)', () => {
    const login = findDockerLogin(config({ auths: { '127.0.0.1:5001': { auth: b64('ciuser:ci:pass') } } }), '127.0.0.1:5001');
    expect(login).toEqual({ source: 'inline', credentials: { username: 'ciuser', password: 'ci:pass' } });
  });

  it('reads `username`/`password` entries', () => {
    const login = findDockerLogin(config({ auths: { 'ghcr.io': { username: 'bot', password: 'ghp_x' } } }), 'ghcr.io');
    expect(login).toEqual({ source: 'inline', credentials: { username: 'bot', password: 'ghp_x' } });
  });

  it('matches keys with a scheme or a path, and Docker Hub under its v1 URL', () => {
    expect(findDockerLogin(config({ auths: { 'https://ghcr.io': { auth: b64('a:b') } } }), 'ghcr.io')?.source).toBe('inline');
    expect(findDockerLogin(config({ auths: { 'http://127.0.0.1:5001/': { auth: b64('a:b') } } }), '127.0.0.1:5001')?.source).toBe('inline');
    expect(findDockerLogin(config({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:tok') } } }), 'docker.io')).toEqual({
      source: 'inline',
      credentials: { username: 'hub', password: 'tok' },
    });
  });

  it('does not hand one registry the login of another (ports differ)', () => {
    expect(findDockerLogin(config({ auths: { '127.0.0.1:5000': { auth: b64('a:b') } } }), '127.0.0.1:5001')).toBeUndefined();
  });

  it('skips entries without usable credentials (empty, or `auth` without a colon)', () => {
    const file = config({ auths: { 'ghcr.io': {}, 'https://ghcr.io': { auth: b64('nocolon') } } });
    expect(findDockerLogin(file, 'ghcr.io')).toBeUndefined();
  });

  it('uses a per-registry credential helper first, then inline, then credsStore with the exact server key', () => {
    const file = config({
      auths: { 'https://index.docker.io/v1/': {}, 'quay.io': { auth: b64('q:p') } },
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud' },
    });
    expect(findDockerLogin(file, 'gcr.io')).toEqual({ source: 'helper', helper: 'gcloud', serverUrl: 'gcr.io' });
    expect(findDockerLogin(file, 'quay.io')?.source).toBe('inline');
    expect(findDockerLogin(file, 'docker.io')).toEqual({ source: 'helper', helper: 'desktop', serverUrl: 'https://index.docker.io/v1/' });
    expect(findDockerLogin(file, 'ghcr.io')).toEqual({ source: 'helper', helper: 'desktop', serverUrl: 'ghcr.io' });
  });
});

describe('parseDockerConfig / readDockerConfig', () => {
  it('keeps keys it does not read (docker writes many)', () => {
    expect(() => config({ auths: {}, psFormat: 'table', proxies: {} })).not.toThrow();
  });

  const parseError = (text: string): StowageError => {
    try {
      parseDockerConfig(text, '/home/me/.docker/config.json');
    } catch (error) {
      if (StowageError.isInstance(error)) return error;
      throw error;
    }
    throw new Error('expected parseDockerConfig to throw');
  };

  it('reports a broken file with its path and position, as REGISTRY_FAILED, never quoting the file', () => {
    // A hand-edited file whose password lost its quotes: V8's own message would quote it.
    const content = '{\n  "auths": {\n    "127.0.0.1:5001": { "username": "ciuser", "password": hunter2-secret }\n  }\n}\n';
    const error = parseError(content);
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe('the Docker config file /home/me/.docker/config.json is not valid JSON (at line 3, column 59)');
    expect(error.line).toBe(3);
    expect(error.cause).toBeUndefined();
    for (const shown of [error.message, error.format(), ...error.details]) {
      expect(shown).not.toContain('hunter2');
      expect(shown).not.toContain('"auths"');
      expect(shown).not.toContain('ciuser');
    }
  });

  it('reports a file that ends early, still without its content', () => {
    const error = parseError('{"auths": {"ghcr.io": {"auth": "c2VjcmV0');
    expect(error.message).toBe('the Docker config file /home/me/.docker/config.json is not valid JSON (it ends early, at line 1, column 41)');
    expect(error.format()).not.toContain('c2VjcmV0');
  });

  it('treats a missing file as "no login"', async () => {
    expect(await readDockerConfig(join(tmpdir(), 'stowage-no-such-dir', 'config.json'))).toBeUndefined();
  });

  it('reads a real file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-dockercfg-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: b64('u:p') } } }));
    expect((await readDockerConfig(join(dir, 'config.json')))?.auths).toEqual({ 'ghcr.io': { auth: b64('u:p') } });
  });
});

describe('dockerConfigPath', () => {
  it.each([
    ['configured relative to the project', 'ci/docker.json', {}, '/proj/ci/docker.json'],
    ['configured absolute', '/etc/docker.json', {}, '/etc/docker.json'],
    ['configured under ~', '~/d/config.json', { HOME: '/home/me' }, '/home/me/d/config.json'],
    ['$DOCKER_CONFIG', undefined, { DOCKER_CONFIG: '/tmp/dc', HOME: '/home/me' }, '/tmp/dc/config.json'],
    ['~/.docker', undefined, { HOME: '/home/me' }, '/home/me/.docker/config.json'],
  ])('%s', (_case, configured, env, expected) => {
    expect(dockerConfigPath(configured, env, '/proj')).toBe(expected);
  });
});
