import { runCli } from '../src/runCli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process (real command tree, real core), capturing its output. */
export async function stowage(cwd: string, argv: string[], env: Record<string, string | undefined> = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd, env });
  return { code, stdout, stderr };
}
