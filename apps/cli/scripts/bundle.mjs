// Bundles the CLI into one file (dist/stowage.mjs), the published `stowage` bin: loading ~150
// separate modules cost more than a whole no-change build (see `pnpm bench`). dockerode stays
// external: it loads lazily, only when an image is built.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/stowage.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['dockerode'],
  tsconfig: 'tsconfig.build.json',
  // CommonJS dependencies bundled into ESM (tsyringe) may call require().
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __stowageCreateRequire } from 'node:module';\nconst require = __stowageCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
