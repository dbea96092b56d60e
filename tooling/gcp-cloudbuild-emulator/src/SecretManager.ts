import { randomBytes } from 'node:crypto';
import { crc32c } from '@aws-crypto/crc32c';
import { GoogleApiError } from './GoogleApiError.js';
import type { RestRequest, RestRoute } from './GoogleRestServer.js';
import { checkLabels, durationSeconds, payloadOf } from './secretPayload.js';

/** The IAM permissions the emulated Secret Manager checks (see {@link SecretManager.deny}). */
export type SecretPermission = 'secretmanager.secrets.create' | 'secretmanager.secrets.get' | 'secretmanager.secrets.delete' | 'secretmanager.versions.add' | 'secretmanager.versions.access';

interface StoredVersion {
  number: number;
  data: Buffer;
  createTime: string;
  clientSpecifiedPayloadChecksum: boolean;
}

interface StoredSecret {
  project: string;
  id: string;
  labels: Record<string, string>;
  replication: unknown;
  createTime: string;
  /** Epoch ms after which Secret Manager deletes the secret on its own (`ttl` / `expireTime`). */
  expireAt?: number;
  etag: string;
  versions: StoredVersion[];
}

/** How a build's service account's read of a secret version went (what Cloud Build turns into a step failure). */
export type SecretRead = { ok: true; data: Buffer } | { ok: false; code: 'NotFound' | 'PermissionDenied' | 'InvalidArgument'; message: string };

type Json = Record<string, unknown>;
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const ID = '([^/:]+)';
const GRPC_NAMES: Readonly<Record<number, 'NotFound' | 'PermissionDenied' | 'InvalidArgument'>> = { 404: 'NotFound', 403: 'PermissionDenied', 400: 'InvalidArgument' };
const etag = () => `"${randomBytes(8).toString('hex')}"`;

/**
 * Secret Manager REST v1 (`secretmanager.googleapis.com`) as far as Stowage and Cloud Build use it:
 * secrets create / get / delete, versions add / access, in the projects the emulator knows (named
 * by id or number; resources answered with the number, as Google does), with Google's JSON errors
 * (404 NOT_FOUND, 409 ALREADY_EXISTS, 403 PERMISSION_DENIED, 400 INVALID_ARGUMENT). Payloads are
 * base64 `data` with a `dataCrc32c` checked when given and always returned; `ttl` / `expireTime`
 * delete a secret when it passes. {@link access} is the read a build's service account does.
 */
export class SecretManager {
  private readonly secrets = new Map<string, StoredSecret>();
  private readonly denied: { permission: SecretPermission; prefix: string }[] = [];

  constructor(
    private readonly projects: ReadonlySet<string>,
    private readonly numberOf: (projectId: string) => string,
  ) {}

  routes(): RestRoute[] {
    const secrets = (rest: string) => new RegExp(`^/v1/projects/${ID}/secrets${rest}$`);
    const route = (method: RestRoute['method'], path: RegExp, handle: (r: RestRequest) => unknown): RestRoute => ({ service: 'secretmanager', method, path, handle });
    return [
      route('POST', secrets(''), (r) => this.create(r)),
      route('GET', secrets(`/${ID}`), (r) => this.resource(this.find(r.params[0]!, r.params[1]!, 'secretmanager.secrets.get'))),
      route('DELETE', secrets(`/${ID}`), (r) => this.delete(r)),
      route('POST', secrets(`/${ID}:addVersion`), (r) => this.addVersion(r)),
      route('GET', secrets(`/${ID}/versions/${ID}:access`), (r) => this.accessResource(r)),
    ];
  }

  /** Test setup without a client: a secret `id` of `project` with one version holding `payload`; returns that version's name. */
  add(project: string, id: string, payload: string): string {
    const secret = this.store(project, id, { replication: { automatic: {} } });
    return this.versionName(secret, this.addPayload(secret, Buffer.from(payload), false).number);
  }

  /** The secrets that exist (not deleted, not expired), as `projects/<id>/secrets/<secret>`, sorted. */
  names(): string[] {
    this.sweep();
    return [...this.secrets.values()].map((s) => `projects/${s.project}/secrets/${s.id}`).sort();
  }

