// Bundles the CLI into one file (dist/stowage.mjs, run by the `stowage` bin) and the TS API into
// another (dist/index.mjs): loading ~150 separate modules cost more than a whole no-change build
// (see `pnpm bench`), and a bundle installs from a packed tarball with no workspace package to
// fetch. dockerode stays external (a dependency of the published package): it loads lazily, only
// when an image is built, and reads its .proto files from its own folder.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

// `node scripts/bundle.mjs [outfile]` (default dist/stowage.mjs; tests bundle elsewhere). The API
// bundle goes beside it as index.mjs.
const outfile = process.argv[2] ?? 'dist/stowage.mjs';
const outdir = dirname(outfile);
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['dockerode'],
  // From the workspace packages' sources: the bundle never depends on their dist being fresh.
  conditions: ['@stowage/source'],
  tsconfig: 'tsconfig.build.json',
  // CommonJS dependencies bundled into ESM (tsyringe) may call require().
  banner: { js: "import { createRequire as __stowageCreateRequire } from 'node:module';\nconst require = __stowageCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
  // Less to parse at every start (the bundle's parse was a third of `stowage --version`); names kept for --debug traces.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [jitiTransformBesideBundle(), zodEnglishOnly()],
};
await build({ ...common, entryPoints: ['src/bin.ts'], outfile, banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: join(outdir, 'index.mjs') });

// jiti (stowage.config.ts) loads its TypeScript transform (1.5 MB) on first use only, from a file
// beside its module: in the bundle, babel.cjs beside the bundle.
const jitiLib = dirname(createRequire(import.meta.resolve('@stowage/core')).resolve('jiti'));
mkdirSync(outdir, { recursive: true });
copyFileSync(join(jitiLib, '../dist/babel.cjs'), join(outdir, 'babel.cjs'));

function jitiTransformBesideBundle() {
  return {
    name: 'jiti-transform-beside-bundle',
    setup(b) {
      b.onLoad({ filter: /[\\/]jiti[\\/]lib[\\/]jiti\.mjs$/ }, ({ path }) => {
        const text = readFileSync(path, 'utf8');
        if (!text.includes('"../dist/babel.cjs"')) throw new Error(`jiti changed how it loads babel.cjs (${path}): update scripts/bundle.mjs`);
        return { contents: text.replace('"../dist/babel.cjs"', '"./babel.cjs"'), loader: 'js', resolveDir: dirname(path) };
      });
    },
  };
}

/**
 * zod's classic API re-exports all ~45 message locales (400 kB the bundle parsed at every start);
 * Stowage words its own errors and only ever uses zod's default, English.
 */
function zodEnglishOnly() {
  return {
    name: 'zod-english-only',
    setup(b) {
      b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, ({ path }) => {
        const text = readFileSync(path, 'utf8');
        if (!text.includes('export { default as en } from "./en.js";')) throw new Error(`zod changed its locales index (${path}): update scripts/bundle.mjs`);
        return { contents: 'export { default as en } from "./en.js";\n', loader: 'js', resolveDir: dirname(path) };
      });
    },
  };
}
