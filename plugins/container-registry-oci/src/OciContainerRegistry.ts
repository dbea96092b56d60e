import {
  StowageError,
  type ContainerRegistry,
  type FlavorContext,
  type ImagePresence,
  type ImageRef,
  type RegistryAuth,
  type RegistryAuthScope,
  type SecretSink,
} from '@stowage/plugin-api';
import {
  dockerConfigPath,
  manifestReferenceOf,
  parseImageReference,
  parseRegistryUri,
  RegistryApiClient,
  registryBaseUrl,
  resolveRegistryCredentials,
  type BearerTokenCache,
  type ManifestProbe,
  type RegistryCredentials,
} from '@stowage/oci';
import type { OciContainerRegistryConfig } from './config.js';

export interface OciContainerRegistryOptions {
  /** `host[:port][/path]`, no scheme (already validated by the config schema). */
  uri: string;
  defaultRepository?: string;
  /** Plain http; default: true for loopback hosts, as dockerd's default insecure range. */
  insecure?: boolean;
  timeoutMs?: number;
  /** Where the login comes from (null: none); called at most once per successful resolution. */
  login: () => Promise<RegistryCredentials | null>;
  /** Token cache; default: the process-wide one. */
  tokens?: BearerTokenCache;
  /** Where runtime secrets (registry tokens) are registered: the host's redactor. */
  secrets?: SecretSink;
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
  private readonly resolveLogin: () => Promise<RegistryCredentials | null>;
  private loginOnce?: Promise<RegistryCredentials | null>;

  constructor(options: OciContainerRegistryOptions) {
    const uri = options.uri.replace(/\/+$/, '');
    const parsed = parseRegistryUri(uri);
    if (!parsed) throw new StowageError(`"${options.uri}" is not a registry uri (host[:port][/path], no scheme)`, { code: 'USAGE' });
    this.uri = uri;
    this.defaultRepository = options.defaultRepository;
    this.registry = parsed.registry;
    this.path = parsed.path;
    this.resolveLogin = options.login;
    this.api = new RegistryApiClient({
      baseUrl: registryBaseUrl(parsed.registry, options.insecure),
      auth: (scope) => this.auth(scope),
      timeoutMs: options.timeoutMs ?? 30_000,
      tokens: options.tokens,
      secrets: options.secrets,
    });
  }

  /**
   * Builds the component from its validated config. The Docker config file is read lazily; a
   * password found there (or from a credential helper) and registry tokens are registered as
   * runtime secrets.
   */
  static fromConfig(config: OciContainerRegistryConfig, ctx: Pick<FlavorContext, 'env' | 'projectRoot' | 'runner' | 'secrets'>): OciContainerRegistry {
    const registry = parseRegistryUri(config.uri)?.registry ?? config.uri;
    const dockerConfigFile = dockerConfigPath(config.docker_config, ctx.env, ctx.projectRoot);
    return new OciContainerRegistry({
      uri: config.uri,
      defaultRepository: config.default_repository,
      insecure: config.insecure,
      timeoutMs: config.timeout_seconds * 1000,
      secrets: ctx.secrets,
      login: async () => {
        const login = await resolveRegistryCredentials({ registry, username: config.username, password: config.password, dockerConfigFile, runner: ctx.runner });
        if (login) ctx.secrets.add(login.password);
        return login;
      },
    });
  }

  /**
   * `basic` with the configured login, else the one `docker login` stored (Docker config file or
   * credential helper), else `anonymous`. The same login serves every scope; the registry's
   * bearer-token exchange stays inside the distribution client.
   */
  async auth(_scope: RegistryAuthScope): Promise<RegistryAuth> {
    const login = await this.login();
    return login ? { type: 'basic', username: login.username, password: login.password } : { type: 'anonymous' };
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
   * The manifest digest the registry serves (what `docker push` printed), or undefined when the
   * image is absent. Throws REGISTRY_FAILED when the registry cannot tell, USAGE for an image of
   * another registry (asking the wrong registry is a caller bug).
   */
  async resolveDigest(reference: string): Promise<string | undefined> {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.registry) {
      throw new StowageError(`image ${reference} does not belong to the container registry ${this.uri}`, {
        code: 'USAGE',
        hint: `read its digest from a registry component whose uri is on ${parsed.registry}`,
      });
    }
    return this.api.resolveDigest(parsed, 'check that the registry is up and that the login (username/password or docker login) may pull this repository');
  }

  /** Resolved once; a failed resolution (e.g. an unreadable config file) is retried next time. */
  private login(): Promise<RegistryCredentials | null> {
    this.loginOnce ??= this.resolveLogin().catch((error: unknown) => {
      this.loginOnce = undefined;
      throw error;
    });
    return this.loginOnce;
  }

  private probe(reference: ImageRef): Promise<ManifestProbe> {
    return this.api.probeManifest(reference.repository, manifestReferenceOf(reference));
  }
}
