import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/gcp-cloudbuild-emulator',
      setupFiles: ['./vitest.setup.ts'],
    },
  }),
);
