import { describe, expect, it } from 'vitest';
import { EcrContainerRegistryConfigSchema } from './config.js';
import { parseEcrUri } from './ecrUri.js';

const URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const issues = (config: Record<string, unknown>) => {
  const result = EcrContainerRegistryConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('parseEcrUri', () => {
  it.each([
    [URI, { host: URI, accountId: '123456789012', region: 'eu-west-1' }],
    [`${URI}/team/ml`, { host: URI, accountId: '123456789012', region: 'eu-west-1', path: 'team/ml' }],
    [`${URI}/`, { host: URI, accountId: '123456789012', region: 'eu-west-1' }],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', { host: '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', accountId: '123456789012', region: 'us-gov-west-1' }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', { host: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', accountId: '123456789012', region: 'cn-north-1' }],
  ])('%s', (uri, expected) => {
    expect(parseEcrUri(uri)).toEqual(expected);
  });

  it.each(['https://' + URI, '12345.dkr.ecr.eu-west-1.amazonaws.com', 'ghcr.io/acme', `${URI}:443`, `${URI}/Team`, '127.0.0.1:5000'])('rejects %s', (uri) => {
    expect(parseEcrUri(uri)).toBeUndefined();
  });
});

describe('EcrContainerRegistryConfigSchema', () => {
  it('takes a uri alone (region from the uri, the standard credential chain) and strips a trailing slash', () => {
    expect(EcrContainerRegistryConfigSchema.parse({ uri: `${URI}/` })).toEqual({ uri: URI, timeout_seconds: 30 });
  });

  it('says what an ECR uri looks like', () => {
    expect(issues({ uri: 'ghcr.io/acme' })).toEqual([
      'uri: expected an ECR registry like `123456789012.dkr.ecr.eu-west-1.amazonaws.com` (optionally with a repository path: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team`), without scheme; in tests, a loopback registry like `127.0.0.1:5000` with `region`',
    ]);
  });

  it('takes a loopback registry standing in for ECR (tests), with a region, and nothing else that is not ECR', () => {
    expect(issues({ uri: '127.0.0.1:5002/team', region: 'us-east-1' })).toEqual([]);
    expect(issues({ uri: 'localhost:5002', region: 'us-east-1' })).toEqual([]);
    expect(issues({ uri: '127.0.0.1:5002' })).toEqual(['region: a loopback `uri` names no region: set `region` (the ECR API’s, e.g. the emulator’s `us-east-1`)']);
    expect(issues({ uri: 'registry.example.com:5000', region: 'us-east-1' })[0]).toMatch(/^uri: expected an ECR registry/);
  });

  it('rejects a region other than the uri’s', () => {
    expect(issues({ uri: URI, region: 'us-east-1' })).toEqual([
      'region: `region` is us-east-1 but the registry `uri` is in eu-west-1: remove `region` (it comes from the uri) or fix one of them',
    ]);
    expect(issues({ uri: URI, region: 'eu-west-1' })).toEqual([]);
  });

  it('wants both halves of static credentials', () => {
    expect(issues({ uri: URI, access_key_id: 'AKIA0000' })).toEqual(['secret_access_key: `access_key_id` is set but `secret_access_key` is not: set both, or neither to use the standard AWS credential chain']);
    expect(issues({ uri: URI, secret_access_key: 's' })).toEqual(['access_key_id: `secret_access_key` is set but `access_key_id` is not: set both, or neither to use the standard AWS credential chain']);
    expect(issues({ uri: URI, session_token: 't' })[0]).toMatch(/^session_token: /);
  });

  it('takes http(s) endpoints only, and no unknown keys', () => {
    expect(issues({ uri: URI, endpoint: 'ftp://x' })[0]).toMatch(/^endpoint: expected an http\(s\) URL/);
    expect(issues({ uri: URI, password: 'x' })[0]).toMatch(/^: Unrecognized key/);
  });
});
