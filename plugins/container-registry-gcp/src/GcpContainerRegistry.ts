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
import { manifestReferenceOf, parseImageReference, RegistryApiClient, registryBaseUrl, type BearerTokenCache, type ManifestProbe } from '@stowage/oci';
import { gcpCredentialSource } from '@stowage/gcp';
import type { GcpContainerRegistryConfig } from './config.js';
import { GoogleAccessToken, type AccessTokenFetcher } from './GoogleAccessToken.js';
import { googleTokenFetcher, type GoogleTokenFetcherOptions } from './googleTokenFetcher.js';
import { pushRefusal, TOKEN_HINT } from './pushRefusal.js';
import { locateRegistry, type RegistryLocation } from './registryLocation.js';

/** The user name Artifact Registry and Container Registry take with an OAuth2 access token as password. */
export const ACCESS_TOKEN_USER = 'oauth2accesstoken';

/** Digest of the empty blob: what the push check asks to mount (it never needs to exist). */
const EMPTY_BLOB = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface GcpRegistryOptions {
  location: RegistryLocation;
  defaultRepository?: string;
  /** Where the access token comes from (google-auth-library, or the configured token). */
  fetchToken: AccessTokenFetcher;
  secrets: SecretSink;
  timeoutMs?: number;
  /** The clock the token's expiry is compared with. */
  now?: () => number;
  /** Token cache of the distribution client; default: the process-wide one. */
  tokens?: BearerTokenCache;
}

/**
 * A Google registry (Artifact Registry or Container Registry): logins as `oauth2accesstoken` with
 * an access token from google-auth-library, images through the OCI distribution API with that
 * login (`@stowage/oci`). Repositories are not created: Artifact Registry needs them to exist.
 */
export class GcpContainerRegistry implements ContainerRegistry {
  readonly uri: string;
  readonly defaultRepository?: string;
  private readonly location: RegistryLocation;
  private readonly token: GoogleAccessToken;
  private readonly api: RegistryApiClient;

  constructor(options: GcpRegistryOptions) {
    this.location = options.location;
    this.uri = options.location.uri;
    this.defaultRepository = options.defaultRepository;
    this.token = new GoogleAccessToken(options.fetchToken, options.secrets, options.now);
    this.api = new RegistryApiClient({
      // https, except plain http for a loopback stand-in (dockerd's default insecure range).
      baseUrl: registryBaseUrl(options.location.host),
      auth: (scope) => this.auth(scope),
      timeoutMs: options.timeoutMs ?? 30_000,
      tokens: options.tokens,
      secrets: options.secrets,
    });
  }

  /** `fetcherOptions`: what google-auth-library's clients get (tests point them at loopback). */
  static fromConfig(
    config: GcpContainerRegistryConfig,
    ctx: Pick<FlavorContext, 'secrets'>,
    fetcherOptions: Omit<GoogleTokenFetcherOptions, 'uri' | 'project'> = {},
  ): GcpContainerRegistry {
    const { location } = locateRegistry(config);
    if (!location) throw new StowageError('the gcp container registry config was not validated by its schema', { code: 'USAGE' });
    const fetchToken = googleTokenFetcher(gcpCredentialSource(config), { uri: location.uri, ...(location.project ? { project: location.project } : {}), ...fetcherOptions });
    return new GcpContainerRegistry({ location, defaultRepository: config.default_repository, fetchToken, secrets: ctx.secrets, timeoutMs: config.timeout_seconds * 1000 });
  }

  /** `basic` `oauth2accesstoken:<access token>`: one token serves every repository the account may use. */
  async auth(_scope: RegistryAuthScope): Promise<RegistryAuth> {
    return { type: 'basic', username: ACCESS_TOKEN_USER, password: await this.token.get() };
  }

  /**
   * Checks that the repository takes pushes, before the builder pushes: starts an upload (what a
   * push does first) and cancels it. Artifact Registry answers a repository that does not exist
   * with 404 NAME_UNKNOWN; the error says which `gcloud` command creates it. Nothing is created.
   */
  async prepareRepository(repository: string): Promise<void> {
    await this.token.get();
    try {
      await this.api.mountBlob(repository, EMPTY_BLOB, repository);
    } catch (error) {
      if (!StowageError.isInstance(error) || error.code !== 'REGISTRY_FAILED') throw error;
      throw pushRefusal(error, this.location, repository);
    }
  }

  /** Asks the registry for the manifest: another registry's image, or no answer, is `unknown`. */
  async imageExists(reference: string): Promise<ImagePresence> {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.location.host) return 'unknown';
    return (await this.probe(parsed)).presence;
  }

  /** The manifest digest the registry serves, or undefined when the image is absent. */
  async resolveDigest(reference: string): Promise<string | undefined> {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.location.host) {
      throw new StowageError(`image ${reference} does not belong to the container registry ${this.uri}`, {
        code: 'USAGE',
        hint: `read its digest from a registry component whose uri is on ${parsed.registry}`,
      });
    }
    await this.token.get();
    return this.api.resolveDigest(parsed, `${TOKEN_HINT}; reading needs Artifact Registry Reader (roles/artifactregistry.reader)`);
  }

  /** A token that cannot be had is an error with Google's reason and a hint, not a silent `unknown`. */
  private async probe(reference: ImageRef): Promise<ManifestProbe> {
    await this.token.get();
    return this.api.probeManifest(reference.repository, manifestReferenceOf(reference));
  }
}
