import { describe, expect, it } from 'vitest';
import { looksLikeCredential } from '@stowage/plugin-api';
import { substituteEnv } from './substituteEnv.js';

describe('${VAR} substitution (ZenML §8)', () => {
  const env = { HOST: 'idx.example.com', PYPI_TOKEN: 's3cr3t-token', EMPTY: '', KEYNAME: 'K' };

  it('substitutes in values and keys, recursively, only the braced form', () => {
    const r = substituteEnv({ environment: { '${KEYNAME}_X': 'https://${HOST}/simple', PLAIN: '$HOST {HOST} ${HOST-x}' }, list: ['${HOST}'] }, env);
    expect(r.issues).toEqual([]);
    expect(r.value).toEqual({ environment: { K_X: 'https://idx.example.com/simple', PLAIN: '$HOST {HOST} ${HOST-x}' }, list: ['idx.example.com'] });
  });

  it('records values of credential-looking variables as secrets', () => {
    const r = substituteEnv({ a: 'https://u:${PYPI_TOKEN}@${HOST}' }, env);
    expect(r.secrets).toEqual(['s3cr3t-token']);
  });

  it('a missing variable is an issue naming the variable and the key path', () => {
    const r = substituteEnv({ settings: { docker: { environment: { A: '${NOPE}' } } } }, env);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.path).toEqual(['settings', 'docker', 'environment', 'A']);
    expect(r.issues[0]!.message).toBe('environment variable "NOPE" is not set (used as ${NOPE})');
  });

  it('an empty variable substitutes the empty string', () => {
    expect(substituteEnv({ a: 'x${EMPTY}y' }, env).value).toEqual({ a: 'xy' });
  });
});

describe('credential detection by key', () => {
  it('a value substituted under a credential-looking key is a secret whatever the variable is called', () => {
    const r = substituteEnv({ environment: { HF_TOKEN: '${HUGGINGFACE}' }, build_options: { buildargs: { NPM_AUTH: 'x-${HUGGINGFACE}' } } }, { HUGGINGFACE: 'hf_abcdef' });
    expect(r.secrets).toEqual(['hf_abcdef']);
  });
});

describe('credential names', () => {
  it.each([
    ['GITHUB_PAT', true],
    ['GH-PAT', true],
    ['DB_PWD', true],
    ['MYSQL_PWD_FILE', true],
    ['X-Amz-Signature', true],
    ['sig', true],
    ['AccountKey', true],
    ['access_token', true],
    ['PATH', false],
    ['PWD', false],
    ['PATTERN', false],
    ['SIGMA', false],
    ['MODEL_DIR', false],
  ])('%s → %s', (name, expected) => {
    expect(looksLikeCredential(name)).toBe(expected);
  });

  // A literal under a credential-named key used to be printed in plans and records as written.
  it('a literal value under a credential-named key is a secret too (long enough not to redact ordinary words)', () => {
    const r = substituteEnv({ environment: { DB_PASSWORD: 'hunter2-hunter2', AUTH_MODE: 'none', MODEL_DIR: '/models/long-path' }, stack: { token: '${T}' } }, { T: 'tok-123456' });
    expect(r.literalSecrets).toEqual(['hunter2-hunter2']);
    expect(r.secrets).toEqual(['tok-123456']);
  });

  it('a key that names where a credential is (a variable, a file) holds no secret', () => {
    const r = substituteEnv({ code_repositories: [{ token_env: 'GITHUB_TOKEN' }], environment: { DB_PASSWORD_FILE: '/run/secrets/db-password' } }, {});
    expect(r.literalSecrets).toEqual([]);
  });
});
