import { describe, expect, it } from 'vitest';
import type { ContextEntry, ContextSelection } from './ContextSelection.js';
import { codeLayerKey, LARGE_FILE_BYTES, layerSelection, splitCodeLayers } from './codeLayers.js';

const file = (path: string, size = 10): ContextEntry => ({ path, type: 'file', mode: 0o644, size, absolutePath: `/src/${path}` });
const dir = (path: string): ContextEntry => ({ path, type: 'directory', mode: 0o755, size: 0, absolutePath: `/src/${path}` });
const tree = (folders: number, files: number): ContextEntry[] =>
  Array.from({ length: folders }, (_, d) => [dir(`src/p${d}`), ...Array.from({ length: files }, (_, f) => file(`src/p${d}/m${f}.py`))]).flat();
const layerOf = (layers: ReturnType<typeof splitCodeLayers>, path: string) => layers.findIndex((l) => l.entries.some((e) => e.path === path));

describe('splitCodeLayers', () => {
  it('keeps large files apart from the code, and a folder’s files together', () => {
    const entries = [...tree(40, 5), file('data/weights.bin', LARGE_FILE_BYTES), file('data/readme.md')];
    const layers = splitCodeLayers(entries);
    const large = layers.filter((l) => l.name.startsWith('large'));
    expect(large.flatMap((l) => l.entries.map((e) => e.path))).toEqual(['data/weights.bin']);
    expect(layers.slice(0, large.length)).toEqual(large); // large layers first
    for (let d = 0; d < 40; d++) expect(new Set([0, 1, 2, 3, 4].map((f) => layerOf(layers, `src/p${d}/m${f}.py`))).size).toBe(1);
    expect(layers.length).toBeLessThanOrEqual(20);
    expect(layers.reduce((n, l) => n + l.files, 0)).toBe(202);
  });

  it('is stable: adding a folder changes only the layer it falls in', () => {
    const before = splitCodeLayers(tree(30, 3));
    const after = splitCodeLayers([...tree(30, 3), dir('src/new'), file('src/new/x.py')]);
    const changed = after.filter((l) => JSON.stringify(l) !== JSON.stringify(before.find((b) => b.name === l.name)));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.entries.map((e) => e.path)).toContain('src/new/x.py');
  });

  it('an empty tree has no layers', () => {
    expect(splitCodeLayers([])).toEqual([]);
  });
});

describe('layerSelection', () => {
  it('puts the layer under the destination with every folder on the way, sorted', () => {
    const selection: ContextSelection = { root: '/src', dockerignoreFile: null, patterns: [], entries: [], totalBytes: 0, warnings: [] };
    const [layer] = splitCodeLayers([file('a/b/c.py')]);
    const out = layerSelection(selection, layer!, 'app');
    expect(out.entries.map((e) => [e.path, e.type])).toEqual([
      ['app', 'directory'],
      ['app/a', 'directory'],
      ['app/a/b', 'directory'],
      ['app/a/b/c.py', 'file'],
    ]);
    expect(out.entries[3]!.absolutePath).toBe('/src/a/b/c.py');
  });
});

describe('codeLayerKey', () => {
  const [layer] = splitCodeLayers([file('a.py')]);
  const key = (digests: Record<string, string>, owner = { uid: 0, gid: 0, mtime: 0, destination: '/app' }, compressor = 'gzip') => codeLayerKey(layer!, new Map(Object.entries(digests)), owner, compressor);

  it('changes with a file’s content, the owner, the mtime, the destination and the compressor, and only then', () => {
    const base = key({ 'a.py': 'aaa' });
    expect(key({ 'a.py': 'aaa' })).toBe(base);
    expect(key({ 'a.py': 'bbb' })).not.toBe(base);
    expect(key({ 'a.py': 'aaa' }, { uid: 65534, gid: 0, mtime: 0, destination: '/app' })).not.toBe(base);
    expect(key({ 'a.py': 'aaa' }, { uid: 0, gid: 0, mtime: 1, destination: '/app' })).not.toBe(base);
    expect(key({ 'a.py': 'aaa' }, undefined, 'gzip-1')).not.toBe(base);
    expect(key({ 'a.py': 'aaa' }, { uid: 0, gid: 0, mtime: 0, destination: '/srv' })).not.toBe(base);
  });
});
