import { AwsJsonServer, AwsServiceError, type ReceivedCall } from './AwsJsonServer.js';
import { EmulatedBuild } from './EmulatedBuild.js';
import { LogStore } from './LogStore.js';
import { s3SourceReader, type S3SourceEndpoint } from './S3Source.js';
import type { TestCredentials } from './verifySigV4.js';

/** The one account the emulators accept (AWS's documentation example key pair). */
export const TEST_CREDENTIALS: TestCredentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const TEST_ACCOUNT = '123456789012';

export interface CodeBuildEmulatorOptions {
  /** Where builds read their S3 source. */
  s3: S3SourceEndpoint;
  /** CodeBuild projects that exist (StartBuild on another answers ResourceNotFoundException). */
  projects?: readonly string[];
  region?: string;
  credentials?: TestCredentials;
  /** Environment the build commands start from (default: this process's). */
  hostEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * CodeBuild (`CodeBuild_20161006.*`) and CloudWatch Logs (`Logs_20140328.GetLogEvents`) on one
 * loopback port. Both verify SigV4 against `credentials`; builds run their buildspec on the host.
 */
export class CodeBuildEmulator {
  readonly builds = new Map<string, EmulatedBuild>();
  readonly logs = new LogStore();
  endpoint = '';
  private readonly server: AwsJsonServer;
  private readonly running = new Set<Promise<void>>();
  private readonly projects: ReadonlySet<string>;
  private readonly region: string;

  constructor(private readonly options: CodeBuildEmulatorOptions) {
    this.projects = new Set(options.projects ?? ['stowage']);
    this.region = options.region ?? 'us-east-1';
    const codebuild = {
      StartBuild: (input: Record<string, unknown>) => this.startBuild(input),
      BatchGetBuilds: (input: Record<string, unknown>) => this.batchGetBuilds(input),
      StopBuild: (input: Record<string, unknown>) => this.stopBuild(input),
      BatchGetProjects: (input: Record<string, unknown>) => this.batchGetProjects(input),
    };
    const logs = { GetLogEvents: (input: Record<string, unknown>) => this.logs.getLogEvents(input) };
    this.server = new AwsJsonServer(
      [
        { targetPrefix: 'CodeBuild_20161006', signingName: 'codebuild', operations: codebuild },
        { targetPrefix: 'Logs_20140328', signingName: 'logs', operations: logs },
      ],
      options.credentials ?? TEST_CREDENTIALS,
    );
  }

  static async start(options: CodeBuildEmulatorOptions): Promise<CodeBuildEmulator> {
    const emulator = new CodeBuildEmulator(options);
    emulator.endpoint = await emulator.server.listen();
    return emulator;
  }

  /** Every request received, in order, with the signature failures. */
  get calls(): readonly ReceivedCall[] {
    return this.server.calls;
  }

  /** Log lines of a build's stream, without CodeBuild's trailing newlines. */
  logLines(buildId: string): string[] {
    const build = this.builds.get(buildId);
    return build ? this.logs.messages(build.groupName, build.streamName).map((m) => m.replace(/\n$/, '')) : [];
  }

  /** Stops running builds, waits for them, and closes the port. */
  async stop(): Promise<void> {
    for (const build of this.builds.values()) build.stop();
    await Promise.all(this.running);
    await this.server.close();
  }

  private startBuild(input: Record<string, unknown>): unknown {
    const project = String(input['projectName'] ?? '');
    if (!this.projects.has(project)) {
      throw new AwsServiceError('ResourceNotFoundException', `Project cannot be found: arn:aws:codebuild:${this.region}:${TEST_ACCOUNT}:project/${project}`);
    }
    if (input['sourceTypeOverride'] !== 'S3' || typeof input['sourceLocationOverride'] !== 'string') {
      throw new AwsServiceError('InvalidInputException', 'The emulator builds S3 sources only: set sourceTypeOverride S3 and sourceLocationOverride <bucket>/<key>');
    }
    checkVariables(input['environmentVariablesOverride']);
    const build = new EmulatedBuild({
      project,
      region: this.region,
      account: TEST_ACCOUNT,
      buildNumber: this.builds.size + 1,
      input,
      logs: this.logs,
      fetchSource: s3SourceReader(this.options.s3),
      hostEnv: this.options.hostEnv ?? process.env,
    });
    this.builds.set(build.id, build);
    const run = build.run().finally(() => this.running.delete(run));
    this.running.add(run);
    return { build: build.view() };
  }

  private batchGetBuilds(input: Record<string, unknown>): unknown {
    const ids = (input['ids'] as string[] | undefined) ?? [];
    if (ids.length === 0 || ids.length > 100) throw new AwsServiceError('InvalidInputException', 'ids must have 1 to 100 members');
    const found = ids.flatMap((id) => (this.builds.has(id) ? [this.builds.get(id)!.view()] : []));
    return { builds: found, buildsNotFound: ids.filter((id) => !this.builds.has(id)) };
  }

  private stopBuild(input: Record<string, unknown>): unknown {
    const build = this.builds.get(String(input['id'] ?? ''));
    if (!build) throw new AwsServiceError('ResourceNotFoundException', `Build ${String(input['id'])} does not exist`);
    build.stop();
    return { build: build.view() };
  }

  private batchGetProjects(input: Record<string, unknown>): unknown {
    const names = (input['names'] as string[] | undefined) ?? [];
    const arn = (name: string) => `arn:aws:codebuild:${this.region}:${TEST_ACCOUNT}:project/${name}`;
    const projects = names.filter((n) => this.projects.has(n)).map((name) => ({ name, arn: arn(name), source: { type: 'NO_SOURCE' }, environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' } }));
    return { projects, projectsNotFound: names.filter((n) => !this.projects.has(n)) };
  }
}

/** The emulator resolves PLAINTEXT variables only: Parameter Store and Secrets Manager are not emulated. */
function checkVariables(value: unknown): void {
  const list = (value as { name?: unknown; value?: unknown; type?: unknown }[] | undefined) ?? [];
  for (const v of list) {
    if (typeof v.name !== 'string' || typeof v.value !== 'string') throw new AwsServiceError('InvalidInputException', 'environmentVariablesOverride entries need a name and a value');
    if ((v.type ?? 'PLAINTEXT') !== 'PLAINTEXT') throw new AwsServiceError('InvalidInputException', `environment variable ${v.name}: type ${String(v.type)} is not emulated (PLAINTEXT only)`);
  }
}
