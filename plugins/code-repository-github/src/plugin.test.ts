import { isPlugin, PLUGIN_API_VERSION, type FlavorContext } from '@stowage/plugin-api';
import { describe, expect, it, vi } from 'vitest';

// Records whether Octokit was imported: vitest runs the factory on the module's first import only.
const octokit = vi.hoisted(() => ({ loaded: false }));
vi.mock('@octokit/rest', async (importOriginal) => {
  octokit.loaded = true;
  return importOriginal();
});

describe('the github plugin', () => {
  it('lists, parses and describes without loading Octokit; create() loads it', async () => {
    const { default: plugin, githubCodeRepositoryFlavor, GithubCodeRepositoryConfigSchema } = await import('./index.js');
    expect(isPlugin(plugin)).toBe(true);
    expect([plugin.name, plugin.apiVersion, plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)]).toEqual([
      '@stowage/code-repository-github',
      PLUGIN_API_VERSION,
      ['code-repository/github'],
    ]);
    const config = GithubCodeRepositoryConfigSchema.parse({ owner: 'Acme', repository: 'Demo', token: 't' });
    expect(githubCodeRepositoryFlavor.describe(config, { projectRoot: '/p' })).toEqual({ name: 'Acme/Demo', identity: { host: 'github.com', repository: 'acme/demo' } });
    expect(octokit.loaded).toBe(false);

    const repository = await githubCodeRepositoryFlavor.create(config, {} as FlavorContext, {});
    expect(octokit.loaded).toBe(true);
    expect(repository.matchesRemote('git@github.com:acme/demo.git')).toBe(true);
  });
});
