import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** An error the way an AWS JSON 1.1 service answers it: an HTTP status and `{ __type, message }`. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** Writes a JSON 1.1 answer with the headers the real service sends. */
export function sendAwsJson(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}

export function sendAwsError(response: ServerResponse, error: AwsJsonError): void {
  sendAwsJson(response, error.status, { __type: error.type, message: error.message }, error.type);
}
