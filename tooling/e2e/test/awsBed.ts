/**
 * The test bed of the AWS stack e2e test (issue 10), all on 127.0.0.1 and started per file:
 * - s3rver (the {@link S3Bed} of the code tests) as the stack's `s3` artifact store, where the
 *   plan's `stage-context` step uploads each build context as a ZIP and code archives go;
 * - `@stowage/aws-ecr-emulator`: the ECR API (SigV4 verified against the test keys) and a real
 *   Debian `docker-registry` with the htpasswd user `AWS` whose password is the emulator's token;
 *   the stack's registry `uri` is that registry's loopback address;
 * - `@stowage/aws-codebuild-emulator`: CodeBuild + CloudWatch Logs + SSM Parameter Store +
 *   Secrets Manager (SigV4 verified). A build fetches its ZIP from s3rver, reads its
 *   PARAMETER_STORE / SECRETS_MANAGER variables from the emulated stores, and runs the buildspec ON
 *   THE HOST with `/bin/sh` (`build_image` cannot be pulled here), so `docker build`/`docker push`
 *   use the local engine and push to the ECR-emulated registry (or the harness's basic-auth
 *   registry, stack `aws-oci`). `docker` in the builds' PATH is the harness's CLI
 *   (`/usr/bin/docker`, 20.10, classic builder): the docker 28 client first on this machine's PATH
 *   has no buildx.
 *
 * The CLI runs as a subprocess with {@link AwsBed.cliEnv}: the loopback guard preloaded, no AWS
 * profile/metadata service of this machine, and the test keys in `${VAR}`s of the config.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeBuildEmulator, TEST_CREDENTIALS } from '@stowage/aws-codebuild-emulator';
import { EcrEmulator, HtpasswdRegistry } from '@stowage/aws-ecr-emulator';
import { e2eDockerCli } from '../src/harness.js';
import { S3Bed } from './codeBed.js';
import type { Yaml } from './projects.js';
import { REPO_ROOT } from './runStowage.js';

const PRELOAD = fileURLToPath(new URL('./loopbackGuard.preload.mjs', import.meta.url));
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** The CodeBuild project the emulator knows. */
export const PROJECT = 'stowage-e2e-builds';
/** The ECR repository images go to (the registry's `default_repository`). */
export const REPOSITORY = 'stowage-e2e';
/** The repository of the `aws-oci` stack on the harness's basic-auth registry. */
export const OCI_REPOSITORY = 'stowage-e2e-aws';
/** The Secrets Manager secret holding the basic-auth registry's login (`registry_credentials_secret`). */
export const REGISTRY_SECRET = 'stowage-e2e/registry';
/** Where the builder keeps each build's temporary registry password (its default `parameter_store_prefix`). */
export const PARAMETER_PREFIX = '/stowage/codebuild/';

export class AwsBed {
  /** The registry login the ECR emulator hands out (password of the htpasswd user `AWS`). */
  readonly token = `ecr-token-${randomBytes(8).toString('hex')}`;
  s3!: S3Bed;
  registry!: HtpasswdRegistry;
  ecr!: EcrEmulator;
  codebuild!: CodeBuildEmulator;
  scratch = '';

  static async start(): Promise<AwsBed> {
    const bed = new AwsBed();
    try {
      bed.scratch = await mkdtemp(join(tmpdir(), 'stowage-e2e-aws-'));
      bed.s3 = await new S3Bed().start();
      bed.registry = await HtpasswdRegistry.start({ password: bed.token });
      // One test account for every AWS API: the ECR emulator accepts the CodeBuild emulator's key pair.
      bed.ecr = await EcrEmulator.start({ registry: { address: bed.registry.address, password: bed.token }, credentials: [TEST_CREDENTIALS], accountId: ACCOUNT, region: REGION });
      // The builds' `docker` is the harness's CLI (a shim first on their PATH).
      const bin = join(bed.scratch, 'build-bin');
      await mkdir(bin, { recursive: true });
      await writeFile(join(bin, 'docker'), `#!/bin/sh\nexec ${e2eDockerCli()} "$@"\n`);
      await chmod(join(bin, 'docker'), 0o755);
      bed.codebuild = await CodeBuildEmulator.start({
        s3: { endpoint: bed.s3.endpoint, region: REGION, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
        projects: [PROJECT],
        region: REGION,
        hostEnv: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, DOCKER_BUILDKIT: '0' },
      });
      return bed;
    } catch (error) {
      await bed.stop();
      throw error;
    }
  }

  /** Stops only what {@link start} started (each emulator, the registry by its own pid, s3rver) and removes the scratch folder. */
  async stop(): Promise<void> {
    await this.codebuild?.stop().catch(() => undefined);
    await this.ecr?.stop().catch(() => undefined);
    await this.registry?.stop().catch(() => undefined);
    await this.s3?.stop();
    if (this.scratch && !process.env['STOWAGE_E2E_KEEP']) await rm(this.scratch, { recursive: true, force: true });
  }

