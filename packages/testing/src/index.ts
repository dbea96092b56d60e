export { createTestStack, type TestStack, type TestStackOptions } from './createTestStack.js';
export { testPlugin, TEST_PLUGIN_NAME, type FakeInstances } from './testPlugin.js';
export { FakeImageBuilder, FakeRemoteImageBuilder, FakeContainerRegistry, InMemoryArtifactStore, FakeCodeRepository, type RecordedBuild } from './fakes.js';
export { readContextArchive, type ArchiveEntry } from './readContextArchive.js';
export { RecordingRunner } from './RecordingRunner.js';
export { yamlBlocks } from './yamlBlocks.js';
export { readmeExampleProblems, dockerSettingsBlocks } from './readmeExamples.js';
export { probe, gateRealTool, warnSkipped } from './realToolGate.js';
export { MAKE_WHEELS_SCRIPT } from './demoWheels.js';
