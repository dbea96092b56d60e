import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyGoogleBearer, type GoogleBearerTrust, type TestServiceAccount } from '@stowage/gcp-auth-emulator';
import { GcsBuckets, GcsRefusal, type ObjectFields, type StoredObject } from './GcsBuckets.js';
import { decodeSegment, type GcsCall, type GcsExchange, type GcsOperation } from './GcsExchange.js';
import { routeOf } from './gcsRoutes.js';
import { sendJsonError, sendXmlError } from './gcsResponses.js';
import { ResumableSessions } from './ResumableSessions.js';
import { getXmlObject } from './xmlApi.js';

/** The scopes a self-signed JWT may carry to use the emulated storage (any one of them). */
export const STORAGE_SCOPES = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/devstorage.full_control',
  'https://www.googleapis.com/auth/devstorage.read_write',
] as const;

export interface GcsEmulatorOptions {
  /** Who may call the JSON API: access tokens and service accounts (their self-signed JWTs). */
  trust: GoogleBearerTrust;
  /** Buckets that exist from the start. */
  buckets?: readonly string[];
  /** Service accounts whose V4 signed URLs are honoured (default: `trust.serviceAccounts`). */
  signers?: readonly TestServiceAccount[];
  /** Bound on the bytes held (objects and unfinished uploads; default 256 MiB). */
  maxBytes?: number;
  /** The emulator's clock (signed-URL expiry, object times). */
  now?: () => Date;
}

/** A failure the next matching request gets instead of its answer (fault injection for tests). */
interface Fault {
  operation: GcsOperation;
  status: number;
  message: string;
}

/**
 * The Google Cloud Storage JSON API (and the XML API's signed-URL GET) on 127.0.0.1, port 0,
 * objects in memory. Every JSON API request's bearer token is verified with
 * `@stowage/gcp-auth-emulator`; resumable sessions are authorised when opened (their URI is the
 * capability, as in GCS); objects carry real CRC32C and MD5.
 */
export class GcsEmulator {
  readonly calls: GcsCall[] = [];
  /** Called as each request arrives, once its operation is known (a test can act at that moment). */
  onRequest?: (call: GcsCall) => void;
  private readonly buckets: GcsBuckets;
  private readonly sessions: ResumableSessions;
  private readonly trust: GoogleBearerTrust;
  private readonly signers: readonly TestServiceAccount[];
  private readonly now: () => Date;
  private readonly faults: Fault[] = [];
  private server?: Server;

  constructor(options: GcsEmulatorOptions) {
    this.now = options.now ?? (() => new Date());
    this.trust = { scopes: STORAGE_SCOPES, ...options.trust };
    this.signers = options.signers ?? options.trust.serviceAccounts ?? [];
    this.buckets = new GcsBuckets(options.maxBytes ?? 256 * 1024 * 1024, this.now);
    this.sessions = new ResumableSessions(this.buckets);
    for (const bucket of options.buckets ?? []) this.buckets.createBucket(bucket);
  }

  static async start(options: GcsEmulatorOptions): Promise<GcsEmulator> {
    const emulator = new GcsEmulator(options);
    await emulator.listen();
    return emulator;
  }

  /** `http://127.0.0.1:<port>`: the client's `apiEndpoint`. */
  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the GCS emulator is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  createBucket(name: string): void {
    this.buckets.createBucket(name);
  }

  bucketNames(): string[] {
    return this.buckets.bucketNames();
  }

  /** Writes an object directly (a new generation), as an upload would. */
  putObject(bucket: string, name: string, data: string | Uint8Array, fields: ObjectFields = {}): StoredObject {
    return this.buckets.put(bucket, name, Buffer.from(data), fields);
  }

  /** The stored object (bytes, content type, checksums, generation), or undefined. */
  object(bucket: string, name: string): StoredObject | undefined {
    return this.buckets.find(bucket, name);
  }

  readObject(bucket: string, name: string): Buffer | undefined {
    return this.object(bucket, name)?.data;
  }

  /** Names of a bucket's objects, sorted. */
  objectNames(bucket: string): string[] {
    return this.buckets.objects(bucket).map((o) => o.name);
  }

  /** Resumable uploads opened and neither finished nor cancelled. */
  unfinishedUploads(): { bucket: string; name: string; received: number }[] {
    return this.sessions.unfinished().map(({ bucket, name, received }) => ({ bucket, name, received }));
  }

