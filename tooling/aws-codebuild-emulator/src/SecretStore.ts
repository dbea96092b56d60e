import { randomBytes, randomUUID } from 'node:crypto';
import { AwsServiceError } from './AwsJsonServer.js';

interface StoredSecret {
  name: string;
  arn: string;
  versionId: string;
  value: string;
  created: number;
}

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Secrets Manager (`secretsmanager.*`, JSON 1.1) as far as CodeBuild builds use it: CreateSecret
 * (for test setup) and GetSecretValue by name or ARN, with AWS's errors; and the read a build's
 * service role does for `SECRETS_MANAGER` variables ({@link current}). String secrets only.
 */
export class SecretStore {
  private readonly secrets = new Map<string, StoredSecret>();

  constructor(
    private readonly region: string,
    private readonly account: string,
  ) {}

  readonly operations = {
    CreateSecret: (input: Record<string, unknown>) => this.create(input),
    GetSecretValue: (input: Record<string, unknown>) => this.getValue(input),
  };

  /** Creates a secret directly (test setup without a client); returns its ARN. */
  add(name: string, value: string): string {
    return this.create({ Name: name, SecretString: value }).ARN;
  }

  /**
   * The AWSCURRENT value of a secret by name or ARN, at a version stage or id when one is given
   * (as a `SECRETS_MANAGER` variable names them); undefined when there is none.
   */
  current(secretId: string, versionStage?: string, versionId?: string): string | undefined {
    const secret = this.lookup(secretId);
    if (!secret || (versionStage && versionStage !== 'AWSCURRENT') || (versionId && versionId !== secret.versionId)) return undefined;
    return secret.value;
  }

  private create(input: Record<string, unknown>): { ARN: string; Name: string; VersionId: string } {
    const name = typeof input['Name'] === 'string' ? input['Name'] : '';
    if (!NAME.test(name)) throw new AwsServiceError('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    if (typeof input['SecretString'] !== 'string') throw new AwsServiceError('InvalidParameterException', 'The emulator stores SecretString secrets only.');
    if (this.secrets.has(name)) throw new AwsServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    // AWS appends a hyphen and six random characters to the name in the ARN.
    const suffix = [...randomBytes(6)].map((b) => SUFFIX_CHARS[b % SUFFIX_CHARS.length]).join('');
    const arn = `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${name}-${suffix}`;
    const versionId = typeof input['ClientRequestToken'] === 'string' ? input['ClientRequestToken'] : randomUUID();
    this.secrets.set(name, { name, arn, versionId, value: input['SecretString'], created: Date.now() });
    return { ARN: arn, Name: name, VersionId: versionId };
  }

  private getValue(input: Record<string, unknown>): unknown {
    const secret = this.lookup(String(input['SecretId'] ?? ''));
    if (!secret) throw new AwsServiceError('ResourceNotFoundException', NOT_FOUND);
    const stage = input['VersionStage'];
    if (typeof stage === 'string' && stage !== 'AWSCURRENT') throw new AwsServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
    const id = input['VersionId'];
    if (typeof id === 'string' && id !== secret.versionId) throw new AwsServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${id}`);
    return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, SecretString: secret.value, VersionStages: ['AWSCURRENT'], CreatedDate: secret.created / 1000 };
  }

  private lookup(secretId: string): StoredSecret | undefined {
    return secretId.startsWith('arn:') ? [...this.secrets.values()].find((s) => s.arn === secretId) : this.secrets.get(secretId);
  }
}