  /** A secret as GetSecret answers it, or undefined (by `projects/<id or number>/secrets/<secret>`). */
  describe(name: string): Json | undefined {
    const m = /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(name);
    const project = m ? this.projectOf(m[1]!) : undefined;
    this.sweep();
    const secret = project ? this.secrets.get(`${project}/${m![2]}`) : undefined;
    return secret && this.resource(secret);
  }

  /** From now on, `permission` on secrets whose id starts with `prefix` is denied (403), as an IAM policy that does not grant it. */
  deny(permission: SecretPermission, prefix: string): void {
    this.denied.push({ permission, prefix });
  }

  /** Lifts every {@link deny}. */
  allowAll(): void {
    this.denied.length = 0;
  }

  /** What a build's service account reads for `availableSecrets.secretManager[].versionName`. */
  access(versionName: string): SecretRead {
    const m = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/.exec(versionName);
    if (!m) return { ok: false, code: 'InvalidArgument', message: `invalid secret version name ${versionName}` };
    try {
      return { ok: true, data: this.readVersion(m[1]!, m[2]!, m[3]!).version.data };
    } catch (error) {
      if (!(error instanceof GoogleApiError)) throw error;
      return { ok: false, code: GRPC_NAMES[error.status] ?? 'InvalidArgument', message: error.message };
    }
  }

