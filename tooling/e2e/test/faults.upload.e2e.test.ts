/**
 * Fault injection (issue 14): SIGINT and SIGTERM while the code archive is being uploaded to the
 * artifact store. The store is s3rver on loopback (the `s3` plugin, linked into the project);
 * the bed holds the upload's write so the signal lands while it is in flight. Nothing half-done
 * may be left: no record, no temp or lock file, no image tag, and no object in the store.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { installLoopbackGuard } from '@stowage/testing';
import { S3Bed, STORE_FOLDER } from './codeBed.js';
import { useE2E } from './e2eGate.js';
import { expectNothingLeft, faultProject, startStowage } from './faultsProject.js';
import { Cleanup, editYaml } from './projects.js';
import { describeRun, REPO_ROOT } from './runStowage.js';

// The CLI reaches the AWS SDK (the s3 store): nothing may leave the machine, in this process or the CLI's.
installLoopbackGuard();
const PRELOAD = fileURLToPath(new URL('./loopbackGuard.preload.mjs', import.meta.url));

useE2E('faults-upload');
process.env['E2E_WRONG_PASSWORD'] = 'not-the-password';
process.env['E2E_SECOND_ENGINE'] ??= 'unix:///nonexistent/faults-second-engine.sock';
const cleanup = new Cleanup();
const beds: S3Bed[] = [];
afterAll(async () => {
  for (const bed of beds.splice(0)) await bed.stop();
  await cleanup.run();
});

/** The AWS setup of this machine left out; s3rver's key as the store's `${VAR}`. */
function cliEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of Object.keys(process.env)) if (/^AWS_/.test(name)) env[name] = undefined;
  return {
    ...env,
    E2E_S3_SECRET: 'S3RVER',
    NODE_OPTIONS: `--import=${PRELOAD}`,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/stowage-e2e/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/stowage-e2e/aws-credentials',
  };
}

describe('a signal during the code upload (s3 store on s3rver, the upload held in flight)', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: exit %i, no record, tag or temp file, and no object in the store', async (signal, code) => {
    const bed = await new S3Bed().start();
    beds.push(bed);
    const project = await faultProject(cleanup);
    await mkdir(join(project.dir, 'node_modules', '@stowage'), { recursive: true });
    await symlink(join(REPO_ROOT, 'plugins', 'artifact-store-s3'), join(project.dir, 'node_modules', '@stowage', 'artifact-store-s3'));
    // The plugin's link is not pipeline code.
    await writeFile(join(project.dir, '.dockerignore'), 'node_modules\n');
    await editYaml(project.dir, (c) => {
      c.plugins = ['@stowage/artifact-store-s3'];
      // The s3 store's integration requirements (s3fs, boto3) would need pip in the tiny image.
      c.settings.docker.install_stack_requirements = false;
      // No install command (it needs the code in the image): the code goes to the store instead.
      delete c.settings.docker.local_project_install_command;
      c.stacks.s3 = { image_builder: { flavor: 'local' }, artifact_store: bed.storeConfig() };
      c.active_stack = 's3';
    });
    const { held } = bed.holdWrites(/\/code_uploads\//);
    const run = startStowage(['build', '--json'], project.dir, cliEnv());
    // The archive's write reached the store and is held there: the upload is in flight.
    await Promise.race([held, run.done.then((r) => Promise.reject(new Error(`the upload never started: ${describeRun(r)}`)))]);
    run.child.kill(signal);
    const r = await run.done;
    expect(r.code, describeRun(r)).toBe(code);
    expect(r.stderr).toMatch(/BUILD_CANCELLED|cancelled/);
    await expectNothingLeft(project, r, `${signal} during the upload`);
    expect(await bed.keys(`${STORE_FOLDER}/`)).toEqual([]);
    // The held write was the only one: nothing was sent to the store after the signal.
    expect(bed.writesSince(0).filter((w) => !w.endsWith('(held)'))).toEqual([]);
  });
});
