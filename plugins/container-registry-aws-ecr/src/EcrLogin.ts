import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { StowageError, type SecretSink } from '@stowage/plugin-api';
import { ecrFailure } from './ecrFailure.js';

/** A registry login from GetAuthorizationToken: user `AWS` and a password valid until `expiresAt`. */
export interface EcrAuthorization {
  username: string;
  password: string;
  expiresAt: Date;
}

/**
 * Refreshed this long before it expires (ECR logins last 12 hours): a remote build that carries
 * the login may run for an hour before it pushes.
 */
export const REFRESH_MARGIN_MS = 60 * 60 * 1000;

/**
 * The account's registry login, fetched once and shared by every caller until it is within
 * REFRESH_MARGIN_MS of `expiresAt`; then fetched again. A failed fetch is not cached.
 */
export class EcrLogin {
  private current?: Promise<EcrAuthorization>;

  constructor(
    private readonly client: ECRClient,
    private readonly secrets: SecretSink,
    private readonly uri: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<EcrAuthorization> {
    const pending = this.current;
    const login = pending && (await pending.catch(() => undefined));
    if (login && login.expiresAt.getTime() - REFRESH_MARGIN_MS > this.now()) return login;
    // Another caller started a refresh (or saw the last one fail) while this one waited: share it.
    if (this.current !== pending) return this.get();
    const next = this.fetch();
    this.current = next;
    next.catch(() => {
      if (this.current === next) this.current = undefined;
    });
    return next;
  }

  private async fetch(): Promise<EcrAuthorization> {
    let data;
    try {
      data = (await this.client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
    } catch (error) {
      throw ecrFailure(`could not get a login for ${this.uri} from ECR (GetAuthorizationToken)`, error, this.uri);
    }
    const decoded = data?.authorizationToken ? Buffer.from(data.authorizationToken, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 1 || !data?.expiresAt) {
      throw new StowageError(`ECR answered GetAuthorizationToken for ${this.uri} without a usable token`, {
        code: 'REGISTRY_FAILED',
        hint: 'check `endpoint`: it must be the ECR API of the registry’s region',
      });
    }
    const login = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), expiresAt: data.expiresAt };
    this.secrets.add(login.password);
    this.secrets.add(data.authorizationToken!);
    return login;
  }
}
