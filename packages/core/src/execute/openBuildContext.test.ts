import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../context/__fixtures__/readArchive.js';
import { openBuildContext } from './openBuildContext.js';

describe('openBuildContext', () => {
  it("puts the source files under the code folder: the generated Dockerfile neither shadows the user's Dockerfile nor joins the code", async () => {
    const root = mkdtempSync(join(tmpdir(), 'stowage-ctx-'));
    writeFileSync(join(root, 'Dockerfile'), 'FROM user-own\n');
    writeFileSync(join(root, 'app.py'), 'print(1)\n');
    writeFileSync(join(root, 'stowage.yaml'), 'pipeline: {}\n');
    const spec = { root, extraFiles: [{ path: 'Dockerfile', content: 'FROM generated\n' }], exclude: [join(root, 'stowage.yaml')], prefix: 'stowage_code' };
    const members = await readArchive((await openBuildContext(spec)).open());
    const files = Object.fromEntries(members.filter((m) => m.header.type === 'file').map((m) => [m.header.name, m.content.toString()]));
    expect(files).toEqual({ Dockerfile: 'FROM generated\n', 'stowage_code/Dockerfile': 'FROM user-own\n', 'stowage_code/app.py': 'print(1)\n' });
    expect(members.find((m) => m.header.name.replace(/\/$/, '') === 'stowage_code')?.header.type).toBe('directory');
  });

  it('an empty source root still has the code folder (COPY of it copies nothing)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stowage-ctx-'));
    const members = await readArchive((await openBuildContext({ root, extraFiles: [], exclude: [], prefix: 'stowage_code' })).open());
    expect(members.map((m) => [m.header.name.replace(/\/$/, ''), m.header.type])).toEqual([['stowage_code', 'directory']]);
  });
});
