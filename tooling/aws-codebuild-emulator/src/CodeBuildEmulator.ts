import { AwsJsonServer, AwsServiceError, type ReceivedCall } from './AwsJsonServer.js';
import { EmulatedBuild } from './EmulatedBuild.js';
import { LogStore } from './LogStore.js';
import { ParameterStore } from './ParameterStore.js';
import { VARIABLE_TYPES } from './resolveVariables.js';
import { s3SourceReader, type S3SourceEndpoint } from './S3Source.js';
import { SecretStore } from './SecretStore.js';
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
 * CodeBuild (`CodeBuild_20161006.*`), CloudWatch Logs (`Logs_20140328.GetLogEvents`), SSM
 * Parameter Store (`AmazonSSM.*`) and Secrets Manager (`secretsmanager.*`) on one loopback port.
 * All verify SigV4 against `credentials`; builds run their buildspec on the host and read their
 * PARAMETER_STORE and SECRETS_MANAGER variables from the two stores.
 */
export class CodeBuildEmulator {
  readonly builds = new Map<string, EmulatedBuild>();
  readonly logs = new LogStore();
  readonly parameters: ParameterStore;
  readonly secrets: SecretStore;
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
    this.parameters = new ParameterStore(this.region, TEST_ACCOUNT);
    this.secrets = new SecretStore(this.region, TEST_ACCOUNT);
    this.server = new AwsJsonServer(
      [
        { targetPrefix: 'CodeBuild_20161006', signingName: 'codebuild', operations: codebuild },
        { targetPrefix: 'Logs_20140328', signingName: 'logs', operations: logs },
        { targetPrefix: 'AmazonSSM', signingName: 'ssm', operations: this.parameters.operations },
        { targetPrefix: 'secretsmanager', signingName: 'secretsmanager', operations: this.secrets.operations },
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

  /**
   * Everything CodeBuild and CloudWatch Logs were sent, keep and show: the bodies of every request
   * to them, every build as BatchGetBuilds returns it, every log event. A test asserts that no
   * secret value is in it (Parameter Store and Secrets Manager requests are not part of it).
   */
  codeBuildTranscript(): string {
    const requests = this.calls.filter((c) => /^(CodeBuild_20161006|Logs_20140328)\./.test(c.target)).map((c) => c.body);
    const builds = [...this.builds.values()].map((b) => JSON.stringify(b.view()));
    const logs = [...this.builds.values()].flatMap((b) => this.logs.messages(b.groupName, b.streamName));
    return [...requests, ...builds, ...logs].join('\n');
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
      secretSources: { parameters: this.parameters, secrets: this.secrets },
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

/** Each override needs a name, a value and one of CodeBuild's types; the names a type refers to are read when the build runs. */
function checkVariables(value: unknown): void {
  const list = (value as { name?: unknown; value?: unknown; type?: unknown }[] | undefined) ?? [];
  list.forEach((v, i) => {
    if (typeof v.name !== 'string' || typeof v.value !== 'string') throw new AwsServiceError('InvalidInputException', 'environmentVariablesOverride entries need a name and a value');
    if (!(VARIABLE_TYPES as readonly unknown[]).includes(v.type ?? 'PLAINTEXT')) {
      throw new AwsServiceError(
        'InvalidInputException',
        `1 validation error detected: Value '${String(v.type)}' at 'environmentVariablesOverride.${i + 1}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${VARIABLE_TYPES.join(', ')}]`,
      );
    }
  });
}
