export type {
  ContextArchiveOptions,
  ContextEntry,
  ContextEntryType,
  ContextSelection,
  ExtraFile,
} from './ContextSelection.js';
export { selectContextFiles, LARGE_CONTEXT_BYTES, type SelectContextFilesOptions } from './selectContextFiles.js';
export { createContextArchive } from './createContextArchive.js';
export { digestContext, type ContextDigest } from './digestContext.js';
export { sourceDigest } from './sourceDigest.js';
