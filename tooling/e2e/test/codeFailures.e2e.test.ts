/**
 * Code that reaches the container (issue 9), scenario (e): what fails does so with a clear
 * message, and records nothing. On the bed of codeBed.ts (forge emulator, s3rver), with the real
 * Docker engine:
 * - a wrong repository token: `plan` and `build` exit 2 naming the repository's config and its `token`;
 * - an unpushed commit when only downloads from the repository are allowed: exit 2 naming the flag;
 * - a code archive changed in the store after the build: the bootstrap refuses it (sha256);
 * - an archive with a `..` (or absolute) member: refused, naming the member, nothing written.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { installLoopbackGuard } from '@stowage/testing';
import { BUCKET, CodeBed, STORE_FOLDER, keepContainerShim, stepCode, type CodeProject } from './codeBed.js';
import { docker, dockerOk, localTags } from './docker.js';
import { useE2E } from './e2eGate.js';
import { Cleanup, readStore, uniqueSuffix } from './projects.js';
import { describeRun, runStowage, stowageJson, type StowageResult } from './runStowage.js';
import { tarGz, type TarMember } from './tarGz.js';

// The CLI reaches Octokit and the AWS SDK, this file s3rver: loopback only (the CLI is guarded too, see codeBed.ts).
installLoopbackGuard();

useE2E('code failures');
const cleanup = new Cleanup();
let bed: CodeBed;
beforeAll(async () => {
  bed = await CodeBed.start();
}, 60_000);
afterAll(async () => {
  await cleanup.run();
  await bed?.stop();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function stowage(project: CodeProject, args: string[], env: Record<string, string | undefined> = {}): Promise<StowageResult> {
  return runStowage(args, { cwd: project.dir, env: bed.cliEnv(env) });
}

async function newProject(label: string, edit?: Parameters<CodeBed['project']>[2]): Promise<CodeProject> {
  const project = await bed.project(label, `e2e-code-${label}-${uniqueSuffix()}`, edit);
  cleanup.dir(project.root);
  return project;
}

/** The part of stderr from the `error:` line on. */
function errorBlock(r: StowageResult): string {
  const at = r.stderr.search(/^error: /m);
  return at < 0 ? '' : r.stderr.slice(at);
}

/** Exit 2, an error without a stack trace, and neither a build record nor an image of the pipeline. */
async function expectRefusedWithNothingRecorded(project: CodeProject, r: StowageResult): Promise<string> {
  expect(r.code, describeRun(r)).toBe(2);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).not.toMatch(/Created pipeline build/);
  expect((await readStore(project.dir)).files).toEqual([]);
  expect([...(await localTags())].filter((t) => t.includes(project.pipeline))).toEqual([]);
  return errorBlock(r);
}

describe('(e) the code repository refuses or lacks the commit', () => {
  it('a wrong token: plan and build exit 2 naming the repository and its `token`, nothing recorded', async () => {
    const project = await newProject('badtoken');
    await bed.commitAndPush(project, 'first');
    for (const command of [['plan'], ['build']]) {
      const r = await stowage(project, command, { GITHUB_TOKEN: 'ghp_wrongWrongWrong' });
      const error = await expectRefusedWithNothingRecorded(project, r);
      expect(error, describeRun(r)).toMatch(/^error: GitHub rejected the token \(401 Bad credentials\) at http:\/\/127\.0\.0\.1:\d+ /);
      expect(error).toContain('plugin @stowage/code-repository-github, component code_repositories.demo');
      expect(error).toMatch(/^\s+hint: the `token` is mistyped, expired or revoked/m);
      expect(r.stderr).not.toContain('ghp_wrongWrongWrong');
    }
  });

  it('an unpushed commit with only allow_download_from_code_repository: exit 2 naming the flag, nothing recorded', async () => {
    const project = await newProject('unpushed', (c) => {
      Object.assign(c.settings.docker, {
        allow_download_from_code_repository: true,
        allow_download_from_artifact_store: false,
        allow_including_files_in_images: false,
      });
    });
    await bed.commitAndPush(project, 'first');
    const local = await project.checkout.commit('not pushed', stepCode('v2'));
    const line = (await readFile(join(project.dir, 'stowage.yaml'), 'utf8')).split('\n').findIndex((l) => l.includes('allow_download_from_code_repository:')) + 1;
    const from = bed.forge.requests.length;
    for (const command of [['plan'], ['build']]) {
      const r = await stowage(project, command);
      const error = await expectRefusedWithNothingRecorded(project, r);
      expect(error.split('\n')[0], describeRun(r)).toBe(
        `error: stowage.yaml:${line} settings.docker.allow_download_from_code_repository: the pipeline: only downloading the code is allowed (allow_download_from_code_repository; allow_including_files_in_images is false), but no download is possible: commit ${local.slice(0, 12)} is not pushed to the code repository`,
      );
      expect(error).toMatch(/^\s+hint: commit and push the code/m);
    }
    // "Pushed" was asked of the forge's API, which does not know the commit (GitHub's 422).
    expect(bed.forge.requests.slice(from).some((r) => r.url === `/repos/acme/demo/commits/${local}`)).toBe(true);
  });
});

