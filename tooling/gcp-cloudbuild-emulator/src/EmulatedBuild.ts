import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildIdentity, BuildSpec, StepSpec } from './BuildRequest.js';
import { BuildLog } from './BuildLog.js';
import { TERMINAL, timestamp, type BuildStatus, type BuiltImage, type Failure, type StepState, type TimeSpan } from './BuildState.js';
import type { GcsAccess } from './GcsAccess.js';
import { pushImages } from './pushImages.js';
import type { SecretManager } from './SecretManager.js';
import { dependenciesOf, envOf, runBuildStep, stepLabel } from './runBuildStep.js';
import { killGroup } from './runProcess.js';
import { untarSource } from './untarSource.js';

/** A registry login the build's service account has without a login step (Cloud Build's implicit auth to the project's registries). */
export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

export interface EmulatedBuildOptions {
  spec: BuildSpec;
  identity: BuildIdentity;
  gcs: GcsAccess;
  /** Host environment the steps start from (PATH to find docker, DOCKER_HOST). */
  hostEnv: Readonly<Record<string, string | undefined>>;
  registryLogins: readonly RegistryLogin[];
  /** Where the build's service account reads `availableSecrets`. */
  secretManager: Pick<SecretManager, 'access' | 'numberedVersionName'>;
}

/** How a build that did not succeed ended: set once, by the first thing that ends it. */
type Ending = { status: 'FAILURE'; failure: Failure } | { status: 'INTERNAL_ERROR'; detail: string } | { status: 'CANCELLED' | 'TIMEOUT' };

/**
 * One build, run for real on the host: fetch the storage source from GCS and unpack it into the
 * workspace, run the steps (in order, or as `waitFor` allows) with the docker builder mapped to the
 * host's docker, push `images` and report their digests; the log goes to the logs bucket as it grows.
 */
export class EmulatedBuild {
  status: BuildStatus = 'QUEUED';
  readonly createTime = timestamp();
  startTime?: string;
  finishTime?: string;
  readonly steps: StepState[];
  readonly timing: Record<string, TimeSpan> = {};
  images: BuiltImage[] = [];
  sourceGeneration?: string;
  readonly log: BuildLog;
  ending?: Ending;
  private readonly running = new Map<number, ChildProcess>();
  private work = '';

  constructor(readonly options: EmulatedBuildOptions) {
    this.steps = options.spec.steps.map(() => ({ status: 'QUEUED' }));
    this.log = new BuildLog(options.gcs, options.spec.logsBucket, options.identity.buildId);
  }

  get id(): string {
    return this.options.identity.buildId;
  }

  get done(): boolean {
    return TERMINAL.has(this.status);
  }

  /** CancelBuild: ends the running steps' process groups; nothing after them runs. */
  cancel(): void {
    this.end({ status: 'CANCELLED' });
  }

