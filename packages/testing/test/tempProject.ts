import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const zodDir = dirname(require.resolve('zod/package.json'));

/** A project folder with a real node_modules holding the given plain-JS packages (and zod). */
export function tempProject(packages: Record<string, { index: string; version?: string }>, stowageYaml = ''): string {
  const root = mkdtempSync(join(tmpdir(), 'stowage-proj-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'proj', private: true, type: 'module' }));
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(zodDir, join(root, 'node_modules', 'zod'), 'dir');
  for (const [name, pkg] of Object.entries(packages)) {
    const dir = join(root, 'node_modules', ...name.split('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: pkg.version ?? '1.2.3', type: 'module', exports: { '.': './index.js' } }));
    writeFileSync(join(dir, 'index.js'), pkg.index);
  }
  writeFileSync(join(root, 'stowage.yaml'), stowageYaml);
  return root;
}

/** A plugin written as plain JS, branded the way definePlugin/defineFlavor brand (Symbol.for). */
export function pluginSource(name: string, opts: { apiVersion?: number; flavor?: string; kind?: string; deps?: string; throwOnImport?: boolean } = {}): string {
  return `
import { z } from 'zod';
${opts.throwOnImport ? "throw new Error('boom at import');" : ''}
const flavor = {
  kind: ${JSON.stringify(opts.kind ?? 'image-builder')},
  flavor: ${JSON.stringify(opts.flavor ?? 'podman')},
  description: 'test flavor',
  config: z.object({ socket: z.string().optional(), token: z.string().meta({ secret: true }).optional() }).strict(),
  ${opts.deps ?? ''}
  describe: () => ({ remote: false, capabilities: { push: 'none', platforms: [], stagesContext: false, secrets: false, cacheMounts: false, buildOptions: [] } }),
  create() { return { build: async (r) => ({ imageName: r.imageName }) }; },
  [Symbol.for('stowage.flavor')]: true,
};
export default { name: ${JSON.stringify(name)}, apiVersion: ${opts.apiVersion ?? 2}, flavors: [flavor], [Symbol.for('stowage.plugin')]: true };
`;
}
