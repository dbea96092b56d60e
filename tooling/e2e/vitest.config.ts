import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

// End-to-end tests: real Docker engine, real registries, the real CLI as a subprocess.
export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/e2e',
      include: ['test/**/*.e2e.test.ts'],
      testTimeout: 300_000,
      hookTimeout: 600_000,
      fileParallelism: false,
    },
  }),
);
