import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/image-builder-gcp-cloudbuild',
      setupFiles: ['./vitest.setup.ts'],
    },
  }),
);
