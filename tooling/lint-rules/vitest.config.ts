import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

// ESLint loads the root config and resolves imports across the workspace: give it time.
export default defineConfig(
  stowageVitestConfig({ test: { name: '@stowage/lint-rules', testTimeout: 60_000 } }),
);
