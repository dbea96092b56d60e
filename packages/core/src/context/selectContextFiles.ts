import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Warning } from '@stowage/plugin-api';
import { StowageError, toStowageError } from '@stowage/plugin-api';
import type { ContextSelection } from './ContextSelection.js';
import { DockerignoreMatcher } from './DockerignoreMatcher.js';
import { parseDockerignore } from './parseDockerignore.js';
import { walkContext } from './walkContext.js';
import { readProjectFile } from '../files/readProjectFile.js';

/** Above this, a context without a .dockerignore earns a warning (ZenML's threshold). */
export const LARGE_CONTEXT_BYTES = 50 * 1024 * 1024;

export interface SelectContextFilesOptions {
  /** The context root (made absolute against the working directory if it is not). */
  root: string;
  /** An ignore file to use instead of `<root>/.dockerignore`; it must exist. */
  dockerignoreFile?: string | null;
}

/**
 * The files of `root` that a build context ships, chosen exactly as `docker build` chooses them
 * from `.dockerignore`. Symlinks are kept as links and must stay inside the root.
 */
export async function selectContextFiles(opts: SelectContextFilesOptions): Promise<ContextSelection> {
  const root = resolve(opts.root);
  await assertDirectory(root);
  const dockerignoreFile = await findDockerignoreFile(root, opts.dockerignoreFile ?? null);
  const patterns = dockerignoreFile === null ? [] : parseDockerignore(await readIgnoreFile(dockerignoreFile), dockerignoreFile);
  const { entries, warnings } = await walkContext(root, new DockerignoreMatcher(patterns));
  const totalBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (dockerignoreFile === null && totalBytes > LARGE_CONTEXT_BYTES) warnings.push(largeContextWarning(root, totalBytes));
  return { root, dockerignoreFile, patterns, entries, totalBytes, warnings };
}

async function assertDirectory(root: string): Promise<void> {
  const stats = await stat(root).catch((error: unknown) => {
    throw toStowageError(error, {
      code: 'CONTEXT_INVALID',
      file: root,
      message: `The build context root ${root} cannot be read`,
      hint: 'check build_context_root / the source root points at an existing folder',
    });
  });
  if (!stats.isDirectory()) {
    throw new StowageError(`The build context root ${root} is not a directory`, {
      code: 'CONTEXT_INVALID',
      file: root,
      hint: 'point the build context root at a folder',
    });
  }
}

/** ZenML's order: the explicit file, else `<root>/.dockerignore` if present, else none. */
async function findDockerignoreFile(root: string, explicit: string | null): Promise<string | null> {
  if (explicit !== null) {
    const file = resolve(explicit);
    if (!(await isFile(file))) {
      throw new StowageError(`The dockerignore file ${file} does not exist or is not a file`, {
        code: 'CONTEXT_INVALID',
        file,
        hint: 'fix the dockerignore path in the Docker settings (build_config.dockerignore), or remove it to use <root>/.dockerignore',
      });
    }
    return file;
  }
  const implicit = join(root, '.dockerignore');
  return (await isFile(implicit)) ? implicit : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readIgnoreFile(file: string): Promise<string> {
  return readProjectFile(file, { what: 'the dockerignore file', code: 'CONTEXT_INVALID', hint: `make ${file} a readable UTF-8 file of the project` });
}

function largeContextWarning(root: string, totalBytes: number): Warning {
  const mebibytes = (totalBytes / (1024 * 1024)).toFixed(1);
  return {
    message:
      `The build context ${root} holds ${mebibytes} MiB and has no .dockerignore, so all of it is sent to the builder; ` +
      `add a .dockerignore at ${join(root, '.dockerignore')} to leave out what the image does not need`,
    file: root,
  };
}
