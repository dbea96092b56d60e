import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bash, EmulatorBed, PROJECT } from './__fixtures__/emulatorBed.js';
import { projectNumberOf } from './CloudBuildEmulator.js';
import { DOCKER_BUILDER } from './runBuildStep.js';

const NUMBER = projectNumberOf(PROJECT);

// Builds read `availableSecrets` from the emulator's Secret Manager as their service account. The
// steps name `bash` as the docker builder's entrypoint (run on the host), so no Docker engine is needed.
describe('Cloud Build emulator: availableSecrets.secretManager into the steps\' secretEnv (real clients)', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it('gives a step the secret payloads it names in secretEnv (and only that step); the value is in no request, build or log line', async () => {
    const value = `s3cr3t-${Date.now()} with $dollar`;
    const [secret] = await bed.secretManager().createSecret({ parent: `projects/${PROJECT}`, secretId: 'registry-password', secret: { replication: { automatic: {} } } });
    await bed.secretManager().addSecretVersion({ parent: secret.name!, payload: { data: Buffer.from(value) } });
    const steps = [
      bash('[ -n "$$PW" ] && printf %s "$$PW" | sha256sum > pw.sha', { id: 'reads', secretEnv: ['PW'] }),
      bash('echo "PW is [$${PW:-unset}]"; cat pw.sha', { id: 'does-not' }),
    ];
    const build = await bed.finalBuild(await bed.create({ 'x.txt': 'x' }, { steps, availableSecrets: { secretManager: [{ versionName: 'projects/$PROJECT_ID/secrets/registry-password/versions/latest', env: 'PW' }] } }));
    expect(build.status).toBe('SUCCESS');
    // GetBuild shows what was asked: the version's name and the step's secretEnv, never a value.
    expect(build.availableSecrets?.secretManager).toEqual([{ versionName: 'projects/$PROJECT_ID/secrets/registry-password/versions/latest', env: 'PW' }]);
    expect(build.steps?.[0]?.secretEnv).toEqual(['PW']);
    const lines = bed.emulator.logLines(build.id!);
    expect(lines).toContain('Step #1 - "does-not": PW is [unset]');
    expect(lines).toContain(`Step #1 - "does-not": ${createHash('sha256').update(value).digest('hex')}  -`);
    expect(bed.emulator.cloudBuildTranscript()).not.toContain('s3cr3t-');
    expect(bed.emulator.cloudBuildTranscript()).toContain('projects/$PROJECT_ID/secrets/registry-password/versions/latest');
  });

  it('masks nothing: a step that prints its secret puts it in the log, and the transcript shows it (as Cloud Build would)', async () => {
    bed.emulator.secretManager.add(PROJECT, 'printed', 'printed-value-42');
    const steps = [bash('echo "the secret is $$PW"', { secretEnv: ['PW'] })];
    const build = await bed.finalBuild(await bed.create({ 'x.txt': 'x' }, { steps, availableSecrets: { secretManager: [{ versionName: `projects/${PROJECT}/secrets/printed/versions/1`, env: 'PW' }] } }));
    expect(bed.emulator.logLines(build.id!)).toContain('Step #0: the secret is printed-value-42');
    expect(bed.emulator.cloudBuildTranscript()).toContain('printed-value-42');
  });

  it.each([
    ['a missing secret', 'nope', () => undefined, `failed to access secret version for secret projects/${NUMBER}/secrets/nope/versions/latest: rpc error: code = NotFound desc = Secret [projects/${NUMBER}/secrets/nope] not found or has no versions.`],
    [
      "a secret the build's service account may not read",
      'locked',
      () => {
        bed.emulator.secretManager.add(PROJECT, 'locked', 'x');
        bed.emulator.secretManager.deny('secretmanager.versions.access', 'locked');
      },
      `failed to access secret version for secret projects/${NUMBER}/secrets/locked/versions/latest: rpc error: code = PermissionDenied desc = Permission 'secretmanager.versions.access' denied for resource 'projects/${PROJECT}/secrets/locked/versions/latest' (or it may not exist).`,
    ],
  ])('fails the step that needs %s before it starts, in Cloud Build\'s words; later steps do not run', async (_name, id, setUp, why) => {
    setUp();
    try {
      const steps = [bash('echo never-logged-in', { id: 'login', secretEnv: ['PW'] }), bash('echo never')];
      const build = await bed.finalBuild(await bed.create({ 'x.txt': 'x' }, { steps, availableSecrets: { secretManager: [{ versionName: `projects/${PROJECT}/secrets/${id}/versions/latest`, env: 'PW' }] } }));
      expect(build.status).toBe('FAILURE');
      expect(build.steps?.map((s) => s.status)).toEqual(['FAILURE', 'QUEUED']);
      expect(build.statusDetail).toBe(`build step 0 "${DOCKER_BUILDER}" failed: ${why}`);
      expect(build.failureInfo).toEqual({ type: 'USER_BUILD_STEP', detail: build.statusDetail });
      const lines = bed.emulator.logLines(build.id!);
      expect(lines.some((l) => l.startsWith('Starting Step #0'))).toBe(false);
      expect(lines.slice(-2)).toEqual(['ERROR', `ERROR: ${build.statusDetail}`]);
    } finally {
      bed.emulator.secretManager.allowAll();
    }
  });

  it('refuses a build whose secret env is defined but used by no step, as Cloud Build does', async () => {
    const error = await bed.create({ 'x.txt': 'x' }, { steps: [bash('true')], availableSecrets: { secretManager: [{ versionName: `projects/${PROJECT}/secrets/x/versions/1`, env: 'PW' }] } }).then(
      () => undefined,
      (e: unknown) => e as { code: number; message: string },
    );
    expect(error?.code).toBe(400);
    expect(error?.message).toContain('generic::invalid_argument: invalid secrets: secretEnv \\"PW\\" is defined without being used');
  });
});
