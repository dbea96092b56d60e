// A project config in TypeScript. With @stowage/cli installed in the project, write
// `import { defineConfig } from '@stowage/cli'` and `export default defineConfig({ … })`;
// a type-only import (as here) needs nothing installed at run time.
import type { StowageConfig } from '@stowage/cli';

export default {
  pipeline: { name: 'ts-api-example', pythonVersion: '3.11' },
  settings: { docker: { parentImage: 'python:3.11-slim', environment: { STAGE: 'shared' } } },
  steps: {
    load: {},
    train: { settings: { docker: { environment: { STAGE: 'train' } } } },
  },
  stacks: { default: { imageBuilder: { flavor: 'local' }, artifactStore: { flavor: 'local' } } },
} satisfies StowageConfig;
