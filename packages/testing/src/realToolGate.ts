import { NodeProcessRunner } from '@stowage/core';
import { expect, test } from 'vitest';

/** Whether a command runs and exits 0 here. */
export async function probe(argv: readonly string[]): Promise<boolean> {
  try {
    await new NodeProcessRunner().run({ command: argv, timeoutMs: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Real-tool tests run wherever the tool exists. A developer without it gets a loud skip; CI
 * (CI set) gets a failing test instead, because there a missing tool is a broken install step.
 */
export function gateRealTool(what: string, available: boolean, install: string): boolean {
  if (available) return true;
  if (process.env.CI) {
    test(`${what} is installed (required in CI)`, () => {
      expect.fail(`${what} is missing on this CI machine; install it with: ${install}`);
    });
    return false;
  }
  console.warn(`\n!!!!!!!! SKIPPING the real ${what} tests: ${what} is not installed here.\n!!!!!!!! Install it with: ${install}\n`);
  return false;
}

/** A loud notice that real-tool tests were left out here (for tools CI cannot install either). */
export function warnSkipped(what: string, why: string): void {
  console.warn(`\n!!!!!!!! NOT RUNNING the real ${what} tests: ${why}\n`);
}
