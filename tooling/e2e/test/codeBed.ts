/**
 * The test bed of the code e2e tests (issue 9, "Code that reaches the container"), all on
 * 127.0.0.1:
 * - `@stowage/forge`: a GitHub emulator with real git over HTTP, serving `acme/demo` as a
 *   private repository with a token. Pushes go through real `git` and the test git config's
 *   `insteadOf` rules, so the checkout's remote stays `https://github.com/acme/demo.git`.
 * - s3rver 3.7.1 as the S3 artifact store. It checks the access key id and a presigned URL's
 *   expiry but verifies NO signature: these tests prove requests, bytes and URL shapes, not
 *   that AWS would accept the signatures. It also serves anonymous requests, which the tests
 *   use to list, read and overwrite objects behind Stowage's back.
 * - projects that are real git checkouts of the repository, with the workspace plugins linked
 *   into a `node_modules/` ABOVE the checkout (Stowage resolves plugins from the project folder
 *   up, as Node does).
 *
 * The `stowage` CLI runs as a subprocess with {@link CodeBed.cliEnv}: the same loopback guard
 * as the test process (preloaded), no AWS profile or metadata service, and no git config but
 * the repository's own (the test git config's `insteadOf` rules would show `git remote -v` the
 * forge's loopback URL instead of github.com).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Forge, WorkTree, writeTestGitConfig, type TestGitConfig } from '@stowage/forge';
import S3rver from 's3rver';
import { e2eDockerCli } from '../src/harness.js';
import { writeYaml, type Yaml } from './projects.js';
import { REPO_ROOT } from './runStowage.js';

/** The repository's token (the forge's private `acme/demo` needs it for everything). */
export const TOKEN = 'ghp_e2eCodeToken0123456789abcdef';
export const REMOTE = 'https://github.com/acme/demo.git';
export const BUCKET = 'stowage-e2e';
/** The store's folder in the bucket: code archives go to `<bucket>/<folder>/code_uploads/`. */
export const STORE_FOLDER = 'stowage';
/** s3rver's one account: it checks the access key id, and verifies no SigV4 signature at all. */
const S3RVER_KEY = 'S3RVER';

const PRELOAD = fileURLToPath(new URL('./loopbackGuard.preload.mjs', import.meta.url));

/** s3rver on 127.0.0.1 (port 0) in a temp folder, with one bucket; every request is recorded as `METHOD /path?query`. */
export class S3Bed {
  readonly requests: string[] = [];
  endpoint = '';
  private server?: S3rver;
  private dir = '';

  async start(): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'stowage-e2e-s3rver-'));
    this.server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: this.dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    const { port } = await this.server.run();
    // s3rver keeps its http.Server here; listening first lets the bed see every request.
    (this.server as unknown as { httpServer: Server }).httpServer.prependListener('request', (req) => this.requests.push(`${req.method} ${req.url}`));
    this.endpoint = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close().catch(() => undefined);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** The `artifact_store:` of a stack on this bed (the checksum modes s3rver needs, path-style). */
  storeConfig(): Yaml {
    return {
      flavor: 's3',
      path: `s3://${BUCKET}/${STORE_FOLDER}`,
      endpoint: this.endpoint,
      region: 'us-east-1',
      force_path_style: true,
      access_key_id: S3RVER_KEY,
      secret_access_key: '${E2E_S3_SECRET}',
      request_checksum_calculation: 'when_required',
      response_checksum_validation: 'when_required',
    };
  }

  /** Keys (relative to the bucket) below `prefix`, from an anonymous ListObjectsV2. */
  async keys(prefix = `${STORE_FOLDER}/`): Promise<string[]> {
    const res = await fetch(`${this.endpoint}/${BUCKET}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
    if (!res.ok) throw new Error(`s3rver list ${prefix}: HTTP ${res.status}: ${await res.text()}`);
    return [...(await res.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!).sort();
  }

  async get(key: string): Promise<Buffer> {
    const res = await fetch(`${this.endpoint}/${BUCKET}/${key}`);
    if (!res.ok) throw new Error(`s3rver GET ${key}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** Writes an object behind Stowage's back (an anonymous PUT). */
  async put(key: string, body: Buffer | string): Promise<void> {
    const res = await fetch(`${this.endpoint}/${BUCKET}/${key}`, { method: 'PUT', body });
    if (!res.ok) throw new Error(`s3rver PUT ${key}: HTTP ${res.status}: ${await res.text()}`);
  }

  /**
   * Holds every write (PUT, or a multipart upload's POST) whose path matches `path` until the bed
   * stops: they never reach s3rver. `held` resolves when the first one arrives, so a test can act
   * (send a signal) while an upload is in flight.
   */
  holdWrites(path: RegExp): { held: Promise<void> } {
    const server = (this.server as unknown as { httpServer: Server }).httpServer;
    const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (/^(PUT|POST)$/.test(req.method ?? '') && path.test(req.url ?? '')) {
        this.requests.push(`${req.method} ${req.url} (held)`);
        arrived();
        return;
      }
      for (const listener of listeners) listener.call(server, req, res);
    });
    return { held };
  }

  /** Requests since `from` that wrote an object (PUT, or a multipart upload's POST). */
  writesSince(from: number): string[] {
    return this.requests.slice(from).filter((r) => /^(PUT|POST) /.test(r));
  }
}

