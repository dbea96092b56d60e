import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsJsonError, sendAwsError, sendAwsJson } from './AwsJsonError.js';
import { EcrRepositories } from './EcrRepositories.js';
import { verifySigV4, type ReceivedRequest, type TestCredentials } from './verifySigV4.js';

export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

/** Test credentials the emulator knows unless told others (they look like AWS's documentation keys). */
export const TEST_CREDENTIALS: TestCredentials = { accessKeyId: 'AKIASTOWAGETEST00001', secretAccessKey: 'stowage/test/secret/key/0000000000000000' };

export interface EcrEmulatorOptions {
  /** The registry the tokens open: its `host:port` (loopback) and the login it accepts (user `AWS`). */
  registry: { address: string; username?: string; password: string };
  /** Access keys that may sign requests (default: TEST_CREDENTIALS). */
  credentials?: readonly TestCredentials[];
  accountId?: string;
  region?: string;
  /** Lifetime of an authorization token (default: 12 hours, as ECR). */
  tokenTtlSeconds?: number;
  /** The emulator's clock (token expiry, repository dates, signature age). */
  now?: () => Date;
}

/** One call the emulator answered, for tests to assert on. */
export interface EcrCall {
  operation: string;
  accessKeyId?: string;
  /** The error type answered, if any. */
  error?: string;
}

type Operation = (input: Record<string, any>) => unknown;

/**
 * Amazon ECR's control-plane API (AWS JSON 1.1, `POST /` with `X-Amz-Target`) on 127.0.0.1:
 * GetAuthorizationToken, DescribeRepositories, CreateRepository. Every request's SigV4
 * signature is verified against the known test credentials. The token it hands out is the
 * password of a real registry's user `AWS`, so pushes with it are real.
 */
export class EcrEmulator {
  readonly calls: EcrCall[] = [];
  readonly repositories: EcrRepositories;
  readonly accountId: string;
  readonly region: string;
  private readonly now: () => Date;
  private readonly operations: Record<string, Operation>;
  private server?: Server;

  constructor(private readonly options: EcrEmulatorOptions) {
    this.accountId = options.accountId ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
    this.now = options.now ?? (() => new Date());
    this.repositories = new EcrRepositories({ accountId: this.accountId, region: this.region, repositoryHost: this.repositoryHost }, this.now);
    this.operations = {
      GetAuthorizationToken: () => this.authorizationToken(),
      DescribeRepositories: (input) => this.repositories.describe(input),
      CreateRepository: (input) => this.repositories.create(input),
    };
  }

  static async start(options: EcrEmulatorOptions): Promise<EcrEmulator> {
    const emulator = new EcrEmulator(options);
    await emulator.listen();
    return emulator;
  }

  /** `<account>.dkr.ecr.<region>.amazonaws.com`: the registry host the repositories' URIs name. */
  get repositoryHost(): string {
    return `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com`;
  }

  /** The URL to give the SDK client as `endpoint`. */
  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the ECR emulator is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  private authorizationToken(): unknown {
    const { address, username = 'AWS', password } = this.options.registry;
    const expiresAt = this.now().getTime() / 1000 + (this.options.tokenTtlSeconds ?? 12 * 3600);
    const authorizationToken = Buffer.from(`${username}:${password}`).toString('base64');
    // The real proxyEndpoint is https://<repositoryHost>; here it is where the token works.
    return { authorizationData: [{ authorizationToken, expiresAt, proxyEndpoint: `http://${address}` }] };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const call: EcrCall = { operation: '?' };
    this.calls.push(call);
    try {
      const received = await readRequest(request);
      call.operation = operationOf(received);
      call.accessKeyId = await verifySigV4(received, this.options.credentials ?? [TEST_CREDENTIALS], { region: this.region, service: 'ecr' }, this.now());
      const operation = this.operations[call.operation];
      if (!operation) throw new AwsJsonError('UnknownOperationException', `The operation ${call.operation} is not emulated`);
      sendAwsJson(response, 200, operation(parseInput(received.body)));
    } catch (error) {
      const failure = error instanceof AwsJsonError ? error : new AwsJsonError('InternalFailure', String(error), 500);
      call.error = failure.type;
      sendAwsError(response, failure);
    }
  }
}

function readRequest(request: IncomingMessage): Promise<ReceivedRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', reject);
    request.on('end', () => resolve({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks) }));
  });
}

/** `POST /` with `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>` and a JSON 1.1 body. */
function operationOf(request: ReceivedRequest): string {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (request.method !== 'POST' || !target.startsWith(ECR_TARGET_PREFIX)) {
    throw new AwsJsonError('UnknownOperationException', `expected POST / with X-Amz-Target ${ECR_TARGET_PREFIX}<operation>, got ${request.method} ${request.path} ${target || '(no target)'}`);
  }
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
    throw new AwsJsonError('SerializationException', 'expected Content-Type application/x-amz-json-1.1');
  }
  return target.slice(ECR_TARGET_PREFIX.length);
}

function parseInput(body: Buffer): Record<string, any> {
  try {
    const input: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
    return typeof input === 'object' && input !== null ? (input as Record<string, any>) : {};
  } catch {
    throw new AwsJsonError('SerializationException', 'the request body is not JSON');
  }
}
