#!/usr/bin/env node
// Runs a TypeScript script of this repo with the repo tsconfig (see stowage-dev.mjs).
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import(pathToFileURL(resolve(process.argv[2])).href);
