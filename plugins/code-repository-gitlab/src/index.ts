export { default, gitlabCodeRepositoryFlavor } from './plugin.js';
export { GitlabCodeRepositoryConfigSchema, type GitlabCodeRepositoryConfig } from './config.js';
export { GitlabCodeRepository } from './GitlabCodeRepository.js';
export type { GitlabApi } from './GitlabApi.js';
