import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { StowageError, type ImagePresence, type ImageRef, type RegistryAuthScope, type SecretSink } from '@stowage/plugin-api';
import { processTokenCache, type BearerTokenCache } from './BearerTokenAuth.js';
import { formatImageReference, isLoopbackRegistry, manifestReferenceOf, registryApiHost } from '@stowage/plugin-api';
import { BlobDownload } from './BlobDownload.js';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from './ImageManifest.js';
import { RegistryAuthorizer, type Authorization, type RegistryAuthSource } from './RegistryAuthorizer.js';
import { describeErrorResponse, describeFetchError, registryFailure } from './registryFailure.js';
import { sha256Digest } from './sha256Digest.js';

/** Every manifest kind `docker push` / buildx write: OCI index and manifest, Docker v2 list and manifest. */
export const MANIFEST_MEDIA_TYPES = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST] as const;
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

export interface ManifestProbe {
  presence: ImagePresence;
  /** `Docker-Content-Digest` of the manifest, when present. */
  digest?: string;
  /** Why the presence is `unknown` (never contains a credential). */
  reason?: string;
}

/** A manifest as the registry serves it: the exact bytes (their sha256 is the digest). */
export interface RegistryManifest {
  bytes: Uint8Array;
  mediaType: string;
  /** `sha256:` of `bytes`. */
  digest: string;
}

export interface BlobInfo {
  digest: string;
  /** Bytes, from `Content-Length`. */
  size: number;
}

export interface RequestOptions {
  /** Cancels the request (and an upload in progress). */
  signal?: AbortSignal;
}

export interface BlobReadOptions extends RequestOptions {
  /** The most bytes the blob may have (e.g. the size its descriptor gives); more is an error. */
  maxBytes?: number;
}

export interface RegistryApiClientOptions {
  /** Origin of the v2 API, e.g. `http://127.0.0.1:5000` or `https://registry-1.docker.io`. */
  baseUrl: string;
  /** The login, asked only when the registry challenges: usually the registry component's `auth`. */
  auth: RegistryAuthSource;
  /** Timeout of each request; a blob upload gets more for its size (as if sent at 256 KiB/s). */
  timeoutMs: number;
  /** Token cache; default: the process-wide one. */
  tokens?: BearerTokenCache;
  /** Told every registry token fetched (a component passes its `ctx.secrets`). */
  secrets?: SecretSink;
}

interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** A path under the origin (`/v2/…`) or an absolute URL (an upload location). */
  url: string;
  scopes: readonly RegistryAuthScope[];
  headers?: Record<string, string>;
  /** A stream cannot be sent twice, so it only goes out with an already working login (or none). */
  body?: Uint8Array | Readable;
  signal?: AbortSignal;
  /** Overrides the client's timeout (blob uploads get time for their size). */
  timeoutMs?: number;
  /** The caller times the request through `signal` (a download: see BlobDownload). */
  untimed?: boolean;
  /** `manual`: a redirect is answered, not followed (the caller decides who gets the login). */
  redirect?: 'manual';
}

/** The blobs a config is read whole for; anything larger is not a config. */
const MAX_BLOB_BYTES_IN_MEMORY = 4 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** distribution redirects once, to its storage backend; a chain longer than this is a loop. */
const MAX_REDIRECTS = 5;

/** The slowest upload rate a blob upload is given time for (2 Mbit/s), on top of the request timeout. */
const MIN_UPLOAD_BYTES_PER_SECOND = 256 * 1024;

const pull = (repository: string): RegistryAuthScope => ({ repository, actions: ['pull'] });
const push = (repository: string): RegistryAuthScope => ({ repository, actions: ['pull', 'push'] });

/** `http://` for loopback registries (dockerd's default insecure range), else `https://`; Docker Hub's API host. */
export function registryBaseUrl(registry: string, insecure?: boolean): string {
  return `${(insecure ?? isLoopbackRegistry(registry)) ? 'http' : 'https'}://${registryApiHost(registry)}`;
}

/**
 * The slice of the OCI distribution API Stowage needs, over node's fetch: manifests (probe, get,
 * put), blobs (head, cross-repository mount, monolithic upload). Failures are REGISTRY_FAILED
 * errors whose messages name no credential.
 */
export class RegistryApiClient {
  private readonly baseUrl: string;
  private readonly authorizer: RegistryAuthorizer;

