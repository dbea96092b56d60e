// Shared vitest settings for every workspace package.
// - oxc emits legacy decorators + metadata (tsyringe); we still use @inject on every parameter.
// - vitest runs in the SSR environment, so the source condition goes under ssr.resolve.
import { defineConfig, mergeConfig } from 'vitest/config';

export const shared = defineConfig({
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  ssr: { resolve: { conditions: ['@stowage/source'] } },
  resolve: { conditions: ['@stowage/source'] },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Plugins are resolved from a project's node_modules with Node's resolver: let it see the
    // workspace packages' TypeScript sources too, as `pnpm stowage` does.
    execArgv: ['--conditions=@stowage/source'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

/** @param {import('vitest/config').UserConfig} extra */
export function stowageVitestConfig(extra = {}) {
  return mergeConfig(shared, extra);
}
