export { default, githubCodeRepositoryFlavor } from './plugin.js';
export { GithubCodeRepositoryConfigSchema, apiUrlOf, type GithubCodeRepositoryConfig } from './config.js';
export { GithubCodeRepository } from './GithubCodeRepository.js';
export type { GithubApi } from './GithubApi.js';
