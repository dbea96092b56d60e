import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { GitlabCodeRepositoryConfigSchema } from './config.js';

export const gitlabCodeRepositoryFlavor = defineFlavor({
  kind: 'code-repository',
  flavor: 'gitlab',
  description: 'A project on gitlab.com or a self-hosted GitLab: images download a pushed commit from it at run time',
  config: GitlabCodeRepositoryConfigSchema,
  describe: (config) => ({
    name: config.project,
    // Which project, not how it is reached with which token: those must not throw earlier builds away.
    identity: { url: config.url.toLowerCase(), project: config.project.toLowerCase() },
  }),
  // gitbeaker loads here, on first use: listing plugins or printing the schema never imports it.
  async create(config) {
    const [{ GitlabCodeRepository }, { GitbeakerGitlabApi }] = await Promise.all([import('./GitlabCodeRepository.js'), import('./GitbeakerGitlabApi.js')]);
    return new GitlabCodeRepository(config, new GitbeakerGitlabApi(config));
  },
});

export default definePlugin({
  name: '@stowage/code-repository-gitlab',
  apiVersion: 2,
  flavors: [gitlabCodeRepositoryFlavor],
});
