import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFileWarnings } from './envFileWarnings.js';
import { selectContextFiles } from './selectContextFiles.js';

async function selection(files: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'stowage-env-'));
  for (const f of files) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), 'TOKEN=x\n');
  }
  return { root, selection: await selectContextFiles({ root }) };
}

describe('.env files in a context that goes into an image', () => {
  it('are named in one warning, with the .dockerignore to add them to', async () => {
    const { root, selection: s } = await selection(['app.py', '.env', 'config/.env.production', '.env.example']);
    expect(envFileWarnings(s)).toEqual([
      {
        message: `.env, config/.env.production in ${root} are sent with the build context and copied into the image, where anyone who can pull it can read them; add them to ${join(root, '.dockerignore')} unless the image needs them`,
        file: undefined,
      },
    ]);
  });

  it('are not mentioned once .dockerignore leaves them out; templates never are', async () => {
    const { root } = await selection(['.env', 'app.py', '.env.sample', 'envs/.environment']);
    writeFileSync(join(root, '.dockerignore'), '.env\n');
    expect(envFileWarnings(await selectContextFiles({ root }))).toEqual([]);
  });
});
