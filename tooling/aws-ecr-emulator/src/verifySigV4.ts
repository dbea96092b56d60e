import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsJsonError } from './AwsJsonError.js';
import { NodeSha256 } from './NodeSha256.js';

/** An access key the emulator knows, as IAM would. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What arrived: the method, the path with its query, the headers (lower-case names) and the exact body. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Scope {
  region: string;
  service: string;
}

interface AuthorizationHeader {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
/** AWS refuses signatures more than 5 minutes away from its clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAuthorization(value: string | undefined): AuthorizationHeader {
  if (!value) throw new AwsJsonError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = AUTHORIZATION.exec(value);
  if (!match) throw new AwsJsonError('IncompleteSignatureException', `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${value.split(' ')[0]}`);
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId: accessKeyId!, date: date!, region: region!, service: service!, signedHeaders: signedHeaders!.split(';'), signature: signature! };
}

/** `20261129T171631Z` → Date. */
function parseAmzDate(value: string | undefined): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) throw new AwsJsonError('IncompleteSignatureException', 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function checkScope(auth: AuthorizationHeader, signedAt: Date, expected: SigV4Scope, now: Date): void {
  if (auth.service !== expected.service || auth.region !== expected.region) {
    throw new AwsJsonError('InvalidSignatureException', `Credential should be scoped to a valid region and service ('${expected.region}', '${expected.service}'), not ('${auth.region}', '${auth.service}').`);
  }
  if (auth.date !== signedAt.toISOString().slice(0, 10).replaceAll('-', '')) {
    throw new AwsJsonError('InvalidSignatureException', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.');
  }
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    throw new AwsJsonError('InvalidSignatureException', 'Signature expired: the request was signed more than 5 minutes away from the current time.');
  }
  for (const name of ['host', 'x-amz-date']) {
    if (!auth.signedHeaders.includes(name)) throw new AwsJsonError('InvalidSignatureException', `'${name}' must be a 'SignedHeader' in the AWS Authorization.`);
  }
}

/**
 * The signer takes a signed `x-amz-content-sha256` header as the payload's hash without hashing
 * the body (the SDK sends one): so the body is held to it here, or a changed body would pass.
 */
function checkPayloadHash(request: ReceivedRequest): void {
  const claimed = header(request, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== createHash('sha256').update(request.body).digest('hex')) {
    throw new AwsJsonError('InvalidSignatureException', SIGNATURE_MISMATCH);
  }
}

/** Signs the received request again with the secret of its key (the headers it signed, its body) and returns the signature. */
async function expectedSignature(request: ReceivedRequest, auth: AuthorizationHeader, secretAccessKey: string, signedAt: Date): Promise<string> {
  const [path, query = ''] = request.path.split('?', 2);
  const sessionToken = header(request, 'x-amz-security-token');
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    sha256: NodeSha256,
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
  });
  const headers = Object.fromEntries(auth.signedHeaders.map((name) => [name, header(request, name) ?? '']));
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: headers['host'] ?? '', path: path!, query: Object.fromEntries(new URLSearchParams(query)), headers, body: request.body.toString('utf8') },
    { signingDate: signedAt, signableHeaders: new Set(auth.signedHeaders) },
  );
  return /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))?.[1] ?? '';
}

/**
 * Verifies a request's SigV4 `Authorization` header as AWS does, with the errors a JSON 1.1
 * service answers: no header → MissingAuthenticationTokenException, an access key it does not
 * know → UnrecognizedClientException, a wrong secret, scope or tampered request →
 * InvalidSignatureException (all HTTP 400 on JSON 1.1 services such as ECR and ECS).
 * Returns the access key id that signed.
 */
export async function verifySigV4(request: ReceivedRequest, known: readonly TestCredentials[], expected: SigV4Scope, now = new Date()): Promise<string> {
  const auth = parseAuthorization(header(request, 'authorization'));
  const credentials = known.find((c) => c.accessKeyId === auth.accessKeyId);
  if (!credentials) throw new AwsJsonError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const signedAt = parseAmzDate(header(request, 'x-amz-date'));
  checkScope(auth, signedAt, expected, now);
  checkPayloadHash(request);
  if ((await expectedSignature(request, auth, credentials.secretAccessKey, signedAt)) !== auth.signature) {
    throw new AwsJsonError('InvalidSignatureException', SIGNATURE_MISMATCH);
  }
  return auth.accessKeyId;
}
