import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4, type AwsJsonError, type TestCredentials } from './verifySigV4.js';

/** One JSON 1.1 service: its target prefix (`CodeBuild_20161006`), SigV4 service name and operations. */
export interface AwsJsonService {
  targetPrefix: string;
  signingName: string;
  operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;
}

/** Thrown by an operation: answered as AWS answers errors (`{"__type", "message"}`). */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A request the server received: operation, its body as sent, and whether its signature passed. */
export interface ReceivedCall {
  target: string;
  /** The request body (JSON text): what the service was told, for tests that look for leaked values. */
  body: string;
  rejected?: string;
}

/**
 * `POST /` with `X-Amz-Target: <prefix>.<Op>` for several JSON 1.1 services on one loopback port.
 * Every request's SigV4 signature is verified before the operation runs.
 */
export class AwsJsonServer {
  readonly calls: ReceivedCall[] = [];
  private readonly server: Server;

  constructor(
    private readonly services: readonly AwsJsonService[],
    private readonly credentials: TestCredentials,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, op] = target.split('.');
    const service = this.services.find((s) => s.targetPrefix === prefix);
    const operation = op && service ? service.operations[op] : undefined;
    if (req.method !== 'POST' || !service || !operation) {
      return reply(res, 400, errorBody({ status: 400, type: 'UnknownOperationException', message: `Unknown operation ${target || '(no X-Amz-Target)'}` }));
    }
    const rejected = await verifySigV4({ method: req.method, url: req.url ?? '/', headers: req.headers, body }, service.signingName, this.credentials);
    this.calls.push({ target, body: body.toString('utf8'), ...(rejected ? { rejected: rejected.type } : {}) });
    if (rejected) return reply(res, rejected.status, errorBody(rejected));
    try {
      reply(res, 200, operation(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>) ?? {});
    } catch (error) {
      const e = error instanceof AwsServiceError ? error : new AwsServiceError('InternalFailure', String(error), 500);
      reply(res, e.status, errorBody({ status: e.status, type: e.type, message: e.message }));
    }
  }
}

function errorBody(error: AwsJsonError): Record<string, string> {
  return { __type: error.type, message: error.message };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID(), 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
