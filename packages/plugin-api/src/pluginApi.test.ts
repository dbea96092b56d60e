import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BUILD_OPTION_FIELDS,
  defineFlavor,
  definePlugin,
  formatWarning,
  isFlavor,
  isPlugin,
  isSecretSchema,
  secret,
  StowageError,
  toStowageError,
  WarningList,
  type BuildOptions,
} from './index.js';

const flavor = defineFlavor({
  kind: 'container-registry',
  flavor: 'demo',
  config: z.object({ uri: z.string(), password: secret().optional() }).strict(),
  describe: (c) => ({ uri: c.uri }),
  create: () => ({ auth: async () => ({ type: 'anonymous' as const }), imageExists: async () => 'unknown' as const, resolveDigest: async () => undefined }),
});

describe('definePlugin / defineFlavor', () => {
  it('brand plain frozen objects, recognised across package copies (Symbol.for)', () => {
    const plugin = definePlugin({ name: '@acme/demo', apiVersion: 2, flavors: [flavor] });
    expect([isPlugin(plugin), isFlavor(flavor), isPlugin({ name: 'x', apiVersion: 2 }), isFlavor({})]).toEqual([true, true, false, false]);
    expect(Object.isFrozen(plugin) && Object.isFrozen(flavor)).toBe(true);
    expect((plugin as unknown as Record<symbol, unknown>)[Symbol.for('stowage.plugin')]).toBe(true);
  });

  it('describe() is the pure self-description planning reads', () => {
    expect(flavor.describe({ uri: 'ghcr.io/acme' }, { projectRoot: '/p' })).toEqual({ uri: 'ghcr.io/acme' });
  });
});

describe('secret()', () => {
  it('marks a config value as a credential, also under optional/default', () => {
    expect([isSecretSchema(secret()), isSecretSchema(secret().optional()), isSecretSchema(z.string()), isSecretSchema(z.string().optional())]).toEqual([true, true, false, false]);
  });
});

describe('StowageError', () => {
  it('formats location, origin, details and hint; exit 2 for input, 1 for failed builds', () => {
    const e = new StowageError('bad value', { code: 'SETTINGS_INVALID', file: 'stowage.yaml', line: 3, keyPath: 'settings.docker.user', plugin: '@acme/p', component: 'default.image_builder', method: 'build', details: ['more'], hint: 'fix it' });
    expect(e.format()).toBe(
      'error: stowage.yaml:3 settings.docker.user: bad value (plugin @acme/p, component default.image_builder, method build)\n  more\n  hint: fix it',
    );
    expect([e.exitCode, new StowageError('x', { code: 'BUILD_FAILED' }).exitCode, new StowageError('x', { code: 'CAPABILITY_MISSING' }).exitCode]).toEqual([2, 1, 2]);
    expect(StowageError.isInstance({ ...e, [Symbol.for('stowage.error')]: true })).toBe(true);
  });

  it('toStowageError wraps anything else, keeping the cause', () => {
    const cause = new Error('socket hang up');
    const wrapped = toStowageError(cause, { code: 'REGISTRY_FAILED', message: 'could not reach the registry' });
    expect([wrapped.message, wrapped.code, wrapped.cause]).toEqual(['could not reach the registry: socket hang up', 'REGISTRY_FAILED', cause]);
  });
});

describe('findings and build options', () => {
  it('WarningList keeps each warning once; formatWarning names the place', () => {
    const list = new WarningList();
    list.addAll([{ message: 'm', file: 'f', keyPath: 'k', line: 2 }, { message: 'm', file: 'f', keyPath: 'k', line: 2 }]);
    expect(list.items.map(formatWarning)).toEqual(['warning: f:2 k: m']);
  });

  it('BUILD_OPTION_FIELDS lists every BuildOptions field once', () => {
    const all: Required<BuildOptions> = {
      buildArgs: {}, labels: {}, target: '', platform: '', pull: true, noCache: true, network: '', extraHosts: [], cacheFrom: [], removeIntermediate: true,
      forceRemoveIntermediate: true, squash: true, quiet: true, isolation: '', shmSize: 1, memory: 1, memorySwap: 1, cpuShares: 1, cpuSetCpus: '',
    };
    expect([...BUILD_OPTION_FIELDS].sort()).toEqual(Object.keys(all).sort());
    expect(new Set(BUILD_OPTION_FIELDS).size).toBe(BUILD_OPTION_FIELDS.length);
  });
});
