/**
 * Hardening against the real engine (fixtures/hardening): reuse of a fixed `image_tag` without a
 * registry checks the recorded image id, so after a tag is rebuilt from other settings and the
 * settings are reverted, the image is built again instead of running the other settings' image.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { dockerRunOk, imageId } from './docker.js';
import { Cleanup, editYaml, fixtureProject, uniqueSuffix, type PlanJson } from './projects.js';
import { stowageJson } from './runStowage.js';

useE2E('hardening');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

describe('reuse of a fixed image_tag without a registry', () => {
  it('checks the image id: reverted settings rebuild instead of running the image built from others', async () => {
    const dir = cleanup.dir(await fixtureProject('hardening'));
    const tag = `e2e-hardening-${uniqueSuffix()}`;
    const setMode = (mode: string) =>
      editYaml(dir, (c) => {
        c.pipeline.name = tag;
        c.settings.docker.image_tag = tag;
        c.settings.docker.environment.E2E_MODE = mode;
      });
    const build = async () => (await stowageJson<PipelineBuild>(['build', '--json'], { cwd: dir })).json;
    const name = `stowage:${tag}`;
    cleanup.image(name);

    await setMode('a');
    const a = await build();
    expect(a.images[0]).toMatchObject({ action: 'built', imageName: name, imageId: await imageId(name) });
    await setMode('b');
    const b = await build();
    expect(b.images[0]!.imageId).toBe(await imageId(name));
    expect(b.images[0]!.imageId).not.toBe(a.images[0]!.imageId);
    cleanup.untagged(a.images[0]!.imageId!, b.images[0]!.imageId!);

    // Back to the first settings: their record's image is no longer what the tag names.
    await setMode('a');
    const { json: plan } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir });
    expect(plan.images[0]).toMatchObject({ action: 'build', why: [`the image of build ${a.id} (${a.images[0]!.imageId}) is no longer what ${name} names`] });
    const again = await build();
    expect(again.images[0]!.action).toBe('built');
    expect(await dockerRunOk(name, ['printenv', 'E2E_MODE'])).toBe('a\n');

    // And an unchanged project reuses it: the name still names the image its record holds.
    const { json: same } = await stowageJson<PlanJson>(['plan', '--json'], { cwd: dir });
    expect(same.outcome.kind).toBe('existing-build');
  });
});
