import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { ImageFileSearch, normalizeImagePath, type LayerEntry } from './ImageFileSearch.js';

type Layer = (LayerEntry & { content?: string })[];

/** Runs the search over layers given top first, as readImageFiles reads them; returns what it found and how many layers it read. */
function search(paths: string[], layers: Layer[]): { found: Record<string, string>; read: number } {
  const s = new ImageFileSearch(paths);
  let read = 0;
  for (const layer of layers) {
    if (s.done) break;
    read++;
    for (const entry of layer) {
      const path = s.visit(entry, 'layer');
      if (path !== undefined) s.settle(path, Buffer.from(entry.content ?? ''));
      if (s.done) break;
    }
    s.endLayer();
  }
  return { found: Object.fromEntries([...s.found].map(([k, v]) => [k, v.toString()])), read };
}

const file = (name: string, content = name): LayerEntry & { content: string } => ({ name, type: 'file', content });

describe('ImageFileSearch', () => {
  it('takes a file from the topmost layer that has it and stops once every path is settled', () => {
    const result = search(['etc/passwd', 'etc/group'], [[file('srv/app')], [file('./etc/passwd', 'upper')], [file('etc/passwd', 'lower'), file('etc/group', 'g')], [file('never/read')]]);
    expect(result).toEqual({ found: { 'etc/passwd': 'upper', 'etc/group': 'g' }, read: 3 });
  });

  it('a whiteout hides the lower layers’ copy (and what is under a whited-out directory), not its own layer’s', () => {
    const layers: Layer[] = [[file('etc/.wh.passwd'), file('opt/.wh.tool'), file('srv/.wh.kept'), file('srv/kept', 'same layer')], [file('etc/passwd'), file('opt/tool/bin'), file('srv/kept', 'lower')]];
    expect(search(['etc/passwd', 'opt/tool/bin', 'srv/kept'], layers)).toEqual({ found: { 'srv/kept': 'same layer' }, read: 1 });
  });

  it('an opaque directory hides everything the lower layers have in it, but not what its own layer has', () => {
    const layers: Layer[] = [[{ name: 'etc/', type: 'directory' }, file('etc/.wh..wh..opq'), file('etc/group', 'new')], [file('etc/passwd'), file('etc/group', 'old'), file('etcetera')]];
    expect(search(['etc/passwd', 'etc/group', 'etcetera'], layers)).toEqual({ found: { 'etc/group': 'new', etcetera: 'etcetera' }, read: 2 });
  });

  it('an opaque root hides every lower layer', () => {
    expect(search(['a/b'], [[file('.wh..wh..opq')], [file('a/b')]])).toEqual({ found: {}, read: 1 });
  });

  it('a non-directory where a wanted path has a parent directory hides it; a directory there does not', () => {
    expect(search(['etc/passwd'], [[{ name: 'etc', type: 'symlink', linkname: 'private/etc' }], [file('etc/passwd')]])).toEqual({ found: {}, read: 1 });
    expect(search(['etc/passwd'], [[{ name: 'etc', type: 'directory' }], [file('etc/passwd')]])).toEqual({ found: { 'etc/passwd': 'etc/passwd' }, read: 2 });
  });

  it('a directory at the wanted path settles it as no file', () => {
    expect(search(['etc/passwd'], [[{ name: 'etc/passwd/', type: 'directory' }], [file('etc/passwd')]])).toEqual({ found: {}, read: 1 });
  });

  it.each([
    ['symlink', 'a symbolic link to ../usr/share/passwd'],
    ['link', 'a hard link to ../usr/share/passwd'],
  ] as const)('a wanted path that is a %s is an error naming it and its target', (type, what) => {
    const error = (() => {
      try {
        search(['etc/passwd'], [[{ name: 'etc/passwd', type, linkname: '../usr/share/passwd' }]]);
      } catch (e) {
        return e;
      }
    })();
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
    expect((error as Error).message).toBe(`layer: etc/passwd is ${what}; only regular files can be read from the registry`);
  });

  it('paths that are never found end the search at the bottom layer, unsettled', () => {
    expect(search(['nope'], [[file('a')], [file('b')]])).toEqual({ found: {}, read: 2 });
  });
});

describe('normalizeImagePath', () => {
  it.each([
    ['etc/passwd', 'etc/passwd'],
    ['/etc/passwd', 'etc/passwd'],
    ['./etc/passwd', 'etc/passwd'],
    ['etc/', 'etc'],
  ])('%j → %j', (path, expected) => {
    expect(normalizeImagePath(path, 'paths[0]')).toBe(expected);
  });

  it.each([[''], ['/'], ['../etc/passwd'], ['etc/../passwd'], ['etc//passwd']])('refuses %j (USAGE, naming the key)', (path) => {
    expect(() => normalizeImagePath(path, 'paths[2]')).toThrow(`paths[2] "${path}" is not a file path inside an image`);
  });
});
