import { describe, expect, it } from 'vitest';
import type { ContextSelection } from './ContextSelection.js';
import { keepSourceSnapshot, sourceSnapshotKey, takeSourceSnapshot } from './sourceSnapshots.js';

const selection: ContextSelection = { root: '/src', dockerignoreFile: null, patterns: [], entries: [], totalBytes: 0, warnings: [] };
const snapshot = (digest: string) => ({ selection, files: new Map([['a.py', 'aa']]), digest });

describe('source snapshots (gather → append-layer of the same run)', () => {
  it('is taken once, and only with the digest the plan covers', () => {
    const key = sourceSnapshotKey('/src', null, ['/src/.stowage']);
    keepSourceSnapshot(key, snapshot('sha256:1'));
    expect(takeSourceSnapshot(key, 'sha256:2')).toBeUndefined();
    expect(takeSourceSnapshot(key, 'sha256:1')?.digest).toBe('sha256:1');
    expect(takeSourceSnapshot(key, 'sha256:1')).toBeUndefined();
  });

  it('is filed by root, ignore file and left-out folders; only the newest few are kept', () => {
    expect(sourceSnapshotKey('/src', null, [])).not.toBe(sourceSnapshotKey('/src', '/src/.dockerignore', []));
    expect(sourceSnapshotKey('/src', null, [])).not.toBe(sourceSnapshotKey('/src', null, ['/src/.stowage']));
    for (let i = 0; i < 6; i++) keepSourceSnapshot(`k${i}`, snapshot(`sha256:${i}`));
    expect(takeSourceSnapshot('k0', 'sha256:0')).toBeUndefined();
    expect(takeSourceSnapshot('k5', 'sha256:5')?.digest).toBe('sha256:5');
  });
});
