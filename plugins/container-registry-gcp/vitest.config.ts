import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/container-registry-gcp',
      setupFiles: ['./vitest.setup.ts'],
    },
  }),
);
