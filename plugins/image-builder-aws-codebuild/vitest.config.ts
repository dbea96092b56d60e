import { defineConfig } from 'vitest/config';
import { stowageVitestConfig } from '@stowage/vitest-config';

export default defineConfig(
  stowageVitestConfig({
    test: {
      name: '@stowage/image-builder-aws-codebuild',
      setupFiles: ['./vitest.setup.ts'],
      // s3rver 3.7.1 makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
      execArgv: ['--openssl-legacy-provider'],
    },
  }),
);
