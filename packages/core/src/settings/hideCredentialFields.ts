import { looksLikeCredential } from '@stowage/plugin-api';

/**
 * A JSON-like value with the values of credential-named keys (`password`, `API_TOKEN`, build arg
 * `PIP_INDEX_TOKEN`, …) replaced by `***` at any depth: what `plan` and build records show of
 * settings. Credentials inside strings (URLs, `NAME=value`) are the Redactor's.
 */
export function hideCredentialFields<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => hideCredentialFields(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, looksLikeCredential(k) && v !== null && v !== undefined && v !== '' ? '***' : hideCredentialFields(v)]),
    ) as T;
  }
  return value;
}