  constructor(private readonly options: RegistryApiClientOptions) {
    this.baseUrl = new URL(options.baseUrl).origin;
    this.authorizer = new RegistryAuthorizer({
      baseUrl: this.baseUrl,
      auth: options.auth,
      tokens: options.tokens ?? processTokenCache,
      timeoutMs: options.timeoutMs,
      secrets: options.secrets,
    });
  }

  /** `HEAD /v2/<repository>/manifests/<tag or digest>`: present, absent, or unknown with the reason. */
  async probeManifest(repository: string, reference: string, options: RequestOptions = {}): Promise<ManifestProbe> {
    let response: Response;
    try {
      response = await this.send({ method: 'HEAD', url: manifestPath(repository, reference), scopes: [pull(repository)], headers: { Accept: MANIFEST_ACCEPT }, ...options });
    } catch (error) {
      if (StowageError.isInstance(error) && !options.signal?.aborted) return { presence: 'unknown', reason: error.message };
      throw error;
    }
    await discard(response);
    if (response.status === 200) {
      const digest = response.headers.get('docker-content-digest') ?? undefined;
      return { presence: 'present', ...(digest && { digest }) };
    }
    if (response.status === 404) return { presence: 'absent' };
    const why = response.status === 403 ? ' (access denied)' : '';
    return { presence: 'unknown', reason: `registry answered HTTP ${response.status}${why}` };
  }

  /**
   * The manifest digest a reference resolves to (what `docker push` printed); undefined when the
   * image is absent; REGISTRY_FAILED with `hint` when the registry cannot tell. A registry that
   * leaves Docker-Content-Digest out of HEAD answers has the manifest itself hashed.
   */
  async resolveDigest(reference: ImageRef, hint: string): Promise<string | undefined> {
    const tagOrDigest = manifestReferenceOf(reference);
    const probe = await this.probeManifest(reference.repository, tagOrDigest);
    if (probe.presence === 'unknown') {
      throw new StowageError(`could not read the digest of ${formatImageReference(reference)}: ${probe.reason ?? 'the registry did not say'}`, { code: 'REGISTRY_FAILED', hint });
    }
    if (probe.presence === 'absent') return undefined;
    return probe.digest ?? (await this.getManifest(reference.repository, tagOrDigest))?.digest;
  }

  /** The manifest's bytes, media type and digest; undefined when the registry has none under `reference`. */
  async getManifest(repository: string, reference: string, options: RequestOptions = {}): Promise<RegistryManifest | undefined> {
    const what = `could not read the manifest ${repository}:${reference}`;
    const response = await this.send({ method: 'GET', url: manifestPath(repository, reference), scopes: [pull(repository)], headers: { Accept: MANIFEST_ACCEPT }, ...options });
    if (response.status === 404) {
      await discard(response);
      return undefined;
    }
    if (response.status !== 200) throw await this.unexpected(response, what);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const digest = sha256Digest(bytes);
    // Content addressing: what is served under a digest must hash to it.
    if (reference.startsWith('sha256:') && reference !== digest) throw registryFailure(`${what}: ${this.baseUrl} served content whose digest is ${digest}`);
    return { bytes, mediaType: mediaTypeOf(response, bytes), digest };
  }

