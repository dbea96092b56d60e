// @stowage/gcp-auth-emulator: what the loopback GCP emulators verify. Test-only, never published.
export { googleErrorBody, verifyGoogleBearer, type BearerVerdict, type GoogleBearerTrust } from './bearer.js';
export { makeTestServiceAccount, type TestServiceAccount } from './serviceAccount.js';
