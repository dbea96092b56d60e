import { parseImageReference, StowageError } from '@stowage/plugin-api';
import { availableSecretsOf, checkSecretEnv, type SecretManagerSecret } from './BuildSecrets.js';
import { invalidBuild } from './GoogleApiError.js';
import { Substitutions } from './substitute.js';

/** One build step as the emulator runs it (substitutions applied). */
export interface StepSpec {
  name: string;
  args: string[];
  env: string[];
  dir: string;
  id?: string;
  /** Undefined: wait for every earlier step (Cloud Build's default). `['-']`: start with the build. */
  waitFor?: string[];
  entrypoint?: string;
  /** Names of `availableSecrets` envs the step gets, read from Secret Manager when it starts. */
  secretEnv: string[];
}

/** A CreateBuild request body, checked and with substitutions applied. */
export interface BuildSpec {
  source: { bucket: string; object: string; generation?: string };
  steps: StepSpec[];
  timeoutSeconds: number;
  images: string[];
  /** `gs://bucket[/prefix]`. */
  logsBucket?: string;
  substitutions: Record<string, string>;
  /** `options.env`: variables of every step. */
  optionsEnv: string[];
  /** `availableSecrets.secretManager`: what the steps' `secretEnv` names are read from. */
  availableSecrets: SecretManagerSecret[];
  /** The request's own fields, echoed back in the Build resource. */
  raw: Record<string, unknown>;
}

/** What the built-in substitutions are made of. */
export interface BuildIdentity {
  projectId: string;
  projectNumber: string;
  buildId: string;
  location: string;
  serviceAccount: string;
}

/** Step fields the emulator does not run: refused at creation rather than silently ignored. */
const NOT_EMULATED = ['volumes', 'timeout', 'script', 'allowFailure', 'allowExitCodes', 'automapSubstitutions'];
const DEFAULT_TIMEOUT_SECONDS = 600;
const MAX_TIMEOUT_SECONDS = 24 * 3600;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalidBuild(`${where} must be a list of strings`);
  return value;
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalidBuild(`${where} must be a string`);
  return value;
}

/** `"3600s"`, `"1.5s"` (protobuf JSON Duration). */
export function parseDuration(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === 'string' ? /^(\d+)(\.\d{1,9})?s$/.exec(value) : null;
  if (!m) throw invalidBuild(`${where}: invalid duration ${JSON.stringify(value)}`);
  return Number(m[1]) + Number(m[2] ?? 0);
}

function storageSource(source: unknown): BuildSpec['source'] {
  const storage = isObject(source) ? source['storageSource'] : undefined;
  if (!isObject(storage)) throw invalidBuild('the emulator builds a source.storageSource only (no repoSource, gitSource or storageSourceManifest)');
  const bucket = optionalString(storage['bucket'], 'source.storageSource.bucket');
  const object = optionalString(storage['object'], 'source.storageSource.object');
  if (!bucket || !object) throw invalidBuild('source.storageSource needs a bucket and an object');
  const generation = storage['generation'] === undefined ? undefined : String(storage['generation']);
  return { bucket, object, ...(generation ? { generation } : {}) };
}

function stepOf(value: unknown, index: number, earlierIds: ReadonlySet<string>): StepSpec {
  const where = `build.steps[${index}]`;
  if (!isObject(value)) throw invalidBuild(`${where} must be an object`);
  const field = NOT_EMULATED.find((f) => value[f] !== undefined);
  if (field) throw invalidBuild(`${where}.${field} is not emulated`);
  const name = optionalString(value['name'], `${where}.name`);
  if (!name) throw invalidBuild(`${where}: a build step needs a name (its builder image)`);
  const env = strings(value['env'], `${where}.env`);
  const bad = env.find((e) => !/^[^=]+=/.test(e));
  if (bad !== undefined) throw invalidBuild(`${where}.env: ${JSON.stringify(bad)} is not KEY=VALUE`);
  const id = optionalString(value['id'], `${where}.id`);
  if (id && earlierIds.has(id)) throw invalidBuild(`${where}: step id "${id}" is used twice`);
  const waitFor = value['waitFor'] === undefined ? undefined : strings(value['waitFor'], `${where}.waitFor`);
  const unknown = waitFor?.find((w) => w !== '-' && !earlierIds.has(w));
  if (unknown !== undefined) throw invalidBuild(`${where}.waitFor: no earlier step has the id "${unknown}"`);
  const entrypoint = optionalString(value['entrypoint'], `${where}.entrypoint`);
  const dir = optionalString(value['dir'], `${where}.dir`) ?? '';
  const secretEnv = strings(value['secretEnv'], `${where}.secretEnv`);
  return { name, args: strings(value['args'], `${where}.args`), env, dir, secretEnv, ...(id ? { id } : {}), ...(waitFor ? { waitFor } : {}), ...(entrypoint ? { entrypoint } : {}) };
}

