import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeExampleProblems, yamlBlocks } from '@stowage/testing';
import { GcpCloudBuildImageBuilderConfigSchema } from './config.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(README, 'utf8');

/** Every `image_builder:` of a README example, by `<block>.stacks.<name>`. */
function builderExamples(): [string, Record<string, unknown>][] {
  return yamlBlocks(README).flatMap((block, index) => {
    const stacks = (block as { stacks?: Record<string, { image_builder?: Record<string, unknown> }> } | null)?.stacks ?? {};
    return Object.entries(stacks).map(([name, stack]): [string, Record<string, unknown>] => [`block ${index + 1}, stack ${name}`, stack.image_builder ?? {}]);
  });
}

// `${VAR}` is substituted before the schema sees a value: a stand-in key of the right shape.
const KEY = JSON.stringify({ type: 'service_account', project_id: 'acme-ml', client_email: 'builder@acme-ml.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' });
const substituted = (config: Record<string, unknown>) => JSON.parse(JSON.stringify(config).replaceAll('${GCP_SA_KEY}', KEY.replaceAll('\\', '\\\\').replaceAll('"', '\\"'))) as Record<string, unknown>;

describe('README', () => {
  const examples = builderExamples();

  it('has the examples it promises (ADC with Artifact Registry, a regional build with a key, a login from Secret Manager, another registry against an emulator)', () => {
    expect(examples).toHaveLength(4);
    expect(examples.map(([, c]) => c['registry_password_secret'])).toEqual([undefined, undefined, 'projects/acme-ci/secrets/ghcr-token/versions/3', undefined]);
  });

  it.each(examples)('%s is a valid gcp-cloudbuild image_builder', (_where, { flavor, ...config }) => {
    expect(flavor).toBe('gcp-cloudbuild');
    const result = GcpCloudBuildImageBuilderConfigSchema.safeParse(substituted(config));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('has examples that are valid stowage.yaml files', () => {
    expect(readmeExampleProblems(README)).toEqual([]);
  });

  it('lists every config key in its table, and no other', () => {
    const documented = [...text.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(GcpCloudBuildImageBuilderConfigSchema.shape).sort());
  });

  it('names the permissions of the temporary secrets with the default prefix, and the command that deletes a left one', () => {
    const prefix = GcpCloudBuildImageBuilderConfigSchema.parse({ project: 'acme-ml' }).temporary_secret_prefix;
    expect(text).toContain(`resource.name.startsWith("projects/PROJECT_NUMBER/secrets/${prefix}-")`);
    expect(text).toContain('gcloud secrets\ndelete <id> --project=<project> --quiet');
  });

  it('says that the emulator runs the docker builder as the host docker because the image cannot be pulled', () => {
    expect(text).toContain('the builder image cannot be\npulled here');
  });
});
