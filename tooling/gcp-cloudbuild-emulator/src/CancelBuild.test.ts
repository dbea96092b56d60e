import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, bash, EmulatorBed, PROJECT } from './__fixtures__/emulatorBed.js';

describe('CancelBuild (docker builder as the host, entrypoint bash)', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it("kills the running step's whole process group and reports CANCELLED; later steps do not run", async () => {
    const operation = await bed.create({ 'x.txt': 'x' }, { steps: [bash('sleep 60 & echo "child $$!"; wait'), bash('echo never')] });
    const id = (operation.metadata as { build: { id: string } }).build.id;
    let child: number | undefined;
    while (child === undefined) {
      child = Number(bed.emulator.logLines(id).find((l) => l.startsWith('Step #0: child '))?.slice('Step #0: child '.length)) || undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(alive(child)).toBe(true);
    const [cancelled] = await bed.client().cancelBuild({ projectId: PROJECT, id });
    expect(cancelled.id).toBe(id);
    const done = await bed.finished(operation.name!);
    expect(done.error).toMatchObject({ code: 1, message: 'Build cancelled' });
    const build = await bed.finalBuild(operation);
    expect(build.status).toBe('CANCELLED');
    expect(build.steps?.map((s) => s.status)).toEqual(['CANCELLED', 'QUEUED']);
    expect(bed.emulator.logLines(id)).not.toContain('Step #1: never');
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(child)).toBe(false);
  });

  it('cancels a regional build by name; cancelling a finished build changes nothing', async () => {
    const operation = await bed.create({ 'x.txt': 'x' }, { steps: [bash('echo quick')] }, 'us-central1');
    const build = await bed.finalBuild(operation, 'us-central1');
    const [again] = await bed.client().cancelBuild({ name: `projects/${PROJECT}/locations/us-central1/builds/${build.id}` });
    expect(again.status).toBe('SUCCESS');
  });
});
