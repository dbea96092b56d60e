import { StowageError, type ContainerRegistry, type FlavorContext, type ImagePresence, type RegistryCredentials } from '@stowage/core';
import type { BearerTokenCache } from './BearerTokenAuth.js';
import type { OciContainerRegistryConfig } from './config.js';
import { dockerConfigPath } from './DockerConfigFile.js';
import {
  isLoopbackRegistry,
  manifestReferenceOf,
  parseImageReference,
  parseRegistryUri,
  registryApiHost,
  type ImageReference,
} from './ImageReference.js';
import { RegistryApiClient, type ManifestProbe } from './RegistryApiClient.js';
import { resolveRegistryCredentials } from './RegistryCredentialSource.js';

const PLUGIN = '@stowage/container-registry-oci';

export interface OciContainerRegistryOptions {
  /** `host[:port][/path]`, no scheme (already validated by the config schema). */
  uri: string;
  defaultRepository?: string;
  /** Plain http; default: true for loopback hosts, as dockerd's default insecure range. */
  insecure?: boolean;
  timeoutMs?: number;
  /** Where the login comes from; called at most once per successful resolution. */
  credentials: () => Promise<RegistryCredentials | null>;
  /** Token cache; default: the process-wide one. */
  tokens?: BearerTokenCache;
}

/** Any registry speaking the OCI distribution / Docker Registry HTTP API v2. */
export class OciContainerRegistry implements ContainerRegistry {
  readonly uri: string;
  readonly defaultRepository?: string;
  /** `host[:port]` of `uri`, normalised (`docker.io` for Docker Hub). */
  readonly registry: string;
  /** The repository path of `uri` after the host (`acme` for `ghcr.io/acme`), if any. */
  private readonly path?: string;
  private readonly api: RegistryApiClient;
  private readonly resolveCredentials: () => Promise<RegistryCredentials | null>;
  private credentialsOnce?: Promise<RegistryCredentials | null>;

  constructor(options: OciContainerRegistryOptions) {
    const parsed = parseRegistryUri(options.uri.replace(/\/+$/, ''));
    if (!parsed) {
      throw new StowageError(`"${options.uri}" is not a registry uri (host[:port][/path], no scheme)`, { code: 'USAGE', plugin: PLUGIN });
    }
    this.uri = options.uri.replace(/\/+$/, '');
    this.defaultRepository = options.defaultRepository;
    this.registry = parsed.registry;
    this.path = parsed.path;
    this.resolveCredentials = options.credentials;
    const scheme = (options.insecure ?? isLoopbackRegistry(parsed.registry)) ? 'http' : 'https';
    this.api = new RegistryApiClient({
      baseUrl: `${scheme}://${registryApiHost(parsed.registry)}`,
      credentials: () => this.credentials(),
      timeoutMs: options.timeoutMs ?? 30_000,
      tokens: options.tokens,
    });
  }

  /** Builds the component from its validated config; the Docker config file is read lazily. */
  static fromConfig(config: OciContainerRegistryConfig, ctx: Pick<FlavorContext, 'env' | 'projectRoot' | 'runner'>): OciContainerRegistry {
    const registry = parseRegistryUri(config.uri)?.registry ?? config.uri;
    const dockerConfigFile = dockerConfigPath(config.docker_config, ctx.env, ctx.projectRoot);
    return new OciContainerRegistry({
      uri: config.uri,
      defaultRepository: config.default_repository,
      insecure: config.insecure,
      timeoutMs: config.timeout_seconds * 1000,
      credentials: () =>
        resolveRegistryCredentials({ registry, username: config.username, password: config.password, dockerConfigFile, runner: ctx.runner }),
    });
  }

  /** Resolved once; a failed resolution (e.g. unreadable config file) is retried next time. */
  credentials(): Promise<RegistryCredentials | null> {
    this.credentialsOnce ??= this.resolveCredentials().catch((error: unknown) => {
      this.credentialsOnce = undefined;
      throw error;
    });
    return this.credentialsOnce;
  }

  /**
   * True when `reference` names an image under this registry's `uri`, i.e. it is
   * `<uri>/<repository>[:tag][@digest]` — ZenML's `is_valid_image_name_for_registry`, compared on
   * parsed names so Docker Hub aliases (`docker.io`, `index.docker.io`, no host at all) agree and
   * `ghcr.io/acme` does not claim `ghcr.io/acmecorp/…` or `ghcr.io/other/…`. A malformed
   * reference throws USAGE, as in `imageExists`.
   */
  belongsToRegistry(reference: string): boolean {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.registry) return false;
    return this.path === undefined || parsed.repository.startsWith(`${this.path}/`);
  }

  /**
   * Asks the registry for the manifest. A reference of another registry, an unreachable registry
   * or a refused login is `unknown` (never assumed present); a malformed reference throws USAGE.
   */
  async imageExists(reference: string): Promise<ImagePresence> {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.registry) return 'unknown';
    return (await this.probe(parsed)).presence;
  }

  /**
   * The `Docker-Content-Digest` of the manifest (what `docker push` printed), or undefined when
   * the image is absent. Throws REGISTRY_FAILED when the registry cannot tell.
   */
  async manifestDigest(reference: string): Promise<string | undefined> {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.registry) {
      throw new StowageError(`image ${reference} does not belong to the container registry ${this.uri}`, {
        code: 'USAGE',
        plugin: PLUGIN,
        hint: `read its digest from a registry component whose uri is on ${parsed.registry}`,
      });
    }
    const probe = await this.probe(parsed);
    if (probe.presence === 'unknown') {
      throw new StowageError(`could not read the digest of ${reference}: ${probe.reason ?? 'the registry did not say'}`, {
        code: 'REGISTRY_FAILED',
        plugin: PLUGIN,
        hint: 'check that the registry is up and that the login (username/password or docker login) may pull this repository',
      });
    }
    return probe.digest;
  }

  private probe(reference: ImageReference): Promise<ManifestProbe> {
    return this.api.probeManifest(reference.repository, manifestReferenceOf(reference));
  }
}
