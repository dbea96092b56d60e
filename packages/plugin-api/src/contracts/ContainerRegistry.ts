import type { ImagePresence } from '../ImageRef.js';

/** What a registry call wants to do in one repository (the distribution spec's token scope). */
export interface RegistryAuthScope {
  /** Repository path inside the registry, e.g. `acme/stowage`. */
  repository: string;
  actions: readonly ('pull' | 'push')[];
}

/**
 * How to authenticate to the registry for one scope: no credentials, a user and password, a
 * bearer token (with its expiry, so callers refresh it), or `ambient` — whoever pushes (a remote
 * builder inside the cloud) logs in on its own. A local engine has no ambient login of its own
 * (it does not read `docker login`), so a local builder treats `ambient` as anonymous.
 */
export type RegistryAuth =
  | { type: 'anonymous' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string; expiresAt?: Date }
  | { type: 'ambient' };

export interface ContainerRegistry {
  auth(scope: RegistryAuthScope): Promise<RegistryAuth>;
  /** Asks the registry (never assumes): `unknown` when it cannot tell. */
  imageExists(reference: string): Promise<ImagePresence>;
  /** The manifest digest the registry serves for a reference; undefined when absent. */
  resolveDigest(reference: string): Promise<string | undefined>;
  /** Called before pushing to a repository (e.g. to create it on ECR). */
  prepareRepository?(repository: string): Promise<void>;
}

/** What planning needs to know about a registry, from its config alone. */
export interface ContainerRegistryDescription {
  /** Where images go: `host[:port][/path]`, no scheme, no trailing slash. */
  uri: string;
  /** Repository under `uri` for images whose settings name none. */
  defaultRepository?: string;
  /** Config values that identify where images live (enter the stack checksum); default: `uri`. */
  identity?: Readonly<Record<string, unknown>>;
  /**
   * The registry's API is plain http. Default: loopback hosts only (dockerd's default insecure
   * range). Core's own registry calls (code layers, retags) follow it.
   */
  insecure?: boolean;
  /**
   * Whether core may append code layers to images here through the registry's OCI distribution
   * API (default true: every real registry serves it). A registry that does not (an in-memory
   * test double) says false, and included code is copied by the Docker build instead.
   */
  appendsLayers?: boolean;
}
