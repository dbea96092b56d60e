import { randomBytes } from 'node:crypto';
import { AwsServiceError } from './AwsJsonServer.js';

type ParameterType = 'String' | 'StringList' | 'SecureString';
type Tier = 'Standard' | 'Advanced';

interface StoredParameter {
  name: string;
  type: ParameterType;
  value: string;
  /** What GetParameter without decryption answers for a SecureString (an opaque KMS blob in AWS). */
  ciphertext: string;
  version: number;
  tier: Tier;
  lastModified: number;
}

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const MAX_VALUE: Record<Tier, number> = { Standard: 4096, Advanced: 8192 };
const TYPES: ReadonlySet<string> = new Set(['String', 'StringList', 'SecureString']);

const validation = (message: string) => new AwsServiceError('ValidationException', message);
const notFound = (name: string) => new AwsServiceError('ParameterNotFound', `Parameter ${name} not found.`);

/** An action the test account's IAM policy denies on names under a prefix. */
type DeniedAction = 'ssm:PutParameter' | 'ssm:DeleteParameter';

/**
 * SSM Parameter Store (`AmazonSSM.*`, JSON 1.1) as far as CodeBuild builds use it: PutParameter,
 * GetParameter, GetParameters, DeleteParameter with AWS's name rules and errors, and the read a
 * build's service role does for `PARAMETER_STORE` variables ({@link value}). {@link deny} stands
 * for an IAM policy that does not allow an action, so a test can see AccessDeniedException.
 */
export class ParameterStore {
  private readonly parameters = new Map<string, StoredParameter>();
  private readonly denied: { action: DeniedAction; prefix: string }[] = [];

  constructor(
    private readonly region: string,
    private readonly account: string,
  ) {}

  readonly operations = {
    PutParameter: (input: Record<string, unknown>) => this.put(input),
    GetParameter: (input: Record<string, unknown>) => ({ Parameter: this.view(this.find(String(input['Name'] ?? '')), input['WithDecryption'] === true) }),
    GetParameters: (input: Record<string, unknown>) => this.getMany(input),
    DeleteParameter: (input: Record<string, unknown>) => {
      const parameter = this.find(String(input['Name'] ?? ''));
      this.authorize('ssm:DeleteParameter', parameter.name);
      this.parameters.delete(parameter.name);
      return {};
    },
  };

  /** From now on, `action` on names starting with `prefix` answers AccessDeniedException, as IAM does. */
  deny(action: DeniedAction, prefix: string): void {
    this.denied.push({ action, prefix });
  }

  /** Lifts every {@link deny}. */
  allowAll(): void {
    this.denied.length = 0;
  }

  /** Names of the parameters that exist, sorted. */
  names(): string[] {
    return [...this.parameters.keys()].sort();
  }

  /** The decrypted value of a parameter (by name or ARN), as CodeBuild reads it; undefined when there is none. */
  value(nameOrArn: string): string | undefined {
    return this.lookup(nameOrArn)?.value;
  }

  private authorize(action: DeniedAction, name: string): void {
    if (!this.denied.some((d) => d.action === action && name.startsWith(d.prefix))) return;
    throw new AwsServiceError('AccessDeniedException', `User: arn:aws:iam::${this.account}:user/stowage-test is not authorized to perform: ${action} on resource: ${this.arnOf(name)} because no identity-based policy allows the ${action} action`);
  }

  private put(input: Record<string, unknown>): unknown {
    const name = checkName(input['Name']);
    this.authorize('ssm:PutParameter', name);
    const value = input['Value'];
    if (typeof value !== 'string' || value.length === 0) throw validation('1 validation error detected: Value at \'value\' failed to satisfy constraint: Member must have length greater than or equal to 1');
    const existing = this.parameters.get(name);
    if (existing && input['Overwrite'] !== true) {
      throw new AwsServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    if (input['Overwrite'] === true && Array.isArray(input['Tags'])) throw validation('Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
    const type = (input['Type'] ?? existing?.type) as ParameterType | undefined;
    if (!type || !TYPES.has(type)) throw validation(`Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
    const tier = tierFor(input['Tier'], value);
    this.parameters.set(name, { name, type, value, ciphertext: randomBytes(96).toString('base64'), version: (existing?.version ?? 0) + 1, tier, lastModified: Date.now() });
    return { Version: (existing?.version ?? 0) + 1, Tier: tier };
  }

  private getMany(input: Record<string, unknown>): unknown {
    const names = (input['Names'] as unknown[] | undefined) ?? [];
    if (names.length < 1 || names.length > 10) throw validation('1 validation error detected: Value at \'names\' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1');
    const found = names.map(String).flatMap((n) => {
      const p = this.lookup(n);
      return p ? [this.view(p, input['WithDecryption'] === true)] : [];
    });
    return { Parameters: found, InvalidParameters: names.map(String).filter((n) => !this.lookup(n)) };
  }

  private find(nameOrArn: string): StoredParameter {
    const parameter = this.lookup(nameOrArn);
    if (!parameter) throw notFound(nameOrArn);
    return parameter;
  }

  /** A name, or the ARN `arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>`. */
  private lookup(nameOrArn: string): StoredParameter | undefined {
    const arn = /^arn:aws[a-z-]*:ssm:[^:]*:\d{12}:parameter(\/.+)$/.exec(nameOrArn);
    if (!arn) return this.parameters.get(nameOrArn);
    return this.parameters.get(arn[1]!) ?? this.parameters.get(arn[1]!.slice(1));
  }

  private view(p: StoredParameter, decrypt: boolean): Record<string, unknown> {
    const value = p.type === 'SecureString' && !decrypt ? p.ciphertext : p.value;
    return { Name: p.name, Type: p.type, Value: value, Version: p.version, LastModifiedDate: p.lastModified / 1000, ARN: this.arnOf(p.name), DataType: 'text' };
  }

  /** `arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>`. */
  private arnOf(name: string): string {
    return `arn:aws:ssm:${this.region}:${this.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  }
}

/** AWS's rules for a new parameter's name. */
function checkName(value: unknown): string {
  const name = typeof value === 'string' ? value : '';
  if (!name || name.length > 1011 || !NAME_CHARS.test(name)) {
    throw validation('Parameter name: can\'t be empty, longer than 1011 characters, or contain characters other than a-zA-Z0-9_.-/');
  }
  if (/^\/?(aws|ssm)/i.test(name)) throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  if (name.includes('/') && !name.startsWith('/')) throw validation('Parameter name must be a fully qualified name.');
  if (name.split('/').filter(Boolean).length > 15) {
    throw new AwsServiceError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels.');
  }
  return name;
}

/** Standard holds 4 KB, Advanced 8 KB; Intelligent-Tiering picks Standard when the value fits. */
function tierFor(asked: unknown, value: string): Tier {
  const tier: Tier = asked === 'Advanced' || (asked === 'Intelligent-Tiering' && value.length > MAX_VALUE.Standard) ? 'Advanced' : 'Standard';
  if (value.length > MAX_VALUE[tier]) {
    throw validation(
      tier === 'Standard'
        ? 'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.'
        : 'Advanced tier parameters support a maximum parameter value of 8192 characters.',
    );
  }
  return tier;
}
