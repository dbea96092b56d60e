import { isPlugin, PLUGIN_API_VERSION, type FlavorContext } from '@stowage/plugin-api';
import { describe, expect, it, vi } from 'vitest';

// Records whether gitbeaker was imported: vitest runs the factory on the module's first import only.
const gitbeaker = vi.hoisted(() => ({ loaded: false }));
vi.mock('@gitbeaker/rest', async (importOriginal) => {
  gitbeaker.loaded = true;
  return importOriginal();
});

describe('the gitlab plugin', () => {
  it('lists, parses and describes without loading gitbeaker; create() loads it', async () => {
    const { default: plugin, gitlabCodeRepositoryFlavor, GitlabCodeRepositoryConfigSchema } = await import('./index.js');
    expect(isPlugin(plugin)).toBe(true);
    expect([plugin.name, plugin.apiVersion, plugin.flavors?.map((f) => `${f.kind}/${f.flavor}`)]).toEqual([
      '@stowage/code-repository-gitlab',
      PLUGIN_API_VERSION,
      ['code-repository/gitlab'],
    ]);
    const config = GitlabCodeRepositoryConfigSchema.parse({ project: 'Group/Demo', url: 'https://GitLab.example.com' });
    expect(gitlabCodeRepositoryFlavor.describe(config, { projectRoot: '/p' })).toEqual({
      name: 'Group/Demo',
      identity: { url: 'https://gitlab.example.com', project: 'group/demo' },
    });
    expect(gitbeaker.loaded).toBe(false);

    const repository = await gitlabCodeRepositoryFlavor.create(config, {} as FlavorContext, {});
    expect(gitbeaker.loaded).toBe(true);
    expect(repository.matchesRemote('git@gitlab.example.com:group/demo.git')).toBe(true);
  });
});
