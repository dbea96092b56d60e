import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StowageError } from '@stowage/plugin-api';

type Env = Readonly<Record<string, string | undefined>>;

/** The TLS material of an https engine: which of them are set depends on the files present. */
export interface EngineTlsFiles {
  ca?: string;
  cert?: Buffer;
  key?: Buffer;
}

/** Whether `DOCKER_TLS_VERIFY` asks for TLS: the docker CLI treats any non-empty value as "on". */
export function tlsVerifyRequested(env: Env): boolean {
  return Boolean(env['DOCKER_TLS_VERIFY']);
}

/**
 * `ca.pem`, `cert.pem` and `key.pem` from `DOCKER_CERT_PATH` (else `~/.docker` when
 * `DOCKER_TLS_VERIFY` is set), as the docker CLI reads them. Read from the stack's environment,
 * not `process.env`, for the same reason the address is. The server certificate is always
 * verified: against `ca.pem` when present, else the system CAs.
 */
export function engineTlsFiles(env: Env): EngineTlsFiles {
  const certPath = env['DOCKER_CERT_PATH'];
  const dir = certPath || (tlsVerifyRequested(env) ? join(env['HOME'] || homedir(), '.docker') : undefined);
  if (!dir) return {};
  const read = (name: string): Buffer | undefined => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : undefined);
  const ca = read('ca.pem');
  const cert = read('cert.pem');
  const key = read('key.pem');
  if (Boolean(cert) !== Boolean(key)) {
    throw tlsConfigError(`${dir} holds ${cert ? 'cert.pem but no key.pem' : 'key.pem but no cert.pem'}`);
  }
  // An explicit DOCKER_CERT_PATH without any of the files is a typo, not a wish for no TLS material.
  if (certPath && !ca && !cert) throw tlsConfigError(`DOCKER_CERT_PATH ${certPath} holds none of ca.pem, cert.pem, key.pem`);
  // A string `ca` may hold several concatenated PEM certificates, as ca.pem bundles often do.
  return { ...(ca ? { ca: ca.toString('utf8') } : {}), ...(cert && key ? { cert, key } : {}) };
}

function tlsConfigError(message: string): StowageError {
  return new StowageError(message, {
    code: 'COMPONENT_CONFIG_INVALID',
    hint: 'point DOCKER_CERT_PATH at the folder with the engine\'s ca.pem and the client\'s cert.pem and key.pem (as `docker --tlsverify` uses)',
  });
}
