import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OciContainerRegistryConfigSchema } from './config.js';

const parse = (config: Record<string, unknown>) => OciContainerRegistryConfigSchema.safeParse(config);
const messages = (config: Record<string, unknown>) => {
  const result = parse(config);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('OciContainerRegistryConfigSchema', () => {
  it.each([
    ['127.0.0.1:5000/', '127.0.0.1:5000'],
    ['ghcr.io/acme//', 'ghcr.io/acme'],
    ['  registry.gitlab.com/group/project  ', 'registry.gitlab.com/group/project'],
    ['docker.io/acme', 'docker.io/acme'],
  ])('normalises uri %j to %j (trailing slashes stripped, as ZenML)', (uri, expected) => {
    const result = parse({ uri });
    expect(result.success && result.data.uri).toBe(expected);
  });

  it('fills the request timeout default', () => {
    expect(parse({ uri: 'ghcr.io/acme' }).data?.timeout_seconds).toBe(30);
  });

  it.each(['', '/', 'acme', 'https://ghcr.io/acme', 'ghcr.io/Acme', 'ghcr.io/a b'])('rejects uri %j with a hint at the expected shape', (uri) => {
    expect(messages({ uri }).join('\n')).toMatch(/uri: expected a registry host .*e\.g\. `127\.0\.0\.1:5000`/);
  });

  it('rejects unknown keys (a typo must not be ignored silently)', () => {
    expect(messages({ uri: 'ghcr.io/acme', pasword: 'x' }).join('\n')).toMatch(/pasword/);
  });

  it('rejects a default_repository with capitals', () => {
    expect(messages({ uri: 'ghcr.io', default_repository: 'Team/Images' })).toEqual([
      'default_repository: expected a lower-case repository path like `stowage` or `team/images`',
    ]);
  });

  it('asks for both username and password, or neither', () => {
    expect(messages({ uri: 'ghcr.io', username: 'u' })).toEqual([
      'password: `username` is set but `password` is not: set both, or neither to use the Docker config file',
    ]);
    expect(messages({ uri: 'ghcr.io', password: 'p' })[0]).toMatch(/^username: `password` is set/);
    expect(parse({ uri: 'ghcr.io', username: 'u', password: 'p' }).success).toBe(true);
  });

  it('rejects an empty password (an unset ${VAR} substituted as empty)', () => {
    expect(messages({ uri: 'ghcr.io', username: 'u', password: '' })[0]).toMatch(/^password:/);
  });

  it('stays a plain object schema that converts to JSON Schema (core reads `.shape` for stowage.yaml completion)', () => {
    const json = z.toJSONSchema(OciContainerRegistryConfigSchema, { io: 'input', unrepresentable: 'any' }) as {
      required?: string[];
      additionalProperties?: boolean;
      properties: Record<string, { description?: string }>;
    };
    expect(json.required).toEqual(['uri']);
    expect(json.additionalProperties).toBe(false);
    expect(Object.keys(json.properties)).toEqual(['uri', 'default_repository', 'username', 'password', 'docker_config', 'insecure', 'timeout_seconds']);
    expect(json.properties['password']?.description).toMatch(/redacted/);
  });

  it('describes every field (they feed the JSON Schema and --help)', () => {
    for (const [key, field] of Object.entries(OciContainerRegistryConfigSchema.shape)) {
      expect(field.description, key).toBeTruthy();
    }
  });
});
