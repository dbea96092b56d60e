export { runCli } from './runCli.js';
export { createProgram, type CommandContext } from './program.js';
export { processIO, type CliIO } from './CliIO.js';
export { builtinPlugins, cliVersion } from './builtinPlugins.js';
