import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, CodeBuildClient, StartBuildCommand, type Build, type StartBuildCommandInput } from '@aws-sdk/client-codebuild';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CodeBuildEmulator, TEST_CREDENTIALS } from '../CodeBuildEmulator.js';
import { S3Bed } from '../S3Bed.js';
import type { TestCredentials } from '../verifySigV4.js';
import { zipContext, type ContextFile } from '../zipContext.js';

/** s3rver and the emulator, driven by the real CodeBuild, CloudWatch Logs, SSM and Secrets Manager clients. */
export class EmulatorBed {
  private constructor(
    readonly s3: S3Bed,
    readonly emulator: CodeBuildEmulator,
  ) {}

  static async start(): Promise<EmulatorBed> {
    const s3 = await S3Bed.start();
    return new EmulatorBed(s3, await CodeBuildEmulator.start({ s3: s3.source }));
  }

  async stop(): Promise<void> {
    await this.emulator.stop();
    await this.s3.stop();
  }

  codebuild(credentials: TestCredentials = TEST_CREDENTIALS): CodeBuildClient {
    return new CodeBuildClient({ region: 'us-east-1', endpoint: this.emulator.endpoint, credentials, maxAttempts: 1 });
  }

  logs(credentials: TestCredentials = TEST_CREDENTIALS): CloudWatchLogsClient {
    return new CloudWatchLogsClient({ region: 'us-east-1', endpoint: this.emulator.endpoint, credentials, maxAttempts: 1 });
  }

  ssm(credentials: TestCredentials = TEST_CREDENTIALS): SSMClient {
    return new SSMClient({ region: 'us-east-1', endpoint: this.emulator.endpoint, credentials, maxAttempts: 1 });
  }

  secretsManager(credentials: TestCredentials = TEST_CREDENTIALS): SecretsManagerClient {
    return new SecretsManagerClient({ region: 'us-east-1', endpoint: this.emulator.endpoint, credentials, maxAttempts: 1 });
  }

  /** Uploads a ZIP of `files` and starts a build of it with `buildspec`. */
  async start(files: Record<string, ContextFile>, buildspec: string, extra: Partial<StartBuildCommandInput> = {}): Promise<Build> {
    const location = await this.s3.put(`contexts/${crypto.randomUUID()}.zip`, await zipContext(files));
    const input = { projectName: 'stowage', sourceTypeOverride: 'S3' as const, sourceLocationOverride: location, buildspecOverride: buildspec, ...extra };
    return (await this.codebuild().send(new StartBuildCommand(input))).build!;
  }

  /** Polls BatchGetBuilds until the build leaves IN_PROGRESS. */
  async finished(id: string): Promise<Build> {
    for (;;) {
      const { builds } = await this.codebuild().send(new BatchGetBuildsCommand({ ids: [id] }));
      if (builds?.[0]?.buildStatus !== 'IN_PROGRESS') return builds![0]!;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Every log line of a build, read with GetLogEvents page by page. */
  async logLines(build: Build): Promise<string[]> {
    const lines: string[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await this.logs().send(new GetLogEventsCommand({ logGroupName: build.logs!.groupName, logStreamName: build.logs!.streamName, startFromHead: true, nextToken: token, limit: 5 }));
      lines.push(...(page.events ?? []).map((e) => e.message!.replace(/\n$/, '')));
      if (page.nextForwardToken === token) return lines;
      token = page.nextForwardToken;
    }
  }
}

/** A buildspec 0.2 with these phases' commands. */
export function buildspec(phases: Partial<Record<'install' | 'pre_build' | 'build' | 'post_build', string[]>>, variables: Record<string, string> = {}): string {
  const env = Object.keys(variables).length ? { env: { variables } } : {};
  return JSON.stringify({ version: 0.2, ...env, phases: Object.fromEntries(Object.entries(phases).map(([k, commands]) => [k, { commands }])) });
}