  async run(): Promise<void> {
    const timer = setTimeout(() => this.end({ status: 'TIMEOUT' }), this.options.spec.timeoutSeconds * 1000);
    try {
      if (this.ending) return;
      this.status = 'WORKING';
      this.startTime = timestamp();
      this.log.add(`starting build "${this.id}"`);
      this.log.add('');
      if (await this.phase('FETCHSOURCE', () => this.fetchSource())) {
        if (await this.phase('BUILD', () => this.runSteps())) await this.phase('PUSH', () => this.push());
      }
    } catch (error) {
      // Something of the emulator's own broke (a temp folder, a spawn): Cloud Build's INTERNAL_ERROR.
      this.end({ status: 'INTERNAL_ERROR', detail: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
      await this.finish();
    }
  }

  private end(ending: Ending): void {
    if (this.ending || this.done) return;
    this.ending = ending;
    for (const child of this.running.values()) killGroup(child);
  }

  /** Runs one of FETCHSOURCE, BUILD, PUSH (named in the log and `timing`); false once the build is ending. */
  private async phase(name: string, body: () => Promise<void>): Promise<boolean> {
    if (this.ending) return false;
    if (name === 'PUSH' && this.options.spec.images.length === 0) return true;
    this.log.add(name);
    const span: TimeSpan = { startTime: timestamp() };
    this.timing[name] = span;
    await body();
    span.endTime = timestamp();
    return !this.ending;
  }

  private async fetchSource(): Promise<void> {
    const { bucket, object, generation } = this.options.spec.source;
    this.work = await mkdtemp(join(tmpdir(), 'stowage-cloudbuild-'));
    await Promise.all(['workspace', 'home/.docker', 'outputs'].map((d) => mkdir(join(this.work, d), { recursive: true })));
    await this.writeDockerConfig();
    this.log.add(`Fetching storage object: gs://${bucket}/${object}${generation ? `#${generation}` : ''}`);
    try {
      const source = await this.options.gcs.read(bucket, object, generation);
      if (source.generation) this.sourceGeneration = source.generation;
      const entries = await untarSource(source.body, join(this.work, 'workspace'));
      this.log.add(`Unpacked gs://${bucket}/${object}: ${entries} entries, ${source.body.length} bytes`);
    } catch (error) {
      const detail = `failed to fetch source gs://${bucket}/${object}: ${error instanceof Error ? error.message : String(error)}`;
      this.end({ status: 'FAILURE', failure: { type: 'FETCH_SOURCE_FAILED', detail } });
    }
  }

  /** The builder home's Docker config: the registries the build's service account may push to without a login. */
  private async writeDockerConfig(): Promise<void> {
    const auths = Object.fromEntries(this.options.registryLogins.map((l) => [l.registry, { auth: Buffer.from(`${l.username}:${l.password}`).toString('base64') }]));
    await writeFile(join(this.work, 'home/.docker/config.json'), JSON.stringify({ auths }), { mode: 0o600 });
  }

  /** Steps start when what they wait for has succeeded; after a failure nothing new starts. */
  private async runSteps(): Promise<void> {
    const outcomes: Promise<boolean>[] = [];
    this.options.spec.steps.forEach((_step, i) => {
      const deps = dependenciesOf(this.options.spec.steps, i).map((d) => outcomes[d]!);
      outcomes[i] = Promise.all(deps).then((oks) => (oks.every(Boolean) && !this.ending ? this.runStep(i) : false));
    });
    await Promise.all(outcomes);
  }

  private async runStep(index: number): Promise<boolean> {
    const spec = this.options.spec.steps[index]!;
    const state = this.steps[index]!;
    const label = stepLabel(index, spec.id);
    const secretEnv = this.secretEnvOf(spec);
    if (typeof secretEnv === 'string') {
      state.status = 'FAILURE';
      this.end({ status: 'FAILURE', failure: { type: 'USER_BUILD_STEP', detail: `build step ${index} "${spec.name}" failed: ${secretEnv}` } });
      return false;
    }
    state.status = 'WORKING';
    state.timing = { startTime: timestamp() };
    this.log.add(`Starting ${label}`);
    const env = { ...this.stepEnv(), ...envOf(this.options.spec.optionsEnv), ...envOf(spec.env), ...secretEnv };
    const track = (child: ChildProcess) => (this.ending ? killGroup(child) : this.running.set(index, child));
    const result = await runBuildStep({ index, spec, workspace: join(this.work, 'workspace'), env, log: (l) => this.log.add(l), onStart: track });
    this.running.delete(index);
    state.timing.endTime = timestamp();
    if (!result.ok && result.exitCode !== undefined) state.exitCode = result.exitCode;
    if (result.ok && !this.ending) {
      state.status = 'SUCCESS';
      this.log.add(`Finished ${label}`);
      return true;
    }
    if (this.ending) state.status = this.ending.status === 'CANCELLED' || this.ending.status === 'TIMEOUT' ? this.ending.status : 'CANCELLED';
    else {
      state.status = 'FAILURE';
      this.end({ status: 'FAILURE', failure: { type: 'USER_BUILD_STEP', detail: `build step ${index} "${spec.name}" failed: ${result.ok ? 'cancelled' : result.reason}` } });
    }
    return false;
  }

  /**
   * The step's `secretEnv`, read from Secret Manager as the build's service account when the step
   * is due (before it starts), or why one could not be read, in Cloud Build's words. Values are not
   * masked in the log: Cloud Build does not mask them either.
   */
  private secretEnvOf(spec: StepSpec): Record<string, string> | string {
    const values: Record<string, string> = {};
    for (const name of spec.secretEnv) {
      const versionName = this.options.spec.availableSecrets.find((s) => s.env === name)!.versionName;
      const read = this.options.secretManager.access(versionName);
      if (!read.ok) return `failed to access secret version for secret ${this.options.secretManager.numberedVersionName(versionName)}: rpc error: code = ${read.code} desc = ${read.message}`;
      values[name] = read.data.toString('utf8');
    }
    return values;
  }

  /** What every step starts from: the host's PATH and engine, the builder home (`/builder/home`), outputs. */
  private stepEnv(): Record<string, string> {
    const host = this.options.hostEnv;
    const pick = Object.fromEntries(['PATH', 'DOCKER_HOST', 'DOCKER_BUILDKIT', 'TMPDIR'].flatMap((k) => (host[k] ? [[k, host[k]!]] : [])));
    return { ...pick, HOME: join(this.work, 'home'), BUILDER_OUTPUT: join(this.work, 'outputs') };
  }

  private async push(): Promise<void> {
    const track = (child: ChildProcess) => (this.ending ? killGroup(child) : this.running.set(-1, child));
    const run = { cwd: join(this.work, 'workspace'), env: this.stepEnv(), log: (l: string) => this.log.add(l), onStart: track, stopped: () => this.ending !== undefined };
    const pushed = await pushImages(this.options.spec.images, run);
    this.running.delete(-1);
    this.images = pushed.images;
    if (pushed.failure) this.end({ status: 'FAILURE', failure: pushed.failure });
  }

  /** The last log lines, the final log write, then the terminal status (so a reader who sees it has the whole log). */
  private async finish(): Promise<void> {
    const ending = this.ending;
    if (!ending) this.log.add('DONE');
    else if (ending.status === 'FAILURE') this.log.add('ERROR', `ERROR: ${ending.failure.detail}`);
    else if (ending.status === 'INTERNAL_ERROR') this.log.add('ERROR', `ERROR: ${ending.detail}`);
    else if (ending.status === 'TIMEOUT') this.log.add('TIMEOUT', 'ERROR: context deadline exceeded');
    for (const step of this.steps) if (step.status === 'WORKING') step.status = ending?.status === 'TIMEOUT' ? 'TIMEOUT' : 'CANCELLED';
    if (this.work) await rm(this.work, { recursive: true, force: true });
    await this.log.close();
    this.finishTime = timestamp();
    this.status = ending?.status ?? 'SUCCESS';
  }
}
