import type { Readable } from 'node:stream';
import { CodeBuildEmulator, S3Bed, TEST_CREDENTIALS, zipContext, type ContextFile } from '@stowage/aws-codebuild-emulator';
import { MANIFEST_ACCEPT } from '@stowage/oci';
import type { ArtifactLocation, BuildEvent, ContainerRegistry, ImageBuildRequest, RegistryAuth, RegistryAuthScope } from '@stowage/plugin-api';
import { AwsCodeBuildImageBuilder } from '../AwsCodeBuildImageBuilder.js';
import { AwsCodeBuildImageBuilderConfigSchema } from '../config.js';
import { createCodeBuildClients } from '../createCodeBuildClients.js';

/** A registry component answering `auth` with `answer` and reading digests over the v2 API. */
export class LoopbackRegistry implements ContainerRegistry {
  readonly scopes: RegistryAuthScope[] = [];
  readonly prepared: string[] = [];
  constructor(readonly answer: RegistryAuth = { type: 'anonymous' }) {}
  async auth(scope: RegistryAuthScope): Promise<RegistryAuth> {
    this.scopes.push(scope);
    return this.answer;
  }
  async imageExists(): Promise<'unknown'> {
    return 'unknown';
  }
  async prepareRepository(repository: string): Promise<void> {
    this.prepared.push(repository);
  }
  async resolveDigest(reference: string): Promise<string | undefined> {
    const [, host, repository, tag] = /^([^/]+)\/(.+):([^:/]+)$/.exec(reference)!;
    const basic: Record<string, string> = this.answer.type === 'basic' ? { authorization: `Basic ${Buffer.from(`${this.answer.username}:${this.answer.password}`).toString('base64')}` } : {};
    const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT, ...basic } });
    return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
  }
}

/** s3rver, the CodeBuild/Logs/SSM/Secrets Manager emulator, and builders on them driven by the real SDK clients. */
export class CodeBuildBed {
  private constructor(
    readonly s3: S3Bed,
    readonly emulator: CodeBuildEmulator,
  ) {}

  static async start(): Promise<CodeBuildBed> {
    const s3 = await S3Bed.start();
    return new CodeBuildBed(s3, await CodeBuildEmulator.start({ s3: s3.source }));
  }

  async stop(): Promise<void> {
    await this.emulator.stop();
    await this.s3.stop();
  }

  /** A builder config of the flavor for this bed (overrides win). */
  config(extra: Record<string, unknown> = {}) {
    return AwsCodeBuildImageBuilderConfigSchema.parse({
      code_build_project: 'stowage',
      region: 'us-east-1',
      endpoint: this.emulator.endpoint,
      logs_endpoint: this.emulator.endpoint,
      ssm_endpoint: this.emulator.endpoint,
      access_key_id: TEST_CREDENTIALS.accessKeyId,
      secret_access_key: TEST_CREDENTIALS.secretAccessKey,
      poll_interval_seconds: 0.1,
      ...extra,
    });
  }

  builder(registry: ContainerRegistry, extra: Record<string, unknown> = {}, secrets: string[] = []): AwsCodeBuildImageBuilder {
    const config = this.config(extra);
    const handle = { flavor: 'oci', description: { uri: '127.0.0.1:5000' }, get: async () => registry };
    return new AwsCodeBuildImageBuilder(createCodeBuildClients(config, { add: (s) => secrets.push(s) }), config, handle);
  }

  /** Stages a ZIP of `files` as the plan's stage-context step does (real S3 client, s3rver). */
  async stage(files: Record<string, ContextFile>): Promise<ArtifactLocation> {
    const path = `stowage/contexts/${crypto.randomUUID()}.zip`;
    await this.s3.put(path, await zipContext(files));
    return { uri: `s3://${this.s3.bucket}/${path}`, scheme: 's3', bucket: this.s3.bucket, path };
  }
}

export type TestRequest = ImageBuildRequest & { events: BuildEvent[]; controller: AbortController };

/** A request for a staged context; the tar context must never be opened by a builder that stages. */
export function buildRequest(imageName: string, stagedContext: ArtifactLocation | undefined, extra: Partial<ImageBuildRequest> = {}): TestRequest {
  const events: BuildEvent[] = [];
  const controller = new AbortController();
  const context = {
    open: (): Readable => {
      throw new Error('aws-codebuild must read the staged context, not the tar stream');
    },
    digest: async () => 'sha256:' + '0'.repeat(64),
  };
  return { imageName, context, stagedContext, options: {}, builderOptions: {}, push: true, signal: controller.signal, onEvent: (e) => events.push(e), events, controller, ...extra };
}
