// @stowage/gcs-emulator: the GCS JSON API on loopback, for tests. Never published.
export { GcsEmulator, STORAGE_SCOPES, type GcsEmulatorOptions } from './GcsEmulator.js';
export type { GcsCall, GcsOperation } from './GcsExchange.js';
export type { ObjectFields, StoredObject } from './GcsBuckets.js';
export { checksumsOf, type ObjectChecksums } from './objectChecksums.js';
export { verifySignedUrl, canonicalRequestOf, type SignedRequest, type SignedUrlVerdict } from './verifySignedUrl.js';
