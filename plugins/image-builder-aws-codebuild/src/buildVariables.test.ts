import { describe, expect, it } from 'vitest';
import { parseImageReference } from '@stowage/plugin-api';
import { customVariables } from './buildVariables.js';
import { AwsCodeBuildImageBuilderConfigSchema } from './config.js';
import { basicCredentials, parameterStoreLogin, secretsManagerLogin } from './registryLogin.js';

const ref = parseImageReference('registry.acme.internal:5000/team/app:v1');
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/registry-AbCdEf';

describe('environmentVariablesOverride: what CodeBuild is given', () => {
  it('maps custom_env_vars by shape: a string is PLAINTEXT, parameter_store and secrets_manager name where CodeBuild reads the value', () => {
    const config = AwsCodeBuildImageBuilderConfigSchema.parse({
      code_build_project: 'p',
      custom_env_vars: { STAGE: 'prod', NPM_TOKEN: { parameter_store: '/ci/npm-token' }, DB_PASSWORD: { secrets_manager: 'ci/db:password' }, BY_ARN: { secrets_manager: `${SECRET_ARN}:token:AWSCURRENT` } },
    });
    expect(customVariables(config.custom_env_vars)).toEqual([
      { name: 'BY_ARN', value: `${SECRET_ARN}:token:AWSCURRENT`, type: 'SECRETS_MANAGER' },
      { name: 'DB_PASSWORD', value: 'ci/db:password', type: 'SECRETS_MANAGER' },
      { name: 'NPM_TOKEN', value: '/ci/npm-token', type: 'PARAMETER_STORE' },
      { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
    ]);
  });

  it('registry_credentials_secret: the user and the password are both read from the secret by CodeBuild (name or ARN)', () => {
    for (const id of ['ci/registry', SECRET_ARN]) {
      expect(secretsManagerLogin(ref, id).variables).toEqual([
        { name: 'STOWAGE_REGISTRY_USERNAME', value: `${id}:username`, type: 'SECRETS_MANAGER' },
        { name: 'STOWAGE_REGISTRY_PASSWORD', value: `${id}:password`, type: 'SECRETS_MANAGER' },
      ]);
    }
  });

  it("the registry's own login: the user name as PLAINTEXT, the password only as the name of its SecureString parameter", () => {
    const credentials = basicCredentials(ref, { type: 'basic', username: 'ci', password: 's3cret-pass' })!;
    const login = parameterStoreLogin(ref, credentials.username, '/stowage/codebuild/3f1c/registry-password');
    expect(login.variables).toEqual([
      { name: 'STOWAGE_REGISTRY_USERNAME', value: 'ci', type: 'PLAINTEXT' },
      { name: 'STOWAGE_REGISTRY_PASSWORD', value: '/stowage/codebuild/3f1c/registry-password', type: 'PARAMETER_STORE' },
    ]);
    expect(JSON.stringify(login)).not.toContain('s3cret-pass');
    expect(login.commands.at(-1)).toBe(`printf '%s' "$STOWAGE_REGISTRY_PASSWORD" | docker login --username "$STOWAGE_REGISTRY_USERNAME" --password-stdin registry.acme.internal:5000`);
  });

  it.each([
    [{ custom_env_vars: { X: { parameter_store: 'has space' } } }, 'custom_env_vars.X.parameter_store', 'expected the name or ARN of an SSM parameter'],
    [{ custom_env_vars: { X: { parameter_store: 'no/leading-slash' } } }, 'custom_env_vars.X.parameter_store', 'expected the name or ARN of an SSM parameter'],
    [{ custom_env_vars: { X: { vault: 'kv/x' } } }, 'custom_env_vars.X', 'expected a string (PLAINTEXT), `{ parameter_store: <name> }` or `{ secrets_manager: <secret-id>:<json-key> }`'],
    [{ custom_env_vars: { X: { secrets_manager: 'id:key:stage:version:extra' } } }, 'custom_env_vars.X.secrets_manager', '<secret-id>[:<json-key>'],
    [{ registry_credentials_secret: 'not a name' }, 'registry_credentials_secret', 'expected the name or ARN of a Secrets Manager secret'],
    [{ parameter_store_prefix: '/aws/stowage' }, 'parameter_store_prefix', 'not starting with aws or ssm'],
    [{ parameter_store_prefix: 'stowage' }, 'parameter_store_prefix', 'expected an SSM parameter path'],
    [{ ssm_endpoint: 'ftp://x' }, 'ssm_endpoint', 'expected an http(s) URL'],
  ])('rejects %j at %s, saying what it expects', (input, path, message) => {
    const result = AwsCodeBuildImageBuilderConfigSchema.safeParse({ code_build_project: 'p', ...input });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[path, expect.stringContaining(message)]]);
  });
});