/** A project that is a git checkout of acme/demo: `dir` (the source root, where stowage.yaml is) is `pipelines/` inside `checkout`. */
export interface CodeProject {
  /** Temp folder holding `node_modules/` and the checkout. */
  root: string;
  checkout: WorkTree;
  dir: string;
  pipeline: string;
}

export class CodeBed {
  private constructor(
    readonly forge: Forge,
    readonly s3: S3Bed,
    readonly git: TestGitConfig,
    readonly scratch: string,
  ) {}

  static async start(): Promise<CodeBed> {
    const scratch = await mkdtemp(join(tmpdir(), 'stowage-e2e-code-'));
    const forge = await Forge.start();
    const s3 = await new S3Bed().start().catch(async (error: unknown) => {
      await forge.stop();
      throw error;
    });
    await forge.createRepository({ kind: 'github', path: 'acme/demo', private: true, token: TOKEN });
    const git = await writeTestGitConfig(forge, join(scratch, 'gitconfig'));
    // The default branch exists from the start; each project then pushes to a branch of its own.
    const seed = await WorkTree.init(join(scratch, 'seed'), git, REMOTE);
    await seed.commit('seed', { 'README.md': '# demo\n' });
    await seed.push();
    return new CodeBed(forge, s3, git, scratch);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.forge.stop(), this.s3.stop()]);
    if (!process.env['STOWAGE_E2E_KEEP']) await rm(this.scratch, { recursive: true, force: true });
  }

  /** The CLI's environment: tokens, the preloaded loopback guard, no AWS or git setup of this machine. */
  cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {};
    for (const name of Object.keys(process.env)) if (/^(AWS_|GIT_)/.test(name)) env[name] = undefined;
    return {
      ...env,
      GITHUB_TOKEN: TOKEN,
      E2E_S3_SECRET: S3RVER_KEY,
      NODE_OPTIONS: `--import=${PRELOAD}`,
      AWS_EC2_METADATA_DISABLED: 'true',
      METADATA_SERVER_DETECTION: 'none',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/stowage-e2e/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/stowage-e2e/aws-credentials',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      ...extra,
    };
  }

  /** The `code_repositories:` entry of acme/demo on the forge. */
  repositoryConfig(extra: Yaml = {}): Yaml {
    return { name: 'demo', flavor: 'github', owner: 'acme', repository: 'demo', api_url: this.forge.githubApiUrl(), token: '${GITHUB_TOKEN}', token_env: 'GITHUB_TOKEN', ...extra };
  }

  /** A stowage.yaml with the repository registered and an s3 stack on this bed; `edit` changes it. */
  config(pipeline: string, edit: (c: Yaml) => void = () => undefined): Yaml {
    const config: Yaml = {
      pipeline: { name: pipeline, python_version: '3.11' },
      settings: {
        docker: {
          python_package_installer: 'pip',
          // The s3 store adds ZenML's s3 integration (s3fs, boto3), which the offline index lacks.
          install_stack_requirements: false,
        },
      },
      steps: { hello: { command: ['python', 'hello.py'] } },
      plugins: ['@stowage/code-repository-github', '@stowage/artifact-store-s3'],
      code_repositories: [this.repositoryConfig()],
      stacks: { s3: { image_builder: { flavor: 'local' }, artifact_store: this.s3.storeConfig() } },
      active_stack: 's3',
    };
    edit(config);
    return config;
  }

  /**
   * A new checkout of acme/demo (`git init` + `origin`), with the workspace plugins linked in
   * `<root>/node_modules`, `pipelines/stowage.yaml` from {@link config} and the step's code
   * (version `v1`). Nothing is committed yet.
   */
  async project(label: string, pipeline: string, edit?: (c: Yaml) => void): Promise<CodeProject> {
    const root = await mkdtemp(join(tmpdir(), `stowage-e2e-code-${label}-`));
    await linkPlugins(root, ['code-repository-github', 'artifact-store-s3']);
    const checkout = await WorkTree.init(join(root, 'demo'), this.git, REMOTE);
    // `.stowage/` (build records) must be ignored by git, or the first build makes the checkout dirty.
    await checkout.write({ 'README.md': '# demo\n', '.gitignore': '.stowage/\n__pycache__/\n', ...stepCode('v1') });
    const dir = join(checkout.dir, 'pipelines');
    await writeYaml(dir, this.config(pipeline, edit));
    return { root, checkout, dir, pipeline };
  }

  /**
   * Commits everything and pushes it to the project's own branch `e2e/<pipeline>` (not the
   * default branch: projects of one test file share the repository, and their histories are
   * unrelated); returns the commit.
   */
  async commitAndPush(project: CodeProject, message: string, files: Record<string, string> = {}): Promise<string> {
    const sha = await project.checkout.commit(message, files);
    await project.checkout.push(`HEAD:refs/heads/e2e/${project.pipeline}`);
    return sha;
  }
}

