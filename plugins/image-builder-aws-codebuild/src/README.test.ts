import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yamlBlocks } from '@stowage/testing';
import { AwsCodeBuildImageBuilderConfigSchema } from './config.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(README, 'utf8');

/** Every `image_builder:` of a README example, by `<block>.stacks.<name>`. */
function builderExamples(): [string, Record<string, unknown>][] {
  return yamlBlocks(README).flatMap((block, index) => {
    const stacks = (block as { stacks?: Record<string, { image_builder?: Record<string, unknown> }> } | null)?.stacks ?? {};
    return Object.entries(stacks).map(([name, stack]): [string, Record<string, unknown>] => [`block ${index + 1}, stack ${name}`, stack.image_builder ?? {}]);
  });
}

describe('README', () => {
  const examples = builderExamples();

  it('has the examples it promises (ECR, another registry with secrets, VPC endpoints, secret variables)', () => {
    expect(examples).toHaveLength(4);
  });

  it.each(examples)('%s is a valid aws-codebuild image_builder', (_where, { flavor, ...config }) => {
    expect(flavor).toBe('aws-codebuild');
    const result = AwsCodeBuildImageBuilderConfigSchema.safeParse(config);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('lists every config key in its table, and no other', () => {
    const documented = [...text.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(AwsCodeBuildImageBuilderConfigSchema.shape).sort());
  });

  it('shows IAM policies that are valid JSON and grant what the builder and CodeBuild call', () => {
    const policies = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as { Statement: { Action: string[] }[] });
    expect(policies.map((p) => p.Statement.flatMap((s) => s.Action))).toEqual([
      ['ssm:PutParameter', 'ssm:DeleteParameter'],
      ['ssm:GetParameters', 'secretsmanager:GetSecretValue'],
    ]);
  });

  it('says that the emulator runs the commands on the host because build_image cannot be pulled', () => {
    expect(text).toContain('`build_image`\ncannot be pulled here');
  });
});
