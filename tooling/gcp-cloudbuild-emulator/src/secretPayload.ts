import { crc32c } from '@aws-crypto/crc32c';
import { GoogleApiError } from './GoogleApiError.js';

/** Secret Manager's limit on one version's payload. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
// Google's label rules: a key starts with a lowercase letter; keys and values are lowercase letters, digits, `_` and `-`, at most 63.
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const invalid = (message: string) => new GoogleApiError(400, message);

/** `Secret.labels`, checked as Secret Manager checks them (at most 64). */
export function checkLabels(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('Secret.labels must map keys to values.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 64) throw invalid('Secret.labels: a secret has at most 64 labels.');
  for (const [key, v] of entries) {
    if (!LABEL_KEY.test(key)) throw invalid(`Secret.labels: invalid key "${key}": keys start with a lowercase letter and use lowercase letters, digits, _ and -, at most 63 characters.`);
    if (typeof v !== 'string' || !LABEL_VALUE.test(v)) throw invalid(`Secret.labels: invalid value for "${key}": values use lowercase letters, digits, _ and -, at most 63 characters.`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A protobuf JSON Duration (`"3600s"`, `"1.5s"`) in seconds, or undefined when absent. */
export function durationSeconds(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === 'string' ? /^(\d+)(\.\d{1,9})?s$/.exec(value) : null;
  if (!m) throw invalid(`${where}: invalid duration ${JSON.stringify(value)}`);
  return Number(m[1]) + Number(m[2] ?? 0);
}

/**
 * `SecretPayload` of AddSecretVersion: `data` is base64 (protobuf JSON bytes), at most 64 KiB;
 * `dataCrc32c` (an int64, sent as a decimal string) must be the CRC32C (Castagnoli) of the data
 * when given — Secret Manager refuses a payload that does not match it.
 */
export function payloadOf(value: unknown): { data: Buffer; checksum: boolean } {
  const payload = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const encoded = payload?.['data'];
  if (typeof encoded !== 'string' || !BASE64.test(encoded)) throw invalid('SecretPayload.data is required, as base64.');
  const data = Buffer.from(encoded, 'base64');
  if (data.length > MAX_PAYLOAD_BYTES) throw invalid(`SecretPayload.data is ${data.length} bytes; a secret version holds at most ${MAX_PAYLOAD_BYTES} bytes.`);
  const given = payload?.['dataCrc32c'];
  if (given === undefined || given === null) return { data, checksum: false };
  if (String(given) !== String(crc32c(data))) throw invalid(`Checksum mismatch: SecretPayload.dataCrc32c ${String(given)} is not the CRC32C of the data received (${crc32c(data)}); the payload may have been corrupted in transit.`);
  return { data, checksum: true };
}
