import { createHash, randomUUID } from 'node:crypto';
import type { GoogleBearerTrust } from '@stowage/gcp-auth-emulator';
import { parseBuildRequest, type BuildIdentity } from './BuildRequest.js';
import { buildResource, operationResource, withIntEnums } from './buildResource.js';
import { EmulatedBuild, type RegistryLogin } from './EmulatedBuild.js';
import { GcsAccess, type GcsEndpoint } from './GcsAccess.js';
import { GoogleApiError } from './GoogleApiError.js';
import { GoogleRestServer, type ReceivedCall, type RestRequest, type RestRoute } from './GoogleRestServer.js';
import { SecretManager } from './SecretManager.js';

export interface CloudBuildEmulatorOptions {
  /** The tokens and service accounts the API accepts (checked with `verifyGoogleBearer`). */
  trust: GoogleBearerTrust;
  /** Where builds read their storage source and write their logs, as the build's service account. */
  gcs: GcsEndpoint;
  /** Projects that exist (default `stowage-test`); any location of them may be used. */
  projects?: readonly string[];
  /** Environment the steps start from (default: this process's): PATH finds `docker`, DOCKER_HOST the engine. */
  hostEnv?: Readonly<Record<string, string | undefined>>;
  /** Registries the builds may push to without a login step (Cloud Build's implicit auth to the project's GCR / Artifact Registry). */
  registryLogins?: readonly RegistryLogin[];
}

const ID = '([^/:]+)';
const LOCATION = /^(global|[a-z]+-[a-z]+[0-9]+)$/;

/** A 12-digit project number, fixed per project id (what `$PROJECT_NUMBER` and console links use). */
export const projectNumberOf = (projectId: string) => String(BigInt(`0x${createHash('sha256').update(projectId).digest('hex').slice(0, 12)}`) % 10n ** 12n).padStart(12, '1');

/**
 * Cloud Build REST v1 on a loopback port, for the real `@google-cloud/cloudbuild` client:
 * builds create / get / cancel and operation get, global and regional paths, bearer tokens
 * verified; builds run on the host (see {@link EmulatedBuild}). Secret Manager REST v1 answers on
 * the same port ({@link secretManager}): builds read their `availableSecrets` from it.
 */
export class CloudBuildEmulator {
  /** Builds by `<project>/<location>/<id>`. */
  readonly builds = new Map<string, EmulatedBuild>();
  /** Secret Manager of the emulator's projects (`/v1/projects/{p}/secrets…` on this port). */
  readonly secretManager: SecretManager;
  port = 0;
  private readonly operations = new Map<string, EmulatedBuild>();
  private readonly server: GoogleRestServer;
  private readonly running = new Set<Promise<void>>();
  private readonly projects: ReadonlySet<string>;
  private readonly gcs: GcsAccess;
  private readonly denied = new Set<'cloudbuild.builds.create'>();

  constructor(private readonly options: CloudBuildEmulatorOptions) {
    this.projects = new Set(options.projects ?? ['stowage-test']);
    this.gcs = new GcsAccess(options.gcs);
    this.secretManager = new SecretManager(this.projects, projectNumberOf);
    this.server = new GoogleRestServer([...this.routes(), ...this.secretManager.routes()], options.trust);
  }

  static async start(options: CloudBuildEmulatorOptions): Promise<CloudBuildEmulator> {
    const emulator = new CloudBuildEmulator(options);
    emulator.port = await emulator.server.listen();
    return emulator;
  }

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every request received, in order, with the principal or the error status. */
  get calls(): readonly ReceivedCall[] {
    return this.server.calls;
  }

  /** A build by id, whatever its project or location. */
  build(id: string): EmulatedBuild | undefined {
    return [...this.builds.values()].find((b) => b.id === id);
  }

  /** From now on CreateBuild answers 403 PERMISSION_DENIED, as for credentials without `cloudbuild.builds.create`. */
  deny(permission: 'cloudbuild.builds.create'): void {
    this.denied.add(permission);
  }

  /** Lifts every {@link deny} (of Cloud Build; Secret Manager has its own). */
  allowAll(): void {
    this.denied.clear();
  }

  /**
   * Everything Cloud Build was sent, keeps or shows, as one text: the body (and query) of every
   * Cloud Build request, every build as GetBuild answers it, and every log line. Secret Manager
   * requests are not in it (they go to another Google API, which keeps secrets); a request no
   * route matched is.
   */
  cloudBuildTranscript(): string {
    const requests = this.calls.filter((c) => c.service !== 'secretmanager').map((c) => `${c.method} ${c.path}?${c.query}\n${c.body}`);
    const builds = [...this.builds.values()].map((b) => JSON.stringify(buildResource(b)));
    const logs = [...this.builds.values()].flatMap((b) => b.log.lines);
    return [...requests, ...builds, ...logs].join('\n');
  }

  /** The log lines of a build (what `logUrl` shows), as written to its logs bucket. */
  logLines(id: string): string[] {
    return [...(this.build(id)?.log.lines ?? [])];
  }