  /** `projects/<number>/secrets/<id>/versions/<v>`: how Google spells a version it names back. */
  numberedVersionName(versionName: string): string {
    return versionName.replace(/^projects\/([^/]+)\//, (whole, p: string) => (this.projects.has(p) ? `projects/${this.numberOf(p)}/` : whole));
  }

  /** The project id a path names by id or number; 403 for a project the caller cannot see. */
  private projectOf(named: string): string | undefined {
    if (this.projects.has(named)) return named;
    return [...this.projects].find((p) => this.numberOf(p) === named);
  }

  private project(named: string, permission: SecretPermission): string {
    const project = this.projectOf(named);
    if (!project) throw new GoogleApiError(403, `Permission '${permission}' denied for resource 'projects/${named}' (or it may not exist).`);
    return project;
  }

  private authorize(permission: SecretPermission, project: string, id: string, resource = `projects/${project}/secrets/${id}`): void {
    if (this.denied.some((d) => d.permission === permission && id.startsWith(d.prefix))) {
      throw new GoogleApiError(403, `Permission '${permission}' denied for resource '${resource}' (or it may not exist).`);
    }
  }

  /** Secret Manager deletes a secret whose expiry has passed. */
  private sweep(now = Date.now()): void {
    for (const [key, secret] of this.secrets) if (secret.expireAt !== undefined && secret.expireAt <= now) this.secrets.delete(key);
  }

  private secretName(secret: StoredSecret): string {
    return `projects/${this.numberOf(secret.project)}/secrets/${secret.id}`;
  }

  private versionName(secret: StoredSecret, version: number): string {
    return `${this.secretName(secret)}/versions/${version}`;
  }

  private find(named: string, id: string, permission: SecretPermission): StoredSecret {
    const project = this.project(named, permission);
    this.authorize(permission, project, id);
    this.sweep();
    const secret = this.secrets.get(`${project}/${id}`);
    if (!secret) throw new GoogleApiError(404, `Secret [projects/${this.numberOf(project)}/secrets/${id}] not found.`);
    return secret;
  }

  private create(request: RestRequest): Json {
    const project = this.project(request.params[0]!, 'secretmanager.secrets.create');
    const id = request.query.get('secretId') ?? '';
    if (!SECRET_ID.test(id)) throw new GoogleApiError(400, `The provided Secret ID [${id}] does not match the expected format [[a-zA-Z_0-9-]+] of at most 255 characters.`);
    this.authorize('secretmanager.secrets.create', project, id, `projects/${project}`);
    const body = request.body as Json;
    if (typeof body['replication'] !== 'object' || body['replication'] === null) throw new GoogleApiError(400, 'Secret.replication is required: set replication.automatic or replication.userManaged.');
    return this.resource(this.store(project, id, body));
  }

  private store(project: string, id: string, body: Json): StoredSecret {
    this.sweep();
    if (this.secrets.has(`${project}/${id}`)) throw new GoogleApiError(409, `Secret [projects/${this.numberOf(project)}/secrets/${id}] already exists.`);
    const labels = checkLabels(body['labels']);
    const ttl = durationSeconds(body['ttl'], 'Secret.ttl');
    const expireTime = typeof body['expireTime'] === 'string' ? Date.parse(body['expireTime']) : undefined;
    if (Number.isNaN(expireTime)) throw new GoogleApiError(400, `Secret.expireTime: invalid timestamp ${JSON.stringify(body['expireTime'])}`);
    if (ttl !== undefined && expireTime !== undefined) throw new GoogleApiError(400, 'Secret: set only one of ttl and expireTime.');
    const expireAt = ttl !== undefined ? Date.now() + ttl * 1000 : expireTime;
    const secret: StoredSecret = { project, id, labels, replication: body['replication'], createTime: new Date().toISOString(), etag: etag(), versions: [], ...(expireAt !== undefined ? { expireAt } : {}) };
    this.secrets.set(`${project}/${id}`, secret);
    return secret;
  }

  private resource(secret: StoredSecret): Json {
    return {
      name: this.secretName(secret),
      replication: secret.replication,
      createTime: secret.createTime,
      ...(Object.keys(secret.labels).length ? { labels: secret.labels } : {}),
      ...(secret.expireAt !== undefined ? { expireTime: new Date(secret.expireAt).toISOString() } : {}),
      etag: secret.etag,
    };
  }

  private delete(request: RestRequest): Json {
    const secret = this.find(request.params[0]!, request.params[1]!, 'secretmanager.secrets.delete');
    const wanted = request.query.get('etag');
    if (wanted && wanted !== secret.etag) throw new GoogleApiError(400, `The etag provided [${wanted}] does not match the current etag of the secret.`);
    this.secrets.delete(`${secret.project}/${secret.id}`);
    return {};
  }

  private addVersion(request: RestRequest): Json {
    const secret = this.find(request.params[0]!, request.params[1]!, 'secretmanager.versions.add');
    const payload = payloadOf((request.body as Json)['payload']);
    const version = this.addPayload(secret, payload.data, payload.checksum);
    const state = intEnums(request) ? 1 : 'ENABLED';
    return { name: this.versionName(secret, version.number), createTime: version.createTime, state, replicationStatus: { automatic: {} }, etag: etag(), clientSpecifiedPayloadChecksum: version.clientSpecifiedPayloadChecksum };
  }

  private addPayload(secret: StoredSecret, data: Buffer, clientSpecifiedPayloadChecksum: boolean): StoredVersion {
    const version = { number: secret.versions.length + 1, data, createTime: new Date().toISOString(), clientSpecifiedPayloadChecksum };
    secret.versions.push(version);
    return version;
  }

  /** A version by number or `latest` (the newest), as AccessSecretVersion finds it. */
  private readVersion(named: string, id: string, version: string): { secret: StoredSecret; version: StoredVersion } {
    const project = this.project(named, 'secretmanager.versions.access');
    const versionResource = `projects/${named}/secrets/${id}/versions/${version}`;
    this.authorize('secretmanager.versions.access', project, id, versionResource);
    this.sweep();
    const secret = this.secrets.get(`${project}/${id}`);
    const secretName = `projects/${this.numberOf(project)}/secrets/${id}`;
    if (version === 'latest') {
      const latest = secret?.versions.at(-1);
      if (!secret || !latest) throw new GoogleApiError(404, `Secret [${secretName}] not found or has no versions.`);
      return { secret, version: latest };
    }
    const found = secret?.versions.find((v) => String(v.number) === version);
    if (!secret || !found) throw new GoogleApiError(404, `Secret Version [${secretName}/versions/${version}] not found.`);
    return { secret, version: found };
  }

  private accessResource(request: RestRequest): Json {
    const { secret, version } = this.readVersion(request.params[0]!, request.params[1]!, request.params[2]!);
    return { name: this.versionName(secret, version.number), payload: { data: version.data.toString('base64'), dataCrc32c: String(crc32c(version.data)) } };
  }
}

/** The Google clients ask `$alt=json;enum-encoding=int`: enums as numbers. */
const intEnums = (request: RestRequest) => (request.query.get('$alt') ?? '').includes('enum-encoding=int');
