import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/aws',
      // The credential chain is an SDK: tests run under the loopback guard, without this machine's AWS setup.
      setupFiles: ['./vitest.setup.ts'],
    },
  }),
);