  /** The next request of `operation` fails with `status` (default 503) and Google's error body. */
  failNext(operation: GcsOperation, status = 503, message = 'We encountered an internal error. Please try again.'): void {
    this.faults.push({ operation, status, message });
  }

  /**
   * The next object stored (by an upload, or `putObject`) is corrupted: its first byte flipped, its
   * checksums those of the corrupted bytes. The client's check of the upload then fails (and it deletes the object).
   */
  corruptNextUpload(): void {
    this.buckets.corruptNext = true;
  }

  private listen(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gcs.invalid');
    const call: GcsCall = { operation: 'unknown', method: request.method ?? 'GET', url: request.url ?? '/' };
    this.calls.push(call);
    response.on('finish', () => (call.status = response.statusCode));
    const exchange: GcsExchange = { request, response, url, buckets: this.buckets, sessions: this.sessions, endpoint: this.endpoint, now: this.now, call };
    try {
      await this.dispatch(exchange);
    } catch (error) {
      this.answerFailure(exchange, error);
    }
  }

  private async dispatch(exchange: GcsExchange): Promise<void> {
    const { url, call } = exchange;
    const routed = routeOf(call.method, url.pathname);
    if (!routed) return this.xmlOrNotFound(exchange);
    call.operation = routed.route.operation(url.searchParams);
    this.onRequest?.(call);
    if (this.injectFault(exchange)) return;
    if (routed.route.bearer && !this.authorised(exchange)) return;
    if (!routed.route.bearer) call.principal = this.sessionPrincipal(url);
    await routed.route.handle(exchange, routed.bucket, routed.object);
  }

  /** `GET /{bucket}/{object}` is the XML API (signed URLs); any other unknown path is a 404. */
  private xmlOrNotFound(exchange: GcsExchange): void {
    const match = /^\/([^/]+)\/(.+)$/.exec(exchange.url.pathname);
    if (exchange.call.method !== 'GET' || !match || /^(storage|upload|download)$/.test(match[1]!)) {
      return sendJsonError(exchange.response, 404, `Not Found: the GCS emulator has no ${exchange.call.method} ${exchange.url.pathname}`, 'notFound');
    }
    exchange.call.operation = 'xml.get';
    this.onRequest?.(exchange.call);
    if (this.injectFault(exchange)) return;
    getXmlObject(exchange, decodeSegment(match[1]!), decodeSegment(match[2]!), this.trust, this.signers);
  }

  private authorised(exchange: GcsExchange): boolean {
    const verdict = verifyGoogleBearer(exchange.request.headers.authorization, this.trust);
    if (verdict.ok) {
      exchange.call.principal = verdict.principal;
      return true;
    }
    exchange.request.resume();
    exchange.response.setHeader('WWW-Authenticate', 'Bearer realm="https://accounts.google.com/"');
    sendJsonError(exchange.response, verdict.status, verdict.reason);
    return false;
  }

  private sessionPrincipal(url: URL): string | undefined {
    try {
      return this.sessions.get(url.searchParams.get('upload_id') ?? '').principal;
    } catch {
      return undefined;
    }
  }

  private injectFault(exchange: GcsExchange): boolean {
    const at = this.faults.findIndex((f) => f.operation === exchange.call.operation);
    if (at < 0) return false;
    const [fault] = this.faults.splice(at, 1) as [Fault];
    exchange.request.resume();
    if (exchange.call.operation === 'xml.get') sendXmlError(exchange.response, { status: fault.status, code: 'InternalError', message: fault.message });
    else sendJsonError(exchange.response, fault.status, fault.message, fault.status >= 500 ? 'backendError' : undefined);
    return true;
  }

  private answerFailure(exchange: GcsExchange, error: unknown): void {
    const { request, response } = exchange;
    // A client that went away gets no answer (its body was never complete: nothing was stored).
    if (response.headersSent || response.destroyed || request.socket.destroyed) return;
    request.resume();
    if (error instanceof GcsRefusal) return sendJsonError(response, error.status, error.message, error.reason);
    if (error instanceof URIError) return sendJsonError(response, 400, `Invalid path: ${error.message}`, 'invalid');
    sendJsonError(response, 500, `the GCS emulator failed: ${error instanceof Error ? error.message : String(error)}`, 'backendError');
  }
}
