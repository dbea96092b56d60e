import { invalidBuild } from './GoogleApiError.js';

/** `availableSecrets.secretManager[]`: the version a build reads and the env name its steps see it as. */
export interface SecretManagerSecret {
  versionName: string;
  env: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const VERSION_NAME = /^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Cloud Build words these `invalid secrets: …` (the CreateBuild error people meet).
const invalidSecrets = (why: string) => invalidBuild(`invalid secrets: ${why}`);

/**
 * `availableSecrets.secretManager` of a CreateBuild body, `versionName` substituted by `apply`.
 * `availableSecrets.inline` (KMS-encrypted values), the legacy `secrets` field and
 * `options.secretEnv` are refused as not emulated rather than ignored.
 */
export function availableSecretsOf(body: Json, apply: (text: string) => string): SecretManagerSecret[] {
  if (body['secrets'] !== undefined) throw invalidBuild('build.secrets (KMS-encrypted values) is not emulated: use availableSecrets.secretManager');
  if (isObject(body['options']) && body['options']['secretEnv'] !== undefined) throw invalidBuild('build.options.secretEnv is not emulated: name the secrets in each step\'s secretEnv');
  const available = body['availableSecrets'];
  if (available === undefined) return [];
  if (!isObject(available)) throw invalidBuild('build.availableSecrets must be an object');
  if (available['inline'] !== undefined) throw invalidBuild('build.availableSecrets.inline (KMS-encrypted values) is not emulated: use secretManager');
  const list = available['secretManager'] ?? [];
  if (!Array.isArray(list)) throw invalidBuild('build.availableSecrets.secretManager must be a list');
  return list.map((entry: unknown, i) => {
    const where = `build.availableSecrets.secretManager[${i}]`;
    if (!isObject(entry) || typeof entry['versionName'] !== 'string' || typeof entry['env'] !== 'string') throw invalidBuild(`${where} needs a versionName and an env`);
    const versionName = apply(entry['versionName']);
    if (!VERSION_NAME.test(versionName)) throw invalidSecrets(`${where}.versionName "${versionName}" is not projects/*/secrets/*/versions/*`);
    if (!ENV_NAME.test(entry['env'])) throw invalidSecrets(`${where}.env "${entry['env']}" is not an environment variable name`);
    return { versionName, env: entry['env'] };
  });
}

/**
 * Cloud Build's checks of secret env (as its CreateBuild validation): each env defined once, a
 * step names an env once, every env a step names is defined and every defined one is used, and
 * no step has the same name as secret and plain env.
 */
export function checkSecretEnv(steps: readonly { secretEnv: readonly string[]; env: readonly string[] }[], optionsEnv: readonly string[], secrets: readonly SecretManagerSecret[]): void {
  const defined = new Set<string>();
  for (const { env } of secrets) {
    if (defined.has(env)) throw invalidSecrets(`secretEnv "${env}" is defined more than once`);
    defined.add(env);
  }
  const used = new Set<string>();
  steps.forEach((step, i) => {
    const plain = new Set([...optionsEnv, ...step.env].map((e) => e.slice(0, e.indexOf('='))));
    const seen = new Set<string>();
    for (const name of step.secretEnv) {
      if (seen.has(name)) throw invalidSecrets(`Step ${i} uses the secretEnv "${name}" more than once`);
      if (plain.has(name)) throw invalidSecrets(`step ${i} has secret and non-secret env "${name}"`);
      if (!defined.has(name)) throw invalidSecrets(`secretEnv "${name}" is used without being defined`);
      seen.add(name);
      used.add(name);
    }
  });
  const unused = [...defined].find((name) => !used.has(name));
  if (unused) throw invalidSecrets(`secretEnv "${unused}" is defined without being used`);
}
