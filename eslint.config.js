// One lint config for the whole workspace (turbo runs `eslint src` in each package).
// STYLE habit 12: what STYLE.md asks and a tool can check is checked here, and CI fails on it.
// tooling/lint-rules has a test per rule that fails if the rule is removed or stops biting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const SOURCE_FILES = ['**/*.{ts,mts,cts,tsx,js,mjs,cjs}'];
const TEST_FILES = ['**/*.test.ts', '**/__fixtures__/**', '**/test/**'];

// A restricted import is a regular expression over the module specifier and what to do instead.
// STYLE habit 9: a package's `exports` map is its whole API. `@stowage/<pkg>/package.json` is the
// one subpath every package exports besides its root.
const deepImport = {
  regex: String.raw`^@stowage/[^/]+/(?!package\.json$)`,
  message: 'Deep import into another package: import from its root (`@stowage/<pkg>`); add what you need to its exports (STYLE habit 9).',
};

// DESIGN §1: resolve, plan and the model are pure — no file system, process, network or clock.
const pureStage = 'Pure stage (resolve/plan/model)';
const ioModule = {
  regex: String.raw`^(node:)?(fs|child_process|net|http|https|http2|tls|dgram|dns|os|stream|worker_threads|cluster|readline)(/.*)?$`,
  message: `${pureStage}: no I/O modules. Do the I/O in gather/ and pass its result in (DESIGN §1). node:path and node:crypto are fine.`,
};
const ioPackage = {
  regex: String.raw`^(dockerode|tar-stream)(/.*)?$`,
  message: `${pureStage}: no Docker or archive I/O. Do it in gather/ or execute/ (DESIGN §1).`,
};
const ioStage = {
  regex: String.raw`^\.{1,2}/(.*/)?(gather|execute|record|context|process|stack)/`,
  message: `${pureStage}: core's I/O folders stay out, types included. Take their results as inputs, or move the shared type down into model/ (DESIGN §1).`,
};

/**
 * Rules that forbid `restricted` imports: `no-restricted-imports` covers `import`/`export … from`,
 * `no-restricted-syntax` covers `import()`. A later config block replaces a rule's options rather
 * than adding to them, so a block passes every restriction that applies to its files.
 */
function forbidImports(...restricted) {
  return {
    'no-restricted-imports': ['error', { patterns: restricted.map(({ regex, message }) => ({ regex, message })) }],
    // esquery ends a regular expression at the first `/`, so slashes are spelt \x2F there.
    'no-restricted-syntax': [
      'error',
      ...restricted.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll('/', String.raw`\x2F`)}/]`, message })),
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/__fixtures__/**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Plugin and SDK boundaries are loosely typed on purpose in a few places.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Injected classes must be value imports (tsyringe); type-only imports are for types.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      'no-control-regex': 'off',
    },
  },

  // Imports: no cycles, no deep imports, no relative paths into another package.
  {
    files: SOURCE_FILES,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          // Workspace packages resolve to their source, as tsconfig's customConditions do, so a
          // cycle through another package's source is seen too.
          conditionNames: ['@stowage/source', 'types', 'import', 'node', 'default'],
          alwaysTryTypes: true,
        }),
      ],
    },
    rules: {
      // Type-only imports are erased and never part of a cycle (import-x skips them).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-relative-packages': 'error',
      ...forbidImports(deepImport),
    },
  },
  {
    // Purity is asked of the stage's code; its tests may do I/O (temp folders, a real BuildStore).
    files: ['packages/core/src/{resolve,plan,model}/**'],
    ignores: TEST_FILES,
    rules: forbidImports(deepImport, ioModule, ioPackage, ioStage),
  },

  // STYLE habit 4: small files, short functions.
  {
    files: SOURCE_FILES,
    ignores: TEST_FILES,
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
);
