import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectContextFiles } from './selectContextFiles.js';

function treeOfDepth(depth: number): string {
  const root = mkdtempSync(join(tmpdir(), 'stowage-deep-'));
  const leaf = join(root, ...Array<string>(depth).fill('d'));
  mkdirSync(leaf, { recursive: true });
  writeFileSync(join(leaf, 'f.txt'), 'x');
  return root;
}

describe('deep folders in a build context', () => {
  // The walk recurses per level; 1,300 levels overflowed the stack ("unexpected failure").
  it('a tree 1,300 levels deep is a clear context error, not a stack overflow', async () => {
    const root = treeOfDepth(1300);
    await expect(selectContextFiles({ root })).rejects.toMatchObject({
      code: 'CONTEXT_INVALID',
      file: root,
      message: 'folders nest more than 256 levels deep below d/d/d/ in the build context',
      hint: 'add d/d/d to .dockerignore, or flatten it',
    });
  });

  it('256 levels are walked', async () => {
    const selection = await selectContextFiles({ root: treeOfDepth(256) });
    expect(selection.entries.filter((e) => e.type === 'file')).toHaveLength(1);
  });
});
