/** A registry login: what `docker login` stores and a Basic challenge or a token endpoint is answered with. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** The `Authorization` value of a Basic login (RFC 7617, UTF-8). */
export function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}
