import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/gcp-auth-emulator',
      // The tests drive google-auth-library: nothing may leave the machine, no metadata server probe.
      setupFiles: ['./vitest.setup.ts'],
    },
  }),
);
