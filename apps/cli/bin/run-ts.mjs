#!/usr/bin/env node
// Runs a TypeScript script of this repo with the repo tsconfig (see stowage-dev.mjs).
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
// The script sees its own arguments from argv[2] on, as if it had been run directly.
const [script] = process.argv.splice(2, 1);
await import(pathToFileURL(resolve(script)).href);
