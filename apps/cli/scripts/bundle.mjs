// Bundles the CLI into one file (dist/stowage.mjs), the published `stowage` bin: loading ~150
// separate modules cost more than a whole no-change build (see `pnpm bench`). dockerode stays
// external: it loads lazily, only when an image is built.
import { build } from 'esbuild';

// `node scripts/bundle.mjs [outfile]` (default dist/stowage.mjs; tests bundle elsewhere).
await build({
  entryPoints: ['src/bin.ts'],
  outfile: process.argv[2] ?? 'dist/stowage.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['dockerode'],
  // From the workspace packages' sources: the bundle never depends on their dist being fresh.
  conditions: ['@stowage/source'],
  tsconfig: 'tsconfig.build.json',
  // CommonJS dependencies bundled into ESM (tsyringe) may call require().
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __stowageCreateRequire } from 'node:module';\nconst require = __stowageCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