/** The step's code (in `pipelines/`): `hello.py` prints one JSON line with the version of the package beside it. */
export function stepCode(version: string): Record<string, string> {
  return {
    'pipelines/hello.py': [
      'import json, os, sys',
      'from demo_code import VERSION  # a package of the code folder: it must be on sys.path',
      'print(json.dumps({"version": VERSION, "cwd": os.getcwd(), "args": sys.argv[1:], "pythonpath": os.environ.get("PYTHONPATH", "")}))',
      '',
    ].join('\n'),
    'pipelines/demo_code/__init__.py': `VERSION = ${JSON.stringify(version)}\n`,
  };
}

/** `<root>/node_modules/@stowage/<name>` → the workspace package (its TS sources load under the dev CLI's `@stowage/source` condition). */
async function linkPlugins(root: string, names: readonly string[]): Promise<void> {
  await mkdir(join(root, 'node_modules', '@stowage'), { recursive: true });
  for (const name of names) await symlink(join(REPO_ROOT, 'plugins', name), join(root, 'node_modules', '@stowage', name));
}

/**
 * A `docker` first on PATH that runs the real one, except that `docker run` keeps its container
 * (no `--rm`) and writes its id to `cidFile`: `stowage run` stays the real command, and the test
 * can look at the container's file system afterwards (`docker diff`).
 */
export async function keepContainerShim(dir: string): Promise<{ path: string; cidFile: string }> {
  const bin = join(dir, 'shim-bin');
  const cidFile = join(dir, 'container.id');
  await mkdir(bin, { recursive: true });
  const script = [
    '#!/bin/sh',
    'if [ "$1" = run ]; then',
    '  shift',
    '  for a; do shift; [ "$a" = --rm ] || set -- "$@" "$a"; done',
    `  exec ${e2eDockerCli()} run --cidfile '${cidFile}' "$@"`,
    'fi',
    `exec ${e2eDockerCli()} "$@"`,
    '',
  ].join('\n');
  await writeFile(join(bin, 'docker'), script, { mode: 0o755 });
  return { path: `${bin}:${process.env['PATH'] ?? ''}`, cidFile };
}