  /** The CLI's environment: the test keys as `${VAR}`s, the preloaded loopback guard, no AWS setup of this machine. */
  cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {};
    for (const name of Object.keys(process.env)) if (/^AWS_/.test(name)) env[name] = undefined;
    return {
      ...env,
      E2E_S3_SECRET: 'S3RVER',
      E2E_AWS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      // The same test key pair, in one variable per component (so a test can break one).
      E2E_CODEBUILD_SECRET: TEST_CREDENTIALS.secretAccessKey,
      E2E_ECR_SECRET: TEST_CREDENTIALS.secretAccessKey,
      NODE_OPTIONS: `--import=${PRELOAD}`,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/stowage-e2e/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/stowage-e2e/aws-credentials',
      ...extra,
    };
  }

  /** The `aws` stack: CodeBuild + ECR (the loopback registry as `uri`) + S3, keys as `${VAR}`s. */
  stack(): Yaml {
    return {
      image_builder: {
        flavor: 'aws-codebuild',
        code_build_project: PROJECT,
        region: REGION,
        endpoint: this.codebuild.endpoint,
        logs_endpoint: this.codebuild.endpoint,
        access_key_id: '${E2E_AWS_KEY_ID}',
        secret_access_key: '${E2E_CODEBUILD_SECRET}',
        ssm_endpoint: this.codebuild.endpoint,
        poll_interval_seconds: 0.5,
      },
      container_registry: {
        flavor: 'aws-ecr',
        uri: this.registry.address,
        default_repository: REPOSITORY,
        region: REGION,
        endpoint: this.ecr.endpoint,
        access_key_id: '${E2E_AWS_KEY_ID}',
        secret_access_key: '${E2E_ECR_SECRET}',
      },
      artifact_store: this.s3.storeConfig(),
    };
  }

  /**
   * The `aws-oci` stack: the same builder and store, the harness's basic-auth registry as an `oci`
   * registry (its login in `${VAR}`s for Stowage's own registry calls), and the builder reading the
   * login for `docker login` from Secrets Manager ({@link addRegistrySecret}).
   */
  ociStack(authRegistry: string): Yaml {
    const { image_builder, artifact_store } = this.stack();
    return {
      image_builder: { ...image_builder, registry_credentials_secret: REGISTRY_SECRET },
      container_registry: { flavor: 'oci', uri: authRegistry, default_repository: OCI_REPOSITORY, username: '${E2E_REGISTRY_USER}', password: '${E2E_REGISTRY_PASSWORD}' },
      artifact_store,
    };
  }

  /** Stores the basic-auth registry's login as the {@link REGISTRY_SECRET} JSON secret. */
  addRegistrySecret(username: string, password: string): void {
    this.codebuild.secrets.add(REGISTRY_SECRET, JSON.stringify({ username, password }));
  }

  /** CodeBuild and CloudWatch Logs operations received so far (`StartBuild`, `StopBuild`, …), rejected ones marked. */
  codebuildOps(from = 0): string[] {
    return this.ops(from, /^(CodeBuild_20161006|Logs_20140328)\./);
  }

  /** SSM Parameter Store operations received so far (`PutParameter`, `DeleteParameter`), rejected ones marked. */
  ssmOps(from = 0): string[] {
    return this.ops(from, /^AmazonSSM\./);
  }

  /** Temporary parameters of the builder that still exist. */
  leftParameters(): string[] {
    return this.codebuild.parameters.names().filter((n) => n.startsWith(PARAMETER_PREFIX));
  }

  private ops(from: number, service: RegExp): string[] {
    return this.codebuild.calls
      .slice(from)
      .filter((c) => service.test(c.target))
      .map((c) => `${c.target.replace(/^.*\./, '')}${c.rejected ? ` rejected: ${c.rejected}` : ''}`);
  }

  startBuilds(from = 0): string[] {
    return this.codebuildOps(from).filter((op) => op.startsWith('StartBuild'));
  }

  /** Tags of a repository of the registry (with the ECR login), [] when it has none. */
  async tags(repository = REPOSITORY): Promise<string[]> {
    const res = await fetch(`http://${this.registry.address}/v2/${repository}/tags/list`, { headers: this.authHeader() });
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`registry tags of ${repository}: HTTP ${res.status}`);
    return (((await res.json()) as { tags: string[] | null }).tags ?? []).sort();
  }

  /** The digest the registry serves for `name` (`host:port/repo:tag`), undefined when absent (the ECR login unless `login` is given). */
  async registryDigest(name: string, login?: { username: string; password: string }): Promise<string | undefined> {
    const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(name);
    if (!m) throw new Error(`not host/repository:tag: ${name}`);
    const accept = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'].join(', ');
    const res = await fetch(`http://${m[1]}/v2/${m[2]}/manifests/${m[3]}`, { method: 'HEAD', headers: { accept, ...this.authHeader(login) } });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`registry HEAD ${name}: HTTP ${res.status}`);
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  private authHeader(login = { username: 'AWS', password: this.token }): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` };
  }
}

/** `<root>/node_modules/@stowage/<name>` → the workspace plugins (Stowage resolves plugins from the project folder up). */
export async function linkAwsPlugins(root: string): Promise<void> {
  await mkdir(join(root, 'node_modules', '@stowage'), { recursive: true });
  for (const name of ['image-builder-aws-codebuild', 'container-registry-aws-ecr', 'artifact-store-s3', 'container-registry-oci']) {
    await symlink(join(REPO_ROOT, 'plugins', name), join(root, 'node_modules', '@stowage', name));
  }
}
