import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gcpCredentialFields, gcpCredentialIssues, gcpCredentialSource, projectOf } from './index.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyJson = JSON.stringify({ type: 'service_account', project_id: 'key-project', private_key_id: 'k1', private_key: privateKey, client_email: 'builder@key-project.iam.gserviceaccount.com' });

describe('gcpCredentialFields', () => {
  const schema = z.object(gcpCredentialFields).strict();

  it('accepts project ids, including domain-scoped ones, and refuses what GCP refuses', () => {
    expect(schema.safeParse({ project: 'my-project-123' }).success).toBe(true);
    expect(schema.safeParse({ project: 'example.com:my-project' }).success).toBe(true);
    for (const bad of ['My-Project', 'abc', '1project', 'project-', 'a'.repeat(31)]) {
      expect(schema.safeParse({ project: bad }).success, bad).toBe(false);
    }
  });
});

describe('gcpCredentialIssues', () => {
  it('is empty for ADC, a token, or a valid key', () => {
    expect(gcpCredentialIssues({})).toEqual([]);
    expect(gcpCredentialIssues({ access_token: 'ya29.token' })).toEqual([]);
    expect(gcpCredentialIssues({ service_account_key: keyJson })).toEqual([]);
  });

  it('refuses both a key and a token, pointing at access_token', () => {
    expect(gcpCredentialIssues({ access_token: 't', service_account_key: keyJson })).toEqual([
      { path: ['access_token'], message: expect.stringContaining('both set') },
    ]);
  });

  it.each([
    ['not JSON', 'not-json-secret-value', 'is not JSON'],
    ['an array', '["secret-value"]', 'is not a JSON object'],
    ['a user credential', JSON.stringify({ type: 'authorized_user', refresh_token: 'secret-value' }), 'not "service_account"'],
    ['no email', JSON.stringify({ type: 'service_account', private_key: 'secret-value' }), 'no `client_email`'],
    ['no private key', JSON.stringify({ type: 'service_account', client_email: 'a@b.c', private_key: 'secret-value' }), 'no PEM `private_key`'],
  ])('names the problem of a key that is %s, never its content', (_name, text, problem) => {
    const [issue] = gcpCredentialIssues({ service_account_key: text });
    expect(issue?.path).toEqual(['service_account_key']);
    expect(issue?.message).toContain(problem);
    expect(issue?.message).not.toContain('secret-value');
  });
});

describe('gcpCredentialSource and projectOf', () => {
  it('prefers the access token, then the key, then ADC', () => {
    expect(gcpCredentialSource({ access_token: 'ya29.t' })).toEqual({ kind: 'access-token', token: 'ya29.t' });
    expect(gcpCredentialSource({ service_account_key: keyJson })).toEqual({
      kind: 'service-account',
      key: { client_email: 'builder@key-project.iam.gserviceaccount.com', private_key: privateKey, private_key_id: 'k1', project_id: 'key-project' },
    });
    expect(gcpCredentialSource({})).toEqual({ kind: 'adc' });
  });

  it('takes the project from config, else from the key, else leaves it to ADC', () => {
    expect(projectOf({ project: 'configured', service_account_key: keyJson })).toBe('configured');
    expect(projectOf({ service_account_key: keyJson })).toBe('key-project');
    expect(projectOf({ access_token: 't' })).toBeUndefined();
  });

  it('refuses a bad key even when the schema check was skipped, without echoing it', () => {
    expect(() => gcpCredentialSource({ service_account_key: 'secret-value' })).toThrow(/is not JSON/);
    expect(() => gcpCredentialSource({ service_account_key: 'secret-value' })).not.toThrow(/secret-value/);
  });
});
