export { createTestStack, type TestStack, type TestStackOptions } from './createTestStack.js';
export { testPlugin, TEST_PLUGIN_NAME, type FakeInstances } from './testPlugin.js';
export { FakeImageBuilder, FakeContainerRegistry, InMemoryArtifactStore, FakeCodeRepository, type RecordedBuild } from './fakes.js';
export { readContextArchive, type ArchiveEntry } from './readContextArchive.js';
export { FakeProcessRunner, type RecordedProcess } from './FakeProcessRunner.js';
export { yamlBlocks } from './yamlBlocks.js';
