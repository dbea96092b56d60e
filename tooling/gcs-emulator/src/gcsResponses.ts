import type { IncomingMessage, ServerResponse } from 'node:http';
import { googleErrorBody } from '@stowage/gcp-auth-emulator';
import type { GcsBuckets } from './GcsBuckets.js';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The JSON API's error body (`{ error: { code, message, errors: [{ reason, … }] } }`). */
export function sendJsonError(response: ServerResponse, status: number, message: string, reason?: string): void {
  sendJson(response, status, googleErrorBody(status, message, reason));
}

const escapeXml = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** An XML API error: `<Error><Code>…</Code><Message>…</Message><Details>…</Details>…</Error>`. */
export interface XmlError {
  status: number;
  code: string;
  message: string;
  details?: string;
  stringToSign?: string;
  canonicalRequest?: string;
}

/** The XML API's error body, as GCS answers signed-URL requests. */
export function sendXmlError(response: ServerResponse, refusal: XmlError): void {
  const fields: [string, string | undefined][] = [
    ['Code', refusal.code],
    ['Message', refusal.message],
    ['Details', refusal.details],
    ['StringToSign', refusal.stringToSign],
    ['CanonicalRequest', refusal.canonicalRequest],
  ];
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error>${fields
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(value!)}</${name}>`)
    .join('')}</Error>`;
  response.writeHead(refusal.status, { 'Content-Type': 'application/xml; charset=UTF-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * The whole request body, counted against the emulator's bound as it arrives (the caller releases
 * or keeps the count). Rejects if the client goes away before the end: a body cut short is never
 * taken as complete.
 */
export function readBody(request: IncomingMessage, buckets: GcsBuckets): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      buckets.releasePending(length);
      // Drained, not read: the answer goes out as soon as the client is done sending.
      request.resume();
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        buckets.reservePending(chunk.length);
      } catch (error) {
        return fail(error as Error);
      }
      length += chunk.length;
      chunks.push(chunk);
    });
    request.on('error', fail);
    request.on('close', () => {
      if (!request.complete) fail(new Error('the client closed the request before its body ended'));
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, length));
    });
  });
}
