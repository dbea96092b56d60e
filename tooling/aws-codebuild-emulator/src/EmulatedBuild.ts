import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILDSPEC_PHASES, parseBuildspec, type Buildspec, type PhaseType } from './Buildspec.js';
import type { LogStore } from './LogStore.js';
import { resolveVariables, type EnvironmentVariable, type SecretSources } from './resolveVariables.js';
import { containerLine, runPhase } from './runPhase.js';
import { unzipSource } from './unzipSource.js';

export type BuildStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';
type AnyPhase = 'SUBMITTED' | 'QUEUED' | 'PROVISIONING' | 'DOWNLOAD_SOURCE' | PhaseType | 'UPLOAD_ARTIFACTS' | 'FINALIZING' | 'COMPLETED';

interface BuildPhase {
  phaseType: AnyPhase;
  phaseStatus?: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  startTime: number;
  endTime?: number;
  durationInSeconds?: number;
  contexts?: { statusCode: string; message: string }[];
}

/** What a phase reports when it fails: CodeBuild's status code and message. */
interface PhaseFailure {
  statusCode: string;
  message: string;
}

export interface EmulatedBuildOptions {
  project: string;
  region: string;
  account: string;
  buildNumber: number;
  input: Record<string, unknown>;
  logs: LogStore;
  /** Reads the S3 source (`<bucket>/<key>`): its bytes and the version CodeBuild resolves. */
  fetchSource(location: string): Promise<{ body: Buffer; version: string }>;
  /** Host environment the commands start from (PATH, HOME, DOCKER_HOST). */
  hostEnv: Readonly<Record<string, string | undefined>>;
  /** Where PARAMETER_STORE and SECRETS_MANAGER variables are read (as the project's service role would). */
  secretSources: SecretSources;
}

const seconds = (ms: number) => ms / 1000;

/**
 * One build, run for real on the host: download and unzip the S3 source, then the buildspec's
 * phases with CodeBuild's transitions (INSTALL or PRE_BUILD failing ends the build; BUILD failing
 * still runs POST_BUILD), each phase's output streamed to the build's log stream.
 */
export class EmulatedBuild {
  readonly id: string;
  readonly arn: string;
  readonly phases: BuildPhase[] = [];
  readonly startTime = Date.now();
  status: BuildStatus = 'IN_PROGRESS';
  readonly streamName = randomUUID();
  readonly groupName: string;
  endTime?: number;
  private child?: ChildProcess;
  private stopped = false;
  private succeeding = true;
  private workDir = '';
  /** The build's variables, resolved in DOWNLOAD_SOURCE. */
  private variables: Record<string, string> = {};
  /** Values read from Parameter Store or Secrets Manager: masked in the log as CodeBuild masks them. */
  private masked: string[] = [];

  constructor(private readonly options: EmulatedBuildOptions) {
    this.id = `${options.project}:${this.streamName}`;
    this.arn = `arn:aws:codebuild:${options.region}:${options.account}:build/${this.id}`;
    this.groupName = `/aws/codebuild/${options.project}`;
    options.logs.createStream(this.groupName, this.streamName);
  }

  /** The build as BatchGetBuilds returns it (timestamps in epoch seconds, as the JSON protocol has them). */
  view(): Record<string, unknown> {
    const input = this.options.input;
    const current = this.status === 'IN_PROGRESS' ? this.phases.at(-1)?.phaseType : 'COMPLETED';
    const region = this.options.region;
    return {
      id: this.id,
      arn: this.arn,
      buildNumber: this.options.buildNumber,
      projectName: this.options.project,
      startTime: seconds(this.startTime),
      ...(this.endTime ? { endTime: seconds(this.endTime) } : {}),
      currentPhase: current,
      buildStatus: this.status,
      buildComplete: this.status !== 'IN_PROGRESS',
      initiator: 'stowage-emulator',
      resolvedSourceVersion: this.resolvedVersion || undefined,
      phases: this.phases.map((p) => ({ ...p })),
      source: { type: input['sourceTypeOverride'] ?? 'S3', location: this.sourceLocation, buildspec: input['buildspecOverride'] },
      environment: {
        type: input['environmentTypeOverride'] ?? 'LINUX_CONTAINER',
        image: input['imageOverride'] ?? 'aws/codebuild/standard:7.0',
        computeType: input['computeTypeOverride'] ?? 'BUILD_GENERAL1_SMALL',
        privilegedMode: input['privilegedModeOverride'] ?? false,
        environmentVariables: input['environmentVariablesOverride'] ?? [],
      },
      logs: {
        groupName: this.groupName,
        streamName: this.streamName,
        deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=${region}#logEvent:group=${this.groupName};stream=${this.streamName}`,
        cloudWatchLogsArn: `arn:aws:logs:${region}:${this.options.account}:log-group:${this.groupName}:log-stream:${this.streamName}`,
      },
    };
  }

