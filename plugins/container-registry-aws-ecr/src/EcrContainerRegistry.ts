import { CreateRepositoryCommand, DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
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
import type { EcrContainerRegistryConfig } from './config.js';
import { createEcrClient } from './createEcrClient.js';
import { ecrFailure } from './ecrFailure.js';
import { EcrLogin } from './EcrLogin.js';
import { locateRegistry, type RegistryLocation } from './ecrUri.js';

export interface EcrRegistryOptions {
  /** The registry uri, validated by the config schema. */
  uri: string;
  defaultRepository?: string;
  timeoutMs?: number;
  secrets: SecretSink;
  /** The clock the login's expiry is compared with. */
  now?: () => number;
  /** Token cache of the distribution client; default: the process-wide one. */
  tokens?: BearerTokenCache;
}

/**
 * An Amazon ECR registry: logins and repositories through the ECR API (`@aws-sdk/client-ecr`),
 * images through the OCI distribution API with that login (`@stowage/oci`).
 */
export class EcrContainerRegistry implements ContainerRegistry {
  readonly uri: string;
  readonly defaultRepository?: string;
  private readonly parsed: RegistryLocation;
  private readonly login: EcrLogin;
  private readonly api: RegistryApiClient;

  constructor(
    private readonly client: ECRClient,
    options: EcrRegistryOptions,
  ) {
    this.uri = options.uri.replace(/\/+$/, '');
    const parsed = locateRegistry(this.uri);
    if (!parsed) throw new StowageError(`"${options.uri}" is not an ECR registry uri (<account>.dkr.ecr.<region>.amazonaws.com[/path]) or a loopback registry`, { code: 'USAGE' });
    this.parsed = parsed;
    this.defaultRepository = options.defaultRepository;
    this.login = new EcrLogin(client, options.secrets, this.uri, options.now);
    this.api = new RegistryApiClient({
      // https, except plain http for a loopback stand-in (dockerd's default insecure range).
      baseUrl: registryBaseUrl(parsed.host),
      auth: (scope) => this.auth(scope),
      timeoutMs: options.timeoutMs ?? 30_000,
      tokens: options.tokens,
      secrets: options.secrets,
    });
  }

  static fromConfig(config: EcrContainerRegistryConfig, ctx: Pick<FlavorContext, 'secrets'>): EcrContainerRegistry {
    return new EcrContainerRegistry(createEcrClient(config, ctx.secrets), {
      uri: config.uri,
      defaultRepository: config.default_repository,
      timeoutMs: config.timeout_seconds * 1000,
      secrets: ctx.secrets,
    });
  }

  /** `basic` `AWS:<token>` from GetAuthorizationToken (one login per account serves every repository). */
  async auth(_scope: RegistryAuthScope): Promise<RegistryAuth> {
    const { username, password } = await this.login.get();
    return { type: 'basic', username, password };
  }

  /** Creates the repository when ECR does not have it (ECR, unlike most registries, does not create on push). */
  async prepareRepository(repository: string): Promise<void> {
    // The uri's account; a loopback stand-in names none, so ECR's default applies (the caller's account).
    const registryId = this.parsed.accountId;
    try {
      await this.client.send(new DescribeRepositoriesCommand({ registryId, repositoryNames: [repository] }));
      return;
    } catch (error) {
      if (nameOf(error) !== 'RepositoryNotFoundException') throw ecrFailure(`could not look up repository ${repository} in ${this.parsed.host}`, error, this.uri);
    }
    try {
      await this.client.send(new CreateRepositoryCommand({ registryId, repositoryName: repository }));
    } catch (error) {
      // Another push created it in between: what was wanted.
      if (nameOf(error) === 'RepositoryAlreadyExistsException') return;
      throw ecrFailure(`could not create repository ${repository} in ${this.parsed.host}`, error, this.uri);
    }
  }

  /** Asks the registry for the manifest: another registry's image, or no answer, is `unknown`. */
  async imageExists(reference: string): Promise<ImagePresence> {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.parsed.host) return 'unknown';
    return (await this.probe(parsed)).presence;
  }

  /** The manifest digest the registry serves, or undefined when the image is absent. */
  async resolveDigest(reference: string): Promise<string | undefined> {
    const parsed = parseImageReference(reference);
    if (parsed.registry !== this.parsed.host) {
      throw new StowageError(`image ${reference} does not belong to the container registry ${this.uri}`, {
        code: 'USAGE',
        hint: `read its digest from a registry component whose uri is on ${parsed.registry}`,
      });
    }
    await this.login.get();
    return this.api.resolveDigest(parsed, 'check that the credentials may pull from this repository (ecr:BatchGetImage)');
  }

  /** A failed login is an error with ECR's reason and a hint, not a silent `unknown`. */
  private async probe(reference: ImageRef): Promise<ManifestProbe> {
    await this.login.get();
    return this.api.probeManifest(reference.repository, manifestReferenceOf(reference));
  }
}

function nameOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;
}
