import type Docker from 'dockerode';
import type { RegistryAuth } from '@stowage/plugin-api';

/**
 * A registry's answer to `auth(scope)` as the Engine API's AuthConfig (X-Registry-Auth for a push,
 * an entry of X-Registry-Config for a classic build's pulls): a user and password, a bearer token
 * as `registrytoken`, or nothing — anonymous, or `ambient` (whoever pushes logs in on its own; for
 * this engine that means its own `docker login`, which the Engine API does not read, so nothing).
 */
export function engineAuthConfig(auth: RegistryAuth, serveraddress: string): Docker.AuthConfig | undefined {
  switch (auth.type) {
    case 'basic':
      return { username: auth.username, password: auth.password, serveraddress };
    case 'bearer':
      return { registrytoken: auth.token };
    case 'anonymous':
    case 'ambient':
      return undefined;
  }
}