  /** Cancels running builds, waits for them, and closes the port. */
  async stop(): Promise<void> {
    for (const build of this.builds.values()) build.cancel();
    await Promise.all(this.running);
    await this.server.close();
  }

  private routes(): RestRoute[] {
    const global = (rest: string) => new RegExp(`^/v1/projects/${ID}${rest}$`);
    const regional = (rest: string) => new RegExp(`^/v1/projects/${ID}/locations/${ID}${rest}$`);
    const create = (r: RestRequest, location?: string) => this.create(r, location);
    const routes: Omit<RestRoute, 'service'>[] = [
      { method: 'POST', path: global('/builds'), handle: (r) => create(r, parentLocation(r)) },
      { method: 'POST', path: regional('/builds'), handle: (r) => create(r, r.params[1]) },
      { method: 'GET', path: global(`/builds/${ID}`), handle: (r) => this.resource(this.find(r.params[0]!, 'global', r.params[1]!), r) },
      { method: 'GET', path: regional(`/builds/${ID}`), handle: (r) => this.resource(this.find(r.params[0]!, r.params[1]!, r.params[2]!), r) },
      { method: 'POST', path: global(`/builds/${ID}:cancel`), handle: (r) => this.cancel(this.find(r.params[0]!, 'global', r.params[1]!), r) },
      { method: 'POST', path: regional(`/builds/${ID}:cancel`), handle: (r) => this.cancel(this.find(r.params[0]!, r.params[1]!, r.params[2]!), r) },
      { method: 'GET', path: /^\/v1\/(operations\/build\/[^/]+\/[^/]+)$/, handle: (r) => this.operation(r.params[0]!, r) },
      { method: 'GET', path: /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+)$/, handle: (r) => this.operation(r.params[0]!, r) },
    ];
    return routes.map((r) => ({ service: 'cloudbuild', ...r }));
  }

  private checkProject(project: string, location: string): void {
    if (!this.projects.has(project)) throw new GoogleApiError(403, `Permission denied on resource project ${project}.`);
    if (!LOCATION.test(location)) throw new GoogleApiError(400, `generic::invalid_argument: invalid location "${location}"`);
  }

  private create(request: RestRequest, location = 'global'): unknown {
    const project = request.params[0]!;
    this.checkProject(project, location);
    if (this.denied.has('cloudbuild.builds.create')) throw new GoogleApiError(403, 'The caller does not have permission');
    const projectNumber = projectNumberOf(project);
    const identity: BuildIdentity = { projectId: project, projectNumber, buildId: randomUUID(), location, serviceAccount: `${projectNumber}@cloudbuild.gserviceaccount.com` };
    const spec = parseBuildRequest(request.body, identity);
    const build = new EmulatedBuild({ spec, identity, gcs: this.gcs, hostEnv: this.options.hostEnv ?? process.env, registryLogins: this.options.registryLogins ?? [], secretManager: this.secretManager });
    this.builds.set(`${project}/${location}/${build.id}`, build);
    const opId = Buffer.from(build.id).toString('base64url');
    const name = location === 'global' ? `operations/build/${project}/${opId}` : `projects/${project}/locations/${location}/operations/${opId}`;
    this.operations.set(name, build);
    // Answered as created (QUEUED), before the build starts working.
    const answer = operationResource(name, build, intEnums(request));
    const run = build.run().finally(() => this.running.delete(run));
    this.running.add(run);
    return answer;
  }

  private find(project: string, location: string, id: string): EmulatedBuild {
    this.checkProject(project, location);
    const build = this.builds.get(`${project}/${location}/${id}`);
    if (!build) throw new GoogleApiError(404, 'Requested entity was not found.');
    return build;
  }

  private resource(build: EmulatedBuild, request: RestRequest): unknown {
    const resource = buildResource(build);
    return intEnums(request) ? withIntEnums(resource) : resource;
  }

  /** Cancelling a finished build changes nothing and answers the build. */
  private cancel(build: EmulatedBuild, request: RestRequest): unknown {
    build.cancel();
    return this.resource(build, request);
  }

  private operation(name: string, request: RestRequest): unknown {
    const build = this.operations.get(name);
    if (!build) throw new GoogleApiError(404, 'Requested entity was not found.');
    return operationResource(name, build, intEnums(request));
  }
}

/** The Google clients ask `$alt=json;enum-encoding=int`: enums as numbers. */
const intEnums = (request: RestRequest) => (request.query.get('$alt') ?? '').includes('enum-encoding=int');

/** `?parent=projects/<p>/locations/<l>` on the global path (the client sends it when given both). */
function parentLocation(request: RestRequest): string | undefined {
  const parent = request.query.get('parent');
  if (!parent) return undefined;
  const m = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(parent);
  if (!m || m[1] !== request.params[0]) throw new GoogleApiError(400, `generic::invalid_argument: parent ${parent} does not name project ${request.params[0]}`);
  return m[2];
}
