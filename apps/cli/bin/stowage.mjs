#!/usr/bin/env node
// The `stowage` bin: runs the bundled CLI. Committed (the bundle is made by the build) so that a
// package manager can link the bin on a fresh clone, before anything is built.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/stowage.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'error: the stowage CLI is not built (dist/stowage.mjs is missing)\n' +
      '  hint: run `pnpm --filter @stowage/cli build` in the Stowage repository, or `pnpm -s stowage <args>` to run it from source\n',
  );
  process.exit(2);
}
await import(bundle.href);
