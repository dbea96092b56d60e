import { describe, expect, it } from 'vitest';
import { NodeProcessRunner } from './ProcessRunner.js';

const runner = new NodeProcessRunner();

describe('NodeProcessRunner', () => {
  it('runs argv without a shell and returns stdout', async () => {
    const r = await runner.run({ command: ['printf', '%s', 'a b;$HOME'] });
    expect(r.stdout).toBe('a b;$HOME');
  });

  it('runs a command string through the shell (user-given commands only)', async () => {
    expect((await runner.run({ command: 'printf x; printf y' })).stdout).toBe('xy');
  });

  it('a failure names the command and carries the last stderr lines', async () => {
    await expect(runner.run({ command: ['sh', '-c', 'echo boom >&2; exit 3'] })).rejects.toMatchObject({
      code: 'SUBPROCESS_FAILED',
      message: '`sh -c "echo boom >&2; exit 3"` exited with code 3',
      details: ['boom'],
    });
  });

  it('a missing command fails at once and does not keep the process alive until the timeout', async () => {
    const started = Date.now();
    await expect(runner.run({ command: ['stowage-no-such-command-xyz'], timeoutMs: 60_000 })).rejects.toMatchObject({
      message: 'command not found: stowage-no-such-command-xyz',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    // Node would keep the process alive for an uncleared timer: there must be none left.
    const timers = (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((r) => r === 'Timeout');
    expect(timers.length).toBeLessThanOrEqual(1); // vitest's own test timeout
  });

  it('a command that exits without reading stdin does not crash the runner (EPIPE)', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await runner.run({ command: ['true'], input: 'x'.repeat(1 << 20) });
      expect(r.exitCode).toBe(0);
    }
  });

  it('a timeout stops the command and says so', async () => {
    await expect(runner.run({ command: ['sleep', '5'], timeoutMs: 200 })).rejects.toMatchObject({ message: '`sleep 5` took longer than 200 ms and was stopped' });
  });

  it('a missing working folder is named as such, not as a missing command', async () => {
    await expect(runner.run({ command: ['true'], cwd: '/nonexistent/folder' })).rejects.toMatchObject({ message: 'cannot run `true`: the folder /nonexistent/folder does not exist' });
  });
});
