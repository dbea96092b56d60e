import { describe, expect, it } from 'vitest';
import { parseBuildRequest, parseDuration } from './BuildRequest.js';
import { dependenciesOf, envOf, isDockerBuilder } from './runBuildStep.js';

const identity = { projectId: 'p-1', projectNumber: '123456789012', buildId: 'b-1', location: 'global', serviceAccount: 'sa@x' };
const source = { storageSource: { bucket: 'b', object: 'o.tar.gz' } };
const step = (args: string[], extra: Record<string, unknown> = {}) => ({ name: 'gcr.io/cloud-builders/docker', args, ...extra });

describe('parseBuildRequest: Cloud Build substitutions', () => {
  it.each([
    ['built-ins, bare and braced', ['$PROJECT_ID', '${BUILD_ID}', '$LOCATION', '$PROJECT_NUMBER'], {}, ['p-1', 'b-1', 'global', '123456789012']],
    ['$$ is a literal $ for the shell', ['echo $$HOME $${X}'], {}, ['echo $HOME ${X}']],
    ['user substitutions', ['$_TAG', 'v-${_TAG}'], { _TAG: '7' }, ['7', 'v-7']],
    ['repository built-ins are empty for a storage source', ['[$COMMIT_SHA]'], {}, ['[]']],
  ])('%s', (_name, args, substitutions, expected) => {
    expect(parseBuildRequest({ source, steps: [step(args)], substitutions }, identity).steps[0]!.args).toEqual(expected);
  });

  it('ALLOW_LOOSE leaves unknown keys empty and unused ones alone', () => {
    const spec = parseBuildRequest({ source, steps: [step(['[$NOPE]'])], substitutions: { _UNUSED: 'x' }, options: { substitutionOption: 'ALLOW_LOOSE' } }, identity);
    expect(spec.steps[0]!.args).toEqual(['[]']);
  });

  it('applies them to env, dir, images and the logs bucket, and takes options.env', () => {
    const spec = parseBuildRequest({ source, steps: [step([], { env: ['P=$PROJECT_ID'], dir: 'd-$_D' })], substitutions: { _D: '1' }, images: ['r.io/$PROJECT_ID/app'], logsBucket: 'gs://logs-$PROJECT_ID', options: { env: ['A=1'] } }, identity);
    expect(spec).toMatchObject({ steps: [{ env: ['P=p-1'], dir: 'd-1' }], images: ['r.io/p-1/app'], logsBucket: 'gs://logs-p-1', optionsEnv: ['A=1'], timeoutSeconds: 600 });
  });
});

describe('build request checks', () => {
  it.each([
    [{ source: { repoSource: {} }, steps: [step([])] }, 'storageSource only'],
    [{ source, steps: [step([], { env: ['NOVALUE'] })] }, '"NOVALUE" is not KEY=VALUE'],
    [{ source, steps: [step([], { id: 'a' }), step([], { id: 'a' })] }, 'step id "a" is used twice'],
    [{ source, steps: [step([])], timeout: '0s' }, 'build.timeout must be more than 0s'],
    [{ source, steps: [step([])], logsBucket: 'logs' }, 'build.logsBucket must be gs://<bucket>[/<folder>]'],
    [{ source, steps: [{ args: [] }] }, 'a build step needs a name'],
  ])('%j is refused: %s', (body, message) => {
    expect(() => parseBuildRequest(body, identity)).toThrow(message);
  });

  it.each([
    ['3600s', 3600],
    ['1.5s', 1.5],
  ])('parses the duration %s', (text, seconds) => expect(parseDuration(text, 't')).toBe(seconds));
});

describe('steps', () => {
  it('wait for every earlier step by default, for none with "-", else for the named ones', () => {
    const steps = [{ id: 'a' }, { id: 'b', waitFor: ['-'] }, {}, { waitFor: ['a', 'b'] }];
    expect(steps.map((_s, i) => dependenciesOf(steps, i))).toEqual([[], [], [0, 1], [0, 1]]);
  });

  it('run the docker builder at any tag or digest, and nothing else', () => {
    expect(['gcr.io/cloud-builders/docker', 'gcr.io/cloud-builders/docker:24.0.9', `gcr.io/cloud-builders/docker@sha256:${'a'.repeat(64)}`].map(isDockerBuilder)).toEqual([true, true, true]);
    expect(['docker', 'gcr.io/cloud-builders/gcloud', 'ubuntu', 'not a name'].map(isDockerBuilder)).toEqual([false, false, false, false]);
  });

  it('take KEY=VALUE env entries, values may hold =', () => {
    expect(envOf(['A=1', 'B=x=y', 'A=2'])).toEqual({ A: '2', B: 'x=y' });
  });
});

describe('availableSecrets and secretEnv, checked as Cloud Build checks them', () => {
  const secret = (env: string, versionName = `projects/p-1/secrets/${env.toLowerCase()}/versions/latest`) => ({ versionName, env });
  const withSecrets = (steps: unknown[], secretManager: unknown[], extra: Record<string, unknown> = {}) => ({ source, steps, availableSecrets: { secretManager }, ...extra });

  it('takes them, substituting versionName ($PROJECT_ID) but not the step script ($$NAME is for the shell)', () => {
    const spec = parseBuildRequest(withSecrets([step(['-c', 'echo $$PW'], { secretEnv: ['PW'], entrypoint: 'sh' })], [secret('PW', 'projects/$PROJECT_ID/secrets/pw/versions/2')]), identity);
    expect(spec.availableSecrets).toEqual([{ versionName: 'projects/p-1/secrets/pw/versions/2', env: 'PW' }]);
    expect(spec.steps[0]).toMatchObject({ secretEnv: ['PW'], args: ['-c', 'echo $PW'] });
  });

  it.each([
    ['an env defined and never used', withSecrets([step([])], [secret('PW')]), 'invalid secrets: secretEnv "PW" is defined without being used'],
    ['an env used and never defined', withSecrets([step([], { secretEnv: ['PW'] })], []), 'invalid secrets: secretEnv "PW" is used without being defined'],
    ['an env defined twice', withSecrets([step([], { secretEnv: ['PW'] })], [secret('PW'), secret('PW')]), 'invalid secrets: secretEnv "PW" is defined more than once'],
    ['a step naming one twice', withSecrets([step([], { secretEnv: ['PW', 'PW'] })], [secret('PW')]), 'invalid secrets: Step 0 uses the secretEnv "PW" more than once'],
    ['the same name as secret and plain env', withSecrets([step([], { secretEnv: ['PW'], env: ['PW=x'] })], [secret('PW')]), 'invalid secrets: step 0 has secret and non-secret env "PW"'],
    ['a version name that is not one', withSecrets([step([], { secretEnv: ['PW'] })], [secret('PW', 'projects/p-1/secrets/pw')]), 'is not projects/*/secrets/*/versions/*'],
    ['inline (KMS) secrets', { source, steps: [step([])], availableSecrets: { inline: [] } }, 'availableSecrets.inline (KMS-encrypted values) is not emulated'],
    ['the legacy secrets field', { source, steps: [step([])], secrets: [] }, 'build.secrets (KMS-encrypted values) is not emulated'],
  ])('refuses %s', (_name, body, message) => {
    expect(() => parseBuildRequest(body, identity)).toThrow(message);
  });
});