function stepsOf(value: unknown): StepSpec[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidBuild('a build needs at least one step');
  const ids = new Set<string>();
  return value.map((raw, i) => {
    const step = stepOf(raw, i, ids);
    if (step.id) ids.add(step.id);
    return step;
  });
}

function imagesOf(value: unknown): string[] {
  const images = strings(value, 'build.images');
  for (const image of images) {
    try {
      parseImageReference(image);
    } catch (error) {
      throw invalidBuild(`build.images: ${StowageError.isInstance(error) ? error.message : String(error)}`);
    }
  }
  return images;
}

function logsBucketOf(value: unknown): string | undefined {
  const bucket = optionalString(value, 'build.logsBucket');
  if (bucket !== undefined && !/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/.*)?$/.test(bucket)) throw invalidBuild(`build.logsBucket must be gs://<bucket>[/<folder>], not ${JSON.stringify(bucket)}`);
  return bucket;
}

function timeoutOf(value: unknown): number {
  const seconds = parseDuration(value, 'build.timeout') ?? DEFAULT_TIMEOUT_SECONDS;
  if (seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) throw invalidBuild(`build.timeout must be more than 0s and at most ${MAX_TIMEOUT_SECONDS}s`);
  return seconds;
}

function substitutionsOf(body: Json, identity: BuildIdentity): Substitutions {
  const user = body['substitutions'] ?? {};
  if (!isObject(user) || !Object.values(user).every((v) => typeof v === 'string')) throw invalidBuild('build.substitutions must map keys to strings');
  const options = isObject(body['options']) ? body['options'] : {};
  const builtIns = {
    PROJECT_ID: identity.projectId,
    PROJECT_NUMBER: identity.projectNumber,
    BUILD_ID: identity.buildId,
    LOCATION: identity.location,
    SERVICE_ACCOUNT_EMAIL: identity.serviceAccount,
    SERVICE_ACCOUNT: `projects/${identity.projectId}/serviceAccounts/${identity.serviceAccount}`,
  };
  const empty = ['REPO_NAME', 'REPO_FULL_NAME', 'BRANCH_NAME', 'TAG_NAME', 'REF_NAME', 'COMMIT_SHA', 'SHORT_SHA', 'REVISION_ID', 'TRIGGER_NAME', 'TRIGGER_BUILD_CONFIG_PATH'];
  const loose = options['substitutionOption'] === 'ALLOW_LOOSE' || options['substitutionOption'] === 2;
  return new Substitutions({ builtIns: { ...Object.fromEntries(empty.map((k) => [k, ''])), ...builtIns }, user: user as Record<string, string>, loose });
}

/** Checks a CreateBuild body as Cloud Build does and applies its substitutions. */
export function parseBuildRequest(body: unknown, identity: BuildIdentity): BuildSpec {
  if (!isObject(body)) throw invalidBuild('the request body must be a Build');
  const substitutions = substitutionsOf(body, identity);
  const s = (text: string) => substitutions.apply(text);
  const steps = stepsOf(body['steps']).map((step) => ({ ...step, name: s(step.name), args: step.args.map(s), env: step.env.map(s), dir: s(step.dir), ...(step.entrypoint ? { entrypoint: s(step.entrypoint) } : {}) }));
  const options = isObject(body['options']) ? body['options'] : {};
  const optionsEnv = strings(options['env'], 'build.options.env').map(s);
  const images = imagesOf(strings(body['images'], 'build.images').map(s));
  const logsBucket = logsBucketOf(typeof body['logsBucket'] === 'string' ? s(body['logsBucket']) : body['logsBucket']);
  const availableSecrets = availableSecretsOf(body, s);
  checkSecretEnv(steps, optionsEnv, availableSecrets);
  substitutions.checkAllUsed();
  return {
    source: storageSource(body['source']),
    steps,
    timeoutSeconds: timeoutOf(body['timeout']),
    images,
    ...(logsBucket ? { logsBucket } : {}),
    substitutions: (body['substitutions'] as Record<string, string> | undefined) ?? {},
    optionsEnv,
    availableSecrets,
    raw: body,
  };
}