  get sourceLocation(): string {
    return String(this.options.input['sourceLocationOverride'] ?? '');
  }

  /** StopBuild: ends the running phase's whole process group; later phases do not run. */
  stop(): void {
    if (this.status !== 'IN_PROGRESS' || this.stopped) return;
    this.stopped = true;
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGTERM');
      setTimeout(() => this.killGroup(pid), 3000).unref();
    } catch {
      // The phase ended between the check and the kill.
    }
  }

  private killGroup(pid: number): void {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  async run(): Promise<void> {
    try {
      await this.phase('SUBMITTED', async () => undefined);
      await this.phase('QUEUED', async () => undefined);
      const spec = await this.prepare();
      if (spec) await this.runBuildspec(spec);
      if (!this.stopped) {
        await this.phase('UPLOAD_ARTIFACTS', async () => undefined);
        await this.phase('FINALIZING', async () => undefined);
      }
    } finally {
      this.status = this.stopped ? 'STOPPED' : this.succeeding ? 'SUCCEEDED' : 'FAILED';
      this.endTime = Date.now();
      this.phases.push({ phaseType: 'COMPLETED', startTime: seconds(this.endTime) });
      if (this.workDir) await rm(this.workDir, { recursive: true, force: true });
    }
  }

  /** PROVISIONING and DOWNLOAD_SOURCE: a work folder, the unzipped source, the parsed buildspec, the resolved variables. */
  private async prepare(): Promise<Buildspec | undefined> {
    let spec: Buildspec | undefined;
    const provisioned = await this.phase('PROVISIONING', async () => {
      this.workDir = await mkdtemp(join(tmpdir(), 'stowage-codebuild-'));
      await mkdir(join(this.workDir, 'src'));
      await mkdir(join(this.workDir, 'docker-config'));
      return undefined;
    });
    if (!provisioned) return undefined;
    const downloaded = await this.phase('DOWNLOAD_SOURCE', async () => {
      const source = await this.options.fetchSource(this.sourceLocation).catch((e: unknown) => e as Error);
      if (source instanceof Error) return { statusCode: 'CLIENT_ERROR', message: `error while downloading source from ${this.sourceLocation}: ${source.message}` };
      this.resolvedVersion = source.version;
      await unzipSource(source.body, join(this.workDir, 'src'));
      try {
        spec = parseBuildspec(String(this.options.input['buildspecOverride'] ?? ''));
      } catch (error) {
        return { statusCode: 'YAML_FILE_ERROR', message: (error as Error).message };
      }
      return this.resolveVariables(spec);
    });
    return downloaded ? spec : undefined;
  }

  /** CodeBuild's "Processing environment variables": the buildspec's, then StartBuild's overrides (which win). */
  private resolveVariables(spec: Buildspec): PhaseFailure | undefined {
    const overrides = (this.options.input['environmentVariablesOverride'] as EnvironmentVariable[] | undefined) ?? [];
    const all = [...spec.variables, ...overrides.map((v) => ({ ...v, type: v.type ?? 'PLAINTEXT' }))];
    this.log(containerLine('Processing environment variables'));
    if (all.some((v) => v.type === 'PARAMETER_STORE')) this.log(containerLine('Decrypting parameter store environment variables'));
    const resolved = resolveVariables(all, this.options.secretSources);
    if ('statusCode' in resolved) return resolved;
    this.variables = resolved.values;
    this.masked = [...resolved.secrets].sort((a, b) => b.length - a.length);
    return undefined;
  }

  private resolvedVersion = '';

  private async runBuildspec(spec: Buildspec): Promise<void> {
    for (const [, type] of BUILDSPEC_PHASES) {
      if (this.stopped) return;
      // A failed INSTALL or PRE_BUILD ends the build; a failed BUILD still runs POST_BUILD.
      if (!this.succeeding && type !== 'POST_BUILD') continue;
      if (!this.succeeding && !this.phases.some((p) => p.phaseType === 'BUILD')) return;
      await this.phase(type, () => this.runCommands(type, spec));
    }
  }

  private async runCommands(type: PhaseType, spec: Buildspec): Promise<PhaseFailure | undefined> {
    const commands = spec.phases[type] ?? [];
    if (commands.length === 0) return undefined;
    const env = { ...this.environment(), ...this.variables };
    const run = await runPhase(commands, join(this.workDir, 'src'), env, (line) => this.log(line), (child) => (this.child = child));
    this.child = undefined;
    if (!run.failure) return undefined;
    const reason = `exit status ${run.failure.status}`;
    return { statusCode: 'COMMAND_EXECUTION_ERROR', message: `Error while executing command: ${run.failure.command}. Reason: ${reason}` };
  }

  /** CodeBuild's own variables, on top of what the host needs to find docker. */
  private environment(): Record<string, string> {
    const host = this.options.hostEnv;
    const pick = Object.fromEntries(['PATH', 'HOME', 'DOCKER_HOST', 'TMPDIR'].flatMap((k) => (host[k] ? [[k, host[k]!]] : [])));
    return {
      ...pick,
      // Each build logs in to registries in its own Docker config, as a fresh build container does.
      DOCKER_CONFIG: join(this.workDir, 'docker-config'),
      AWS_REGION: this.options.region,
      AWS_DEFAULT_REGION: this.options.region,
      CODEBUILD_BUILD_ID: this.id,
      CODEBUILD_BUILD_ARN: this.arn,
      CODEBUILD_BUILD_NUMBER: String(this.options.buildNumber),
      CODEBUILD_BUILD_IMAGE: String(this.options.input['imageOverride'] ?? 'aws/codebuild/standard:7.0'),
      CODEBUILD_BUILD_SUCCEEDING: this.succeeding ? '1' : '0',
      CODEBUILD_INITIATOR: 'stowage-emulator',
      CODEBUILD_LOG_PATH: this.streamName,
      CODEBUILD_SRC_DIR: join(this.workDir, 'src'),
      CODEBUILD_SOURCE_VERSION: this.resolvedVersion,
      CODEBUILD_RESOLVED_SOURCE_VERSION: this.resolvedVersion,
      CODEBUILD_START_TIME: String(this.startTime),
    };
  }

  private log(line: string): void {
    const masked = this.masked.reduce((text, secret) => text.replaceAll(secret, '***'), line);
    this.options.logs.append(this.groupName, this.streamName, `${masked}\n`);
  }

  /** Runs one phase and records it as BatchGetBuilds reports phases; false when it did not succeed. */
  private async phase(type: AnyPhase, body: () => Promise<PhaseFailure | undefined>): Promise<boolean> {
    const entry: BuildPhase = { phaseType: type, startTime: seconds(Date.now()) };
    this.phases.push(entry);
    this.log(containerLine(`Entering phase ${type}`));
    const failure = await body().catch((e: unknown): PhaseFailure => ({ statusCode: 'CLIENT_ERROR', message: e instanceof Error ? e.message : String(e) }));
    const end = Date.now();
    entry.endTime = seconds(end);
    entry.durationInSeconds = Math.round(end / 1000 - entry.startTime);
    entry.phaseStatus = this.stopped ? 'STOPPED' : failure ? 'FAILED' : 'SUCCEEDED';
    if (failure && !this.stopped) entry.contexts = [failure];
    if (entry.phaseStatus !== 'SUCCEEDED') this.succeeding = false;
    this.log(containerLine(`Phase complete: ${type} State: ${entry.phaseStatus}`));
    if (failure) this.log(containerLine(`Phase context status code: ${failure.statusCode} Message: ${failure.message}`));
    return entry.phaseStatus === 'SUCCEEDED';
  }
}
