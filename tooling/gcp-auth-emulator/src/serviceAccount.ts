import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** A throw-away service account for tests: its JSON key (what a user puts in `service_account_key`) and public key. */
export interface TestServiceAccount {
  email: string;
  keyId: string;
  /** The JSON key file's content. */
  keyJson: string;
  publicKeyPem: string;
}

/** A fresh RSA-2048 service account of `project` (the key's `project_id`). */
export function makeTestServiceAccount(email = 'stowage-test@stowage-e2e.iam.gserviceaccount.com', project = 'stowage-e2e'): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomBytes(20).toString('hex');
  const keyJson = JSON.stringify({
    type: 'service_account',
    project_id: project,
    private_key_id: keyId,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: String(BigInt(`0x${randomBytes(8).toString('hex')}`)),
    // Where a client would exchange a signed assertion for a token. The plugins never do (they
    // send self-signed JWTs), and the loopback guard fails any attempt.
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { email, keyId, keyJson, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
