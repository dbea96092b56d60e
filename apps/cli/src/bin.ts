import { processIO } from './CliIO.js';
import { runCli } from './runCli.js';

// Output piped into `head` and closed early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const controller = new AbortController();
// Ctrl-C and `kill` (SIGTERM, as CI runners and container stops send) cancel cleanly: builds
// stop, nothing is recorded. A second signal exits at once.
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
let interrupted: keyof typeof EXIT_CODES | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(EXIT_CODES[interrupted]);
    interrupted = signal;
    controller.abort();
  });
}

runCli(process.argv.slice(2), { ...processIO(), signal: controller.signal }).then((code) => {
  // A command that finished despite a late signal (its build already recorded) succeeded.
  process.exitCode = interrupted && code !== 0 ? EXIT_CODES[interrupted] : code;
  // After a cancel, a request still hanging on a stalled server (an upload the SDK stopped
  // waiting for, but whose socket it keeps) must not keep the process alive: exit once the
  // output is written.
  if (interrupted) {
    const exit = () => process.exit(process.exitCode as number);
    let pending = 2;
    for (const stream of [process.stdout, process.stderr]) stream.write('', () => --pending === 0 && exit());
  }
});
