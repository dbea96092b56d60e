import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CloudBuildClient, type protos } from '@google-cloud/cloudbuild';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { OAuth2Client } from 'google-auth-library';
import { GcsEmulator } from '@stowage/gcs-emulator';
import { CloudBuildEmulator, type CloudBuildEmulatorOptions } from '../CloudBuildEmulator.js';
import { DOCKER_BUILDER } from '../runBuildStep.js';
import { tarGzContext, type ContextFile } from '../tarGzContext.js';

export type Build = protos.google.devtools.cloudbuild.v1.IBuild;
export type BuildStep = protos.google.devtools.cloudbuild.v1.IBuildStep;
export const PROJECT = 'stowage-test';

/** What the tests read of a long-running operation (google-gax's LROperation). */
export interface BuildOperation {
  name?: string | null;
  done?: boolean | null;
  metadata?: unknown;
  result?: unknown;
  error?: { code?: number; message?: string } | null;
}
export const SOURCES = 'stowage-sources';
export const LOGS = 'stowage-logs';

/** A step of the docker builder whose entrypoint is bash: runs `script` on the host. */
export const bash = (script: string, extra: BuildStep = {}): BuildStep => ({ name: DOCKER_BUILDER, entrypoint: 'bash', args: ['-c', script], ...extra });

/** The GCS emulator and the Cloud Build emulator, driven by the real `@google-cloud/cloudbuild` client. */
export class EmulatorBed {
  private readonly clients: (CloudBuildClient | SecretManagerServiceClient)[] = [];

  private constructor(
    readonly gcs: GcsEmulator,
    readonly emulator: CloudBuildEmulator,
    /** The user's access token (what the client sends); the builds' service account has its own. */
    readonly token: string,
  ) {}

  static async start(options: Partial<CloudBuildEmulatorOptions> = {}): Promise<EmulatorBed> {
    const token = `ya29.user-${randomBytes(6).toString('hex')}`;
    const buildToken = `ya29.cloudbuild-${randomBytes(6).toString('hex')}`;
    const gcs = await GcsEmulator.start({ trust: { accessTokens: [token, buildToken] }, buckets: [SOURCES, LOGS] });
    const emulator = await CloudBuildEmulator.start({ trust: { accessTokens: [token] }, gcs: { endpoint: gcs.endpoint, token: buildToken }, ...options });
    return new EmulatorBed(gcs, emulator, token);
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
    await this.emulator?.stop();
    await this.gcs?.stop();
  }

  /** The real client over REST, with an access token as its auth client (never ADC). */
  client(token = this.token): CloudBuildClient {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: token });
    const client = new CloudBuildClient({ fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port: this.emulator.port, authClient });
    this.clients.push(client);
    return client;
  }

  /** The real Secret Manager client over REST, on the emulator's port, with an access token as its auth client. */
  secretManager(token = this.token): SecretManagerServiceClient {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: token });
    const client = new SecretManagerServiceClient({ fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port: this.emulator.port, authClient });
    this.clients.push(client);
    return client;
  }

  /** Stages a tar.gz of `files` in the sources bucket; the storage source of a build. */
  stage(files: Record<string, ContextFile>): Promise<{ bucket: string; object: string }> {
    return this.stageBytes(tarGzContext(files));
  }

  async stageBytes(bytes: Buffer | Promise<Buffer>): Promise<{ bucket: string; object: string }> {
    const object = `contexts/${randomBytes(6).toString('hex')}.tar.gz`;
    this.gcs.putObject(SOURCES, object, await bytes, { contentType: 'application/gzip' });
    return { bucket: SOURCES, object };
  }

  /** createBuild in the project (or a location of it) with a staged source and the logs bucket. */
  async create(files: Record<string, ContextFile>, build: Build, location?: string): Promise<BuildOperation> {
    const source = { storageSource: await this.stage(files) };
    const request = { source, logsBucket: `gs://${LOGS}`, ...build };
    const [operation] = await this.client().createBuild(location ? { parent: `projects/${PROJECT}/locations/${location}`, build: request } : { projectId: PROJECT, build: request });
    return operation;
  }

  /** Follows the operation (GET on its name) until done; returns the last answer. */
  async finished(operationName: string): Promise<BuildOperation> {
    const client = this.client();
    for (;;) {
      const operation = await client.checkCreateBuildProgress(operationName);
      if (operation.done) return operation;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Follows the operation of a created build until done, then reads the build with GetBuild. */
  async finalBuild(created: BuildOperation, location?: string): Promise<Build> {
    await this.finished(created.name!);
    const id = (created.metadata as { build: Build }).build.id!;
    const [build] = await this.client().getBuild(location ? { name: `projects/${PROJECT}/locations/${location}/builds/${id}` } : { projectId: PROJECT, id });
    return build;
  }

  /** The log object a build wrote to the logs bucket, as lines. */
  logObject(id: string): string[] | undefined {
    return this.gcs.readObject(LOGS, `log-${id}.txt`)?.toString('utf8').replace(/\n$/, '').split('\n');
  }
}

/** Whether a process is alive (a zombie whose parent is gone counts as dead). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
