import { isCI } from 'ci-info';

/** Where the CLI writes and what it reads from its process; swapped in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr (where progress goes) is a terminal. */
  isTTY: boolean;
  /** Terminal size for live progress (stderr). */
  columns?: number;
  rows?: number;
  /** Running in CI (ci-info): progress is plain there. */
  isCI?: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Answers a yes/no question (interactive only); absent when stdin is not a TTY. */
  confirm?(question: string): Promise<boolean>;
  /** Aborted on Ctrl-C: builds stop cleanly. */
  signal?: AbortSignal;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns,
    rows: process.stderr.rows,
    isCI,
    cwd: process.cwd(),
    env: process.env,
    confirm: process.stdin.isTTY ? askYesNo : undefined,
  };
}

async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } catch (error) {
    // Ctrl-C at the prompt is a "no", not a failure.
    if ((error as { code?: string }).code === 'ABORT_ERR') return false;
    throw error;
  } finally {
    rl.close();
  }
}
