import type { ParameterStore } from './ParameterStore.js';
import type { SecretStore } from './SecretStore.js';

/** CodeBuild's environment variable types (`environmentVariablesOverride[].type`). */
export const VARIABLE_TYPES = ['PLAINTEXT', 'PARAMETER_STORE', 'SECRETS_MANAGER'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

/** One variable as StartBuild takes it: PLAINTEXT carries the value, the others name where it is. */
export interface EnvironmentVariable {
  name: string;
  value: string;
  type: VariableType;
}

/** Where a build's service role reads secret variables. */
export interface SecretSources {
  parameters: ParameterStore;
  secrets: SecretStore;
}

export interface ResolvedVariables {
  values: Record<string, string>;
  /** Values read from Parameter Store or Secrets Manager: CodeBuild masks them in the build log. */
  secrets: string[];
}

/** What fails DOWNLOAD_SOURCE, in CodeBuild's words. */
export interface VariableFailure {
  statusCode: string;
  message: string;
}

/** `<secret-id>[:<json-key>[:<version-stage>[:<version-id>]]]`; an ARN secret id holds six colons itself. */
export function parseSecretReference(reference: string): { secretId: string; jsonKey?: string; versionStage?: string; versionId?: string } {
  const parts = reference.split(':');
  const idParts = reference.startsWith('arn:') ? 7 : 1;
  const [jsonKey, versionStage, versionId] = parts.slice(idParts);
  return { secretId: parts.slice(0, idParts).join(':'), ...(jsonKey ? { jsonKey } : {}), ...(versionStage ? { versionStage } : {}), ...(versionId ? { versionId } : {}) };
}

/**
 * CodeBuild's "Processing environment variables" (DOWNLOAD_SOURCE): PLAINTEXT values as given,
 * PARAMETER_STORE names read decrypted from Parameter Store, SECRETS_MANAGER references read from
 * Secrets Manager (a JSON key picks one field). The last definition of a name wins (pass buildspec
 * variables before the StartBuild overrides) and only it is read. The first that cannot be read
 * fails the phase.
 */
export function resolveVariables(given: readonly EnvironmentVariable[], sources: SecretSources): ResolvedVariables | VariableFailure {
  const variables = [...new Map(given.map((v) => [v.name, v])).values()];
  const read = new Map<EnvironmentVariable, string>();
  // Parameter Store is decrypted before Secrets Manager is read, so its failures come first.
  for (const variable of [...variables].sort((a, b) => VARIABLE_TYPES.indexOf(a.type) - VARIABLE_TYPES.indexOf(b.type))) {
    const value = readVariable(variable, sources);
    if (typeof value !== 'string') return value;
    read.set(variable, value);
  }
  const values = Object.fromEntries(variables.map((v) => [v.name, read.get(v)!]));
  const secrets = variables.filter((v) => v.type !== 'PLAINTEXT').flatMap((v) => (read.get(v) ? [read.get(v)!] : []));
  return { values, secrets };
}

function readVariable(variable: EnvironmentVariable, sources: SecretSources): string | VariableFailure {
  if (variable.type === 'PLAINTEXT') return variable.value;
  if (variable.type === 'PARAMETER_STORE') {
    return sources.parameters.value(variable.value) ?? { statusCode: 'Decrypted Variables Error', message: `parameter does not exist: ${variable.value}` };
  }
  const ref = parseSecretReference(variable.value);
  const secret = sources.secrets.current(ref.secretId, ref.versionStage, ref.versionId);
  if (secret === undefined) return { statusCode: 'Secrets Manager Error', message: "ResourceNotFoundException: Secrets Manager can't find the specified secret." };
  if (!ref.jsonKey) return secret;
  const field = jsonField(secret, ref.jsonKey);
  return field ?? { statusCode: 'Secrets Manager Error', message: `secret ${ref.secretId} has no JSON key ${ref.jsonKey}` };
}

function jsonField(secret: string, key: string): string | undefined {
  try {
    const doc = JSON.parse(secret) as unknown;
    if (typeof doc !== 'object' || doc === null || !(key in doc)) return undefined;
    const value = (doc as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return undefined;
  }
}
