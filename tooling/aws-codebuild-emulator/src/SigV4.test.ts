import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetProjectsCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from './CodeBuildEmulator.js';
import { EmulatorBed } from './__fixtures__/emulatorBed.js';

describe('SigV4 verification with @smithy/signature-v4, driven by the real clients', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it('accepts requests signed with the test credentials', async () => {
    const { projects, projectsNotFound } = await bed.codebuild().send(new BatchGetProjectsCommand({ names: ['stowage', 'other'] }));
    expect(projects?.map((p) => p.name)).toEqual(['stowage']);
    expect(projectsNotFound).toEqual(['other']);
  });

  it('rejects a wrong secret key with InvalidSignatureException on CodeBuild and on CloudWatch Logs', async () => {
    const wrong = { ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' };
    await expect(bed.codebuild(wrong).send(new BatchGetProjectsCommand({ names: ['stowage'] }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringContaining('Check your AWS Secret Access Key'),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(bed.logs(wrong).send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's' }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(bed.emulator.calls.filter((c) => c.rejected).map((c) => `${c.target} ${c.rejected}`)).toEqual([
      'CodeBuild_20161006.BatchGetProjects InvalidSignatureException',
      'Logs_20140328.GetLogEvents InvalidSignatureException',
    ]);
  });

  it('rejects an unknown access key id with UnrecognizedClientException', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: TEST_CREDENTIALS.secretAccessKey };
    await expect(bed.codebuild(unknown).send(new BatchGetProjectsCommand({ names: ['stowage'] }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it("answers AWS's error shapes: a missing project, a missing log stream", async () => {
    const start = new StartBuildCommand({ projectName: 'missing', sourceTypeOverride: 'S3', sourceLocationOverride: 'b/k.zip' });
    await expect(bed.codebuild().send(start)).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Project cannot be found: arn:aws:codebuild:us-east-1:123456789012:project/missing' });
    await expect(bed.logs().send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' });
  });
});
