import { join } from 'node:path';
import type { Warning } from '@stowage/plugin-api';
import type { ContextSelection } from './ContextSelection.js';

// `.env`, `.env.local`, `config/.env.production`; not the templates projects commit on purpose.
const ENV_FILE = /(^|\/)\.env(\.(?!(example|sample|template|dist)$)[^/]+)?$/;

/**
 * `.env` files usually hold credentials; in a context that goes into an image (`COPY . .`) they
 * end up readable by anyone who can pull it. One warning per context, naming them.
 */
export function envFileWarnings(selection: ContextSelection): Warning[] {
  const found = selection.entries.filter((e) => e.type !== 'directory' && ENV_FILE.test(e.path)).map((e) => e.path);
  if (!found.length) return [];
  const shown = found.slice(0, 5).join(', ') + (found.length > 5 ? `, … (${found.length} in all)` : '');
  return [
    {
      message: `${shown} in ${selection.root} ${found.length === 1 ? 'is' : 'are'} sent with the build context and copied into the image, where anyone who can pull it can read ${found.length === 1 ? 'it' : 'them'}; add ${found.length === 1 ? 'it' : 'them'} to ${selection.dockerignoreFile ?? join(selection.root, '.dockerignore')} unless the image needs ${found.length === 1 ? 'it' : 'them'}`,
      file: selection.dockerignoreFile ?? undefined,
    },
  ];
}
