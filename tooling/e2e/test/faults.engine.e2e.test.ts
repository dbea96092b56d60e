/**
 * The engine dies mid-build (issue 14): a second, test-owned engine (faultsEngine.ts: own socket,
 * data and exec roots, pid file and bridge; the shared engine and its network are never touched)
 * is killed with SIGKILL while a RUN step runs. The user is told the engine connection was lost
 * and what to do (exit 1) — not to fix a Dockerfile step — and nothing is recorded or left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './e2eGate.js';
import { expectNothingLeft, faultProject, signalWhen, tinyImage } from './faultsProject.js';
import { SecondEngine } from './faultsEngine.js';
import { Cleanup } from './projects.js';
import { describeRun, runStowage } from './runStowage.js';

useE2E('faults-engine');
const cleanup = new Cleanup();
let engine: SecondEngine | undefined;

beforeAll(async () => {
  engine = await SecondEngine.start();
  engine.loadImage(await tinyImage(cleanup));
}, 120_000);

afterAll(async () => {
  await engine?.destroy();
  await cleanup.run();
}, 120_000);

describe('an engine that dies mid-build', () => {
  it('SIGKILL of the engine during RUN: "the engine connection was lost" with what to do, exit 1, nothing recorded', async () => {
    const project = await faultProject(cleanup, 'sleep 5');
    const at = signalWhen(/RUN sleep 5[\s\S]*Running in /, 'SIGKILL');
    const r = await runStowage(['build', '--stack', 'second-engine'], {
      cwd: project.dir,
      timeoutMs: 60_000,
      env: { E2E_SECOND_ENGINE: engine!.socket, E2E_WRONG_PASSWORD: 'unused' },
      onStderr: (text) => at.onStderr(text, { kill: () => engine!.kill() } as never),
    });
    expect(at.sentAt(), describeRun(r)).toBeGreaterThan(0);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stderr).toMatch(/^error: the engine connection was lost while building image stowage:e2e-faults-[0-9a-f]+-[0-9a-f]{12} \(/m);
    expect(r.stderr).toMatch(/hint: the engine stopped answering .*check that it runs .*nothing was recorded/);
    expect(r.stderr).not.toMatch(/fix that Dockerfile step/);
    expect(r.ms - (at.sentAt() - (Date.now() - r.ms)), 'reported soon after the engine died').toBeLessThan(30_000);
    await expectNothingLeft(project, r, 'engine killed');
  });
});
