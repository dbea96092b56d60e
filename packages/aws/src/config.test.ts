import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSecretSchema } from '@stowage/plugin-api';
import { awsCredentialFields, credentialIssues } from './config.js';

describe('credentialIssues', () => {
  it.each([
    [{}, []],
    [{ access_key_id: 'AKIA', secret_access_key: 's' }, []],
    [{ access_key_id: 'AKIA', secret_access_key: 's', session_token: 't' }, []],
    [{ access_key_id: 'AKIA' }, ['secret_access_key']],
    [{ secret_access_key: 's' }, ['access_key_id']],
    [{ session_token: 't' }, ['session_token']],
  ])('%o → issues at %o', (config, paths) => {
    expect(credentialIssues(config).map((issue) => issue.path.join('.'))).toEqual(paths);
  });

  it('says what to do next', () => {
    expect(credentialIssues({ access_key_id: 'AKIA' })[0]?.message).toBe('`access_key_id` is set but `secret_access_key` is not: set both, or neither to use the standard AWS credential chain');
  });
});

describe('awsCredentialFields', () => {
  const schema = z.object(awsCredentialFields).strict();

  it('marks the secret key and session token as secrets, not the key id', () => {
    expect(isSecretSchema(awsCredentialFields.access_key_id)).toBe(false);
    expect(isSecretSchema(awsCredentialFields.secret_access_key)).toBe(true);
    expect(isSecretSchema(awsCredentialFields.session_token)).toBe(true);
  });

  it('leaves every key optional and refuses an empty key id', () => {
    expect(schema.parse({})).toEqual({});
    expect(schema.safeParse({ access_key_id: '' }).success).toBe(false);
  });
});
