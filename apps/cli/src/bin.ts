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
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C: cancel cleanly (builds stop, nothing is recorded); a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});

runCli(process.argv.slice(2), { ...processIO(), signal: controller.signal }).then((code) => {
  process.exitCode = interrupted ? 130 : code;
});