  /** `PUT /v2/<repository>/manifests/<reference>`; returns the digest the registry reports. */
  async putManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string, options: RequestOptions = {}): Promise<string> {
    const headers = { 'Content-Type': mediaType };
    const response = await this.send({ method: 'PUT', url: manifestPath(repository, reference), scopes: [push(repository)], headers, body: bytes, ...options });
    await this.accept(response, 201, `could not push the manifest ${repository}:${reference}`);
    return response.headers.get('docker-content-digest') ?? sha256Digest(bytes);
  }

  /** `HEAD /v2/<repository>/blobs/<digest>`: its size when the repository has it, else undefined. */
  async headBlob(repository: string, digest: string, options: RequestOptions = {}): Promise<BlobInfo | undefined> {
    const response = await this.send({ method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, scopes: [pull(repository)], ...options });
    if (response.status === 404) {
      await discard(response);
      return undefined;
    }
    await this.accept(response, 200, `could not look up the blob ${digest} in ${repository}`);
    return { digest, size: Number(response.headers.get('content-length') ?? Number.NaN) };
  }

  /**
   * Links a blob `fromRepository` already has into `repository` without sending it (a
   * cross-repository mount). False when the registry declines (e.g. it does not have the blob
   * there, or the login may not read it): then upload it.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string, options: RequestOptions = {}): Promise<boolean> {
    const query = new URLSearchParams({ mount: digest, from: fromRepository });
    const scopes = [push(repository), pull(fromRepository)];
    const response = await this.send({ method: 'POST', url: `/v2/${repository}/blobs/uploads/?${query}`, scopes, ...options });
    await this.accept(response, [201, 202], `could not mount the blob ${digest} from ${fromRepository} into ${repository}`);
    // 202: the registry started an ordinary upload instead; nothing will be sent to it.
    if (response.status === 202) await this.cancelUpload(response, scopes);
    return response.status === 201;
  }

  /**
   * Uploads a blob in one request (POST for a session, then PUT with `?digest=`); the registry
   * checks the digest and refuses content that does not match. A failed upload leaves no blob.
   */
  async uploadBlob(repository: string, data: Uint8Array | Readable, digest: string, size: number, options: RequestOptions = {}): Promise<string> {
    const what = `could not upload the blob ${digest} to ${repository}`;
    const scopes = [push(repository)];
    try {
      if (!(data instanceof Readable) && data.length !== size) throw new StowageError(`${what}: it has ${data.length} bytes, not ${size}`, { code: 'USAGE' });
      const started = await this.send({ method: 'POST', url: `/v2/${repository}/blobs/uploads/`, scopes, ...options });
      await this.accept(started, 202, what);
      const stored = await this.finishUpload(started, { data, digest, size, scopes, what }, options).catch(async (error: unknown) => {
        await this.cancelUpload(started, scopes);
        throw error;
      });
      if (stored !== digest) throw registryFailure(`${what}: ${this.baseUrl} stored it as ${stored}`);
      return stored;
    } finally {
      if (data instanceof Readable) data.destroy();
    }
  }

  /**
   * `GET /v2/<repository>/blobs/<digest>` as a stream, undefined when the repository has no such
   * blob. The stream fails (REGISTRY_FAILED) unless the bytes hash to `digest` and stay within
   * `maxBytes`. A redirect to a storage backend is followed without the registry login (its URL
   * is signed). The download is aborted when nothing arrives for the client's timeout.
   */
  async getBlob(repository: string, digest: string, options: BlobReadOptions = {}): Promise<Readable | undefined> {
    const what = `could not read the blob ${digest} from ${repository}`;
    const download = new BlobDownload({ digest, maxBytes: options.maxBytes, idleMs: this.options.timeoutMs, what, origin: this.baseUrl }, options.signal);
    try {
      const request: RegistryRequest = { method: 'GET', url: `/v2/${repository}/blobs/${digest}`, scopes: [pull(repository)], signal: download.signal, untimed: true };
      const response = await this.followRedirects(request, what);
      if (response.status === 404) {
        await discard(response);
        download.finish();
        return undefined;
      }
      if (response.status !== 200 || !response.body) throw await this.unexpected(response, what);
      download.checkLength(response.headers.get('content-length'));
      return download.verify(response.body as WebReadableStream<Uint8Array>);
    } catch (error) {
      download.finish();
      throw error;
    }
  }

  /** A whole small blob (a config) in memory, checked against its digest; more than `maxBytes` (default 4 MiB) is an error. */
  async getBlobBytes(repository: string, digest: string, options: BlobReadOptions = {}): Promise<Uint8Array | undefined> {
    const stream = await this.getBlob(repository, digest, { ...options, maxBytes: options.maxBytes ?? MAX_BLOB_BYTES_IN_MEMORY });
    if (!stream) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }

  /** Sends a GET and follows its redirects; one to another origin (a storage backend) never carries the login. */
  private async followRedirects(request: RegistryRequest, what: string): Promise<Response> {
    let url = new URL(request.url, this.baseUrl);
    let response = await this.send({ ...request, redirect: 'manual' });
    for (let hops = 0; REDIRECTS.has(response.status); hops++) {
      const location = response.headers.get('location');
      await discard(response);
      if (!location || hops === MAX_REDIRECTS) throw registryFailure(`${what}: ${this.baseUrl} redirected ${location ? 'too many times' : 'without a Location'}`);
      url = new URL(location, url);
      const next: RegistryRequest = { ...request, url: url.href, redirect: 'manual' };
      response = url.origin === this.baseUrl ? await this.send(next) : await this.fetchOnce(next, undefined);
    }
    return response;
  }

  /** The PUT of a monolithic upload; returns the digest the registry stored the blob under. */
  private async finishUpload(
    started: Response,
    upload: { data: Uint8Array | Readable; digest: string; size: number; scopes: readonly RegistryAuthScope[]; what: string },
    options: RequestOptions,
  ): Promise<string> {
    const location = started.headers.get('location');
    if (!location) throw registryFailure(`${upload.what}: ${this.baseUrl} started an upload without a Location`);
    const url = new URL(location, this.baseUrl);
    url.searchParams.set('digest', upload.digest);
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(upload.size) };
    const timeoutMs = this.options.timeoutMs + Math.ceil((upload.size / MIN_UPLOAD_BYTES_PER_SECOND) * 1000);
    const response = await this.send({ method: 'PUT', url: url.href, scopes: upload.scopes, headers, body: upload.data, timeoutMs, ...options });
    await this.accept(response, 201, upload.what);
    return response.headers.get('docker-content-digest') ?? upload.digest;
  }

  /** Sends a request, answering one auth challenge; throws REGISTRY_FAILED when it cannot get through. */
  private async send(request: RegistryRequest): Promise<Response> {
    const remembered = this.authorizer.current(request.scopes);
    const response = await this.fetchOnce(request, remembered);
    if (response.status !== 401) return response;
    await discard(response);
    this.authorizer.forget(request.scopes, remembered);
    if (request.body instanceof Readable) {
      throw registryFailure(`${this.baseUrl} refused the login in the middle of an upload (HTTP 401); try again`);
    }
    const authorization = await this.authorizer.answer(response.headers.get('www-authenticate'), request.scopes);
    const retried = await this.fetchOnce(request, authorization);
    if (retried.status === 401) {
      await discard(retried);
      this.authorizer.forget(request.scopes, authorization);
      throw registryFailure(`${this.baseUrl} rejected the credentials (HTTP 401 after authenticating)`, {
        hint: 'check the registry login (username/password, or docker login) and that it may access this repository',
      });
    }
    this.authorizer.remember(request.scopes, authorization);
    return retried;
  }

  private async fetchOnce(request: RegistryRequest, authorization: Authorization | undefined): Promise<Response> {
    const url = new URL(request.url, this.baseUrl);
    const headers = { ...request.headers };
    // An upload location on another host (a storage backend) never gets the registry login.
    if (authorization && url.origin === this.baseUrl) headers['Authorization'] = authorization.header;
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const signals = [request.signal, request.untimed ? undefined : AbortSignal.timeout(timeoutMs)].filter((s): s is AbortSignal => s !== undefined);
    const stream = request.body instanceof Readable;
    try {
      return await fetch(url, {
        method: request.method,
        headers,
        ...(request.body && { body: request.body as RequestInit['body'] }),
        ...(stream && { duplex: 'half' }),
        ...(request.redirect && { redirect: request.redirect }),
        signal: AbortSignal.any(signals),
      } as RequestInit);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      throw registryFailure(`could not reach ${this.baseUrl}: ${describeFetchError(error, timeoutMs)}`, { cause: error });
    }
  }

  /** Best effort: an abandoned upload session only costs the registry some storage until it expires. */
  private async cancelUpload(started: Response, scopes: readonly RegistryAuthScope[]): Promise<void> {
    const location = started.headers.get('location');
    if (!location) return;
    await this.send({ method: 'DELETE', url: new URL(location, this.baseUrl).href, scopes }).then(discard, () => undefined);
  }

  /** Throws REGISTRY_FAILED with the registry's own error codes unless the status is one expected; else drops the body. */
  private async accept(response: Response, expected: number | readonly number[], what: string): Promise<void> {
    if (!([] as number[]).concat(expected).includes(response.status)) throw await this.unexpected(response, what);
    await discard(response);
  }

  private async unexpected(response: Response, what: string): Promise<StowageError> {
    return registryFailure(`${what}: ${this.baseUrl} answered ${await describeErrorResponse(response)}`);
  }
}

function manifestPath(repository: string, reference: string): string {
  return `/v2/${repository}/manifests/${reference}`;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** `Content-Type` without parameters, else the manifest's own `mediaType` field. */
function mediaTypeOf(response: Response, bytes: Uint8Array): string {
  const header = response.headers.get('content-type')?.split(';')[0]?.trim();
  if (header && header !== 'application/json') return header;
  try {
    const field = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: unknown }).mediaType;
    if (typeof field === 'string') return field;
  } catch {
    // Not JSON: keep what the header said.
  }
  return header ?? 'application/octet-stream';
}
