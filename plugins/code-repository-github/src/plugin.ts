import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { GithubCodeRepositoryConfigSchema } from './config.js';

export const githubCodeRepositoryFlavor = defineFlavor({
  kind: 'code-repository',
  flavor: 'github',
  description: 'A GitHub or GitHub Enterprise Server repository: images download a pushed commit from it at run time',
  config: GithubCodeRepositoryConfigSchema,
  describe: (config) => ({
    name: `${config.owner}/${config.repository}`,
    // Which repository, not how it is reached: a new api_url or token must not throw earlier builds away.
    identity: { host: config.host, repository: `${config.owner}/${config.repository}`.toLowerCase() },
  }),
  // Octokit loads here, on first use: listing plugins or printing the schema never imports it.
  async create(config) {
    const [{ GithubCodeRepository }, { OctokitGithubApi }] = await Promise.all([import('./GithubCodeRepository.js'), import('./OctokitGithubApi.js')]);
    return new GithubCodeRepository(config, new OctokitGithubApi(config));
  },
});

export default definePlugin({
  name: '@stowage/code-repository-github',
  apiVersion: 2,
  flavors: [githubCodeRepositoryFlavor],
});
