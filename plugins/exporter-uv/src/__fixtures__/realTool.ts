import { NodeProcessRunner } from '@stowage/core';

/** Whether a command runs and exits 0 here. */
export async function probe(argv: readonly string[]): Promise<boolean> {
  try {
    await new NodeProcessRunner().run({ command: argv, timeoutMs: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** A loud notice that real-tool tests were skipped (uv is optional even in CI: see the README). */
export function warnSkipped(what: string, why: string): void {
  console.warn(`\n!!!!!!!! SKIPPING the real ${what} tests: ${why}\n`);
}
