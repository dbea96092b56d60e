import { verifyGoogleBearer, type GoogleBearerTrust, type TestServiceAccount } from '@stowage/gcp-auth-emulator';
import type { GcsExchange } from './GcsExchange.js';
import { sendXmlError } from './gcsResponses.js';
import { sendMedia } from './jsonApi.js';
import { verifySignedUrl } from './verifySignedUrl.js';

const ANONYMOUS = 'Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object.';

/**
 * `GET /{bucket}/{object}` on the XML API: a V4 signed URL (checked against the signers' public
 * keys), or a request with a bearer token. Errors are XML, as the XML API answers.
 */
export function getXmlObject(exchange: GcsExchange, bucket: string, name: string, trust: GoogleBearerTrust, signers: readonly TestServiceAccount[]): void {
  const { request, response, url } = exchange;
  if (url.searchParams.has('X-Goog-Signature') || url.searchParams.has('X-Goog-Algorithm')) {
    const verdict = verifySignedUrl({ method: request.method ?? 'GET', rawPath: url.pathname, query: url.searchParams, headers: request.headers }, signers, exchange.now());
    if (!verdict.ok) return sendXmlError(response, verdict);
    exchange.call.principal = verdict.signer;
  } else {
    const verdict = verifyGoogleBearer(request.headers.authorization, trust);
    if (!verdict.ok) {
      const details = request.headers.authorization ? verdict.reason : ANONYMOUS;
      return sendXmlError(response, { status: request.headers.authorization ? verdict.status : 403, code: 'AccessDenied', message: 'Access denied.', details });
    }
    exchange.call.principal = verdict.principal;
  }
  if (!exchange.buckets.hasBucket(bucket)) {
    return sendXmlError(response, { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist.' });
  }
  const object = exchange.buckets.find(bucket, name);
  if (!object) return sendXmlError(response, { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', details: `No such object: ${bucket}/${name}` });
  sendMedia(exchange, object, 'xml');
}