describe('(e) the code archive in the store is not what the build recorded', () => {
  let project: CodeProject;
  let built: PipelineBuild;

  beforeAll(async () => {
    project = await newProject('archive');
    await bed.commitAndPush(project, 'first');
    await project.checkout.write(stepCode('v2')); // dirty: the code goes to the artifact store
    built = (await stowageJson<PipelineBuild>(['build', '--json'], { cwd: project.dir, env: bed.cliEnv() })).json;
    await cleanup.imagesOfStore(project.dir);
    expect(built.launch?.hello?.code?.source).toBe('artifact-store');
  });

  it('an archive changed after the build: `stowage run` fails, the bootstrap naming both sha256s; nothing recorded', async () => {
    const code = built.launch!.hello!.code as { key: string; sha256: string };
    await bed.s3.put(`${STORE_FOLDER}/${code.key}`, 'not the archive that was uploaded\n');
    const records = (await readStore(project.dir)).files;

    const r = await stowage(project, ['run', 'hello', '--network', 'host']);
    expect(r.code, describeRun(r)).not.toBe(0);
    const actual = sha256(Buffer.from('not the archive that was uploaded\n'));
    expect(r.stderr).toMatch(new RegExp(`^stowage-bootstrap: archive from http://127\\.0\\.0\\.1:\\d+/${BUCKET}/${STORE_FOLDER}/${code.key.replaceAll('.', '\\.')}\\?\\.\\.\\. has sha256 ${actual}, expected ${code.sha256}$`, 'm'));
    expect(r.stderr).not.toMatch(/X-Amz-Signature/i); // the presigned URL is not printed
    expect(r.stderr).toMatch(/^error: step hello exited with code 1$/m);
    expect(r.stdout).toBe('');
    expect((await readStore(project.dir)).files).toEqual(records);
  });

  // `../escape` lands beside the code folder's temp folder; `../../escape` in /app, `/tmp/escape` in /tmp, and
  // the symlink would let a later member write through it: each outside what the bootstrap cleans up.
  it.each([
    { refused: '../escape', members: [{ name: '../escape', content: 'escaped\n' }] },
    { refused: '../../escape', members: [{ name: '../../escape', content: 'escaped\n' }] },
    { refused: '/tmp/escape', members: [{ name: '/tmp/escape', content: 'escaped\n' }] },
    { refused: 'escape-link', members: [{ name: 'escape-link', type: '2', linkname: '../../../tmp' }, { name: 'escape-link/escape', content: 'escaped\n' }] },
  ] as { refused: string; members: TarMember[] }[])('an archive with the member $refused: `stowage run --build FILE` fails naming it, nothing is written', async ({ refused, members }) => {
    // A real upload under a new key, and a build file whose launch spec points at it with the right digest.
    const evil = tarGz([{ name: 'hello.py', content: 'print("must not run")\n' }, ...members]);
    const hex = sha256(evil);
    const key = `code_uploads/${hex}.tar.gz`;
    await bed.s3.put(`${STORE_FOLDER}/${key}`, evil);
    const spec = built.launch!.hello!;
    const forged: PipelineBuild = {
      ...built,
      id: `evil-${uniqueSuffix()}`,
      launch: {
        hello: {
          ...spec,
          environment: { ...spec.environment, STOWAGE_CODE_SHA256: hex },
          code: { source: 'artifact-store', uri: `s3://${BUCKET}/${STORE_FOLDER}/${key}`, key, sha256: hex, format: 'tar.gz' },
        },
      },
    };
    const file = join(project.root, `${forged.id}.json`);
    await writeFile(file, JSON.stringify(forged, null, 2));
    const records = (await readStore(project.dir)).files;

    // `stowage run` itself, through a `docker` that keeps the container for inspection.
    const shim = await keepContainerShim(join(project.root, forged.id));
    const r = await stowage(project, ['run', 'hello', '--build', file, '--network', 'host'], { PATH: shim.path });
    const container = (await readFile(shim.cidFile, 'utf8').catch(() => '')).trim();
    try {
      expect(container, `no container id: ${describeRun(r)}`).toMatch(/^[0-9a-f]{64}$/);
      expect(r.code, describeRun(r)).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^stowage-bootstrap: refused archive member '${refused.replaceAll('.', '\\.')}': `, 'm'));
      expect(r.stdout).not.toContain('must not run');
      // No file added or deleted anywhere in the container: nothing outside the code folder, and no
      // code folder either (the archive is unpacked into a temp folder first, moved into place
      // only when every member passed). `C <dir>` lines (a folder touched) are allowed.
      const changed = (await dockerOk(['diff', container])).split('\n').filter(Boolean);
      expect(changed.filter((l) => !/^C /.test(l))).toEqual([]);
    } finally {
      if (container) await docker(['rm', '-f', container]);
    }
    expect((await readStore(project.dir)).files).toEqual(records);
  });
});

describe('the bed', () => {
  it('the CLI runs under the loopback guard: a store endpoint off this machine is refused before any packet leaves', async () => {
    const project = await newProject('guard', (c) => void (c.stacks.s3.artifact_store.endpoint = 'http://192.0.2.10:9000'));
    await project.checkout.write(stepCode('v2')); // dirty and never pushed: the store is asked whether the archive exists
    const r = await stowage(project, ['plan']);
    expect(r.code, describeRun(r)).not.toBe(0);
    expect(r.stderr).toContain('LoopbackGuardError: loopback guard: 192.0.2.10:9000 is not loopback');
  });
});
