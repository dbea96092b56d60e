import { describe, expect, it } from 'vitest';
import { awsCredentials, DEFAULT_REGION, regionFromChain } from './index.js';

describe('awsCredentials', () => {
  it('uses the config keys when given', () => {
    const secrets: string[] = [];
    expect(awsCredentials({ access_key_id: 'AKIA1', secret_access_key: 's3cret', session_token: 'tok' }, { add: (s) => secrets.push(s) })).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 's3cret', sessionToken: 'tok' });
  });

  it('otherwise asks the standard chain, registering what it finds as secrets', async () => {
    const secrets: string[] = [];
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIACHAIN', AWS_SECRET_ACCESS_KEY: 'chain-secret', AWS_SESSION_TOKEN: 'chain-token', AWS_EC2_METADATA_DISABLED: 'true' });
    try {
      const provider = awsCredentials({}, { add: (s) => secrets.push(s) });
      expect(typeof provider).toBe('function');
      const found = await (provider as () => Promise<{ accessKeyId: string }>)();
      expect(found.accessKeyId).toBe('AKIACHAIN');
      expect(secrets).toEqual(['chain-secret', 'chain-token']);
    } finally {
      process.env = saved;
    }
  });
});

describe('regionFromChain', () => {
  it('reads AWS_REGION, else falls back to us-east-1', async () => {
    const saved = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-west-3';
    expect(await regionFromChain()()).toBe('eu-west-3');
    delete process.env.AWS_REGION;
    process.env.AWS_CONFIG_FILE = '/nonexistent';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent';
    expect(await regionFromChain()()).toBe(DEFAULT_REGION);
    if (saved !== undefined) process.env.AWS_REGION = saved;
  });
});
