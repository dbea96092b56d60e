import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchGetBuildsCommand, StopBuildCommand } from '@aws-sdk/client-codebuild';
import { buildspec, EmulatorBed } from './__fixtures__/emulatorBed.js';

import { readFileSync } from 'node:fs';

// A killed process whose parent is gone may linger as a zombie until PID 1 reaps it: that is dead.
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('StopBuild (commands run on the host, build_image not pulled)', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it("kills the running phase's whole process group and reports STOPPED; later phases do not run", async () => {
    const spec = buildspec({ build: ['sleep 60 & echo "child $!"; wait'], post_build: ['echo post'] });
    const started = await bed.start({ 'a.txt': 'a' }, spec);
    let child: number | undefined;
    while (child === undefined) {
      child = Number(bed.emulator.logLines(started.id!).find((l) => l.startsWith('child '))?.slice(6)) || undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(alive(child)).toBe(true);
    const stopped = await bed.codebuild().send(new StopBuildCommand({ id: started.id! }));
    expect(stopped.build?.id).toBe(started.id);
    const build = await bed.finished(started.id!);
    expect(build.buildStatus).toBe('STOPPED');
    expect(build.phases?.find((p) => p.phaseType === 'BUILD')?.phaseStatus).toBe('STOPPED');
    expect(build.phases?.map((p) => p.phaseType)).not.toContain('POST_BUILD');
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(child)).toBe(false);
  });

  it('answers ResourceNotFoundException for a build that does not exist, and lists unknown ids as not found', async () => {
    await expect(bed.codebuild().send(new StopBuildCommand({ id: 'stowage:nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    const { builds, buildsNotFound } = await bed.codebuild().send(new BatchGetBuildsCommand({ ids: ['stowage:nope'] }));
    expect([builds, buildsNotFound]).toEqual([[], ['stowage:nope']]);
  });
});
