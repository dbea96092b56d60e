/**
 * Environment values with quotes, `$`, backslashes, backticks and non-ASCII text
 * (fixtures/envquoting) reach the built image literally — at build time (a RUN step writes
 * `printenv A` to a file) and at run time — with the classic builder and with BuildKit (the local
 * builder's `buildkit: true`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineBuild } from '@stowage/core';
import { useE2E } from './e2eGate.js';
import { dockerRunOk } from './docker.js';
import { Cleanup, editYaml, fixtureProject, readYaml, uniqueSuffix } from './projects.js';
import { stowageJson } from './runStowage.js';

useE2E('envquoting');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

describe('environment quoting reaches the image literally', () => {
  it.each([
    ['classic', /^\[pipeline\] Step 1\/\d+ : FROM /m],
    ['buildkit', /^\[pipeline\] #\d+ /m],
  ] as const)('with the %s builder', async (stack, progressLine) => {
    const dir = cleanup.dir(await fixtureProject('envquoting'));
    await editYaml(dir, (c) => void (c.pipeline.name = `e2e-envquoting-${uniqueSuffix()}`));
    const settings = (await readYaml(dir)).settings.docker as { environment: Record<string, string | number>; runtime_environment: Record<string, string> };
    // The fixture's values, as YAML gives them (what the user meant).
    expect(settings.environment['A']).toBe('x "y" $HOME \\z');
    expect(settings.environment['B']).toBe("it's");
    expect(settings.runtime_environment['R']).toBe('costs $5, not $PATH or \\$HOME');

    const { json: build, run } = await stowageJson<PipelineBuild>(['build', '--json', '--stack', stack], { cwd: dir });
    await cleanup.imagesOfStore(dir);
    expect(run.stderr, 'the progress shows which builder ran').toMatch(progressLine);
    const image = build.images[0]!.imageReference;

    // Exactly what the brief's user would type.
    expect(await dockerRunOk(image, ['printenv', 'A'])).toBe('x "y" $HOME \\z\n');
    expect(await dockerRunOk(image, ['printenv', 'B'])).toBe("it's\n");
    // Every value, read by Python (no shell in between).
    const env = JSON.parse(
      await dockerRunOk(image, ['python', '-c', 'import json, os; print(json.dumps({k: os.environ.get(k) for k in "ABCDER"}))']),
    ) as Record<string, string | null>;
    expect(env).toEqual({
      A: 'x "y" $HOME \\z',
      B: "it's",
      C: 'back`tick` & ; | < > * ~ # trailing\\',
      D: 'unicode é ✓',
      E: '3',
      R: 'costs $5, not $PATH or \\$HOME',
    });
    // RUN steps saw the same value during the build.
    expect(await dockerRunOk(image, ['cat', '/build-time-A.txt'])).toBe('x "y" $HOME \\z\n');
  });
});
