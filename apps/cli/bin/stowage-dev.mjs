#!/usr/bin/env node
// Runs the CLI from TypeScript sources without a build (used by `pnpm stowage` and the e2e
// tests). Node must be started with --conditions=@stowage/source so workspace packages resolve
// to their sources. The repo tsconfig is given explicitly: tsx otherwise reads the tsconfig of
// the current folder, and the sources need experimentalDecorators whatever folder we run in.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import('../src/bin.ts');
