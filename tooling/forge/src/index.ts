export { Forge, type ForgeOptions, type RecordedRequest } from './Forge.js';
export { DEFAULT_HOST, type CreateRepositoryOptions, type ForgeKind, type ForgeRepository } from './ForgeRepository.js';
export { BareRepository, type BranchHead, type CommitInfo } from './BareRepository.js';
export { writeTestGitConfig, type TestGitConfig } from './testGitConfig.js';
export { WorkTree } from './WorkTree.js';
export { runGit, GitCommandError } from './runGit.js';
