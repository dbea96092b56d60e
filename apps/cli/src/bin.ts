import { processIO } from './CliIO.js';
import { runCli } from './runCli.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C: cancel builds cleanly; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});

runCli(process.argv.slice(2), { ...processIO(), signal: controller.signal }).then((code) => {
  process.exitCode = interrupted && code !== 0 ? 130 : code;
});
