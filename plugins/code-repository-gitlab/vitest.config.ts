import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/code-repository-gitlab',
      setupFiles: ['./vitest.setup.ts'],
      env: { AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  }),
);
