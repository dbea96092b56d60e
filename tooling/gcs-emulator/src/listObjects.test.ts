import { describe, expect, it } from 'vitest';
import { listObjects, pageTokenOf, type ListQuery } from './listObjects.js';

const objects = ['a.txt', 'code/1.tar', 'code/2.tar', 'code/sub/3.tar', 'contexts/x.tar.gz', 'z/'].map((name) => ({ name }));
const names = (query: ListQuery) => {
  const page = listObjects(objects, query);
  return { items: page.items.map((o) => o.name), prefixes: page.prefixes, next: page.nextPageToken };
};

describe('listObjects (objects.list)', () => {
  it('lists names that start with the prefix, as text', () => {
    expect(names({ prefix: 'co' })).toEqual({ items: ['code/1.tar', 'code/2.tar', 'code/sub/3.tar', 'contexts/x.tar.gz'], prefixes: [], next: undefined });
  });

  it('rolls names past the delimiter up into prefixes, each once', () => {
    expect(names({ delimiter: '/' })).toEqual({ items: ['a.txt'], prefixes: ['code/', 'contexts/', 'z/'], next: undefined });
    expect(names({ prefix: 'code/', delimiter: '/' })).toEqual({ items: ['code/1.tar', 'code/2.tar'], prefixes: ['code/sub/'], next: undefined });
    expect(names({ delimiter: '/', includeTrailingDelimiter: true }).items).toEqual(['a.txt', 'z/']);
  });

  it('pages by maxResults, objects and prefixes counted together, resuming after the token', () => {
    const first = names({ maxResults: 2 });
    expect(first).toEqual({ items: ['a.txt', 'code/1.tar'], prefixes: [], next: pageTokenOf('code/1.tar') });
    const rest = names({ maxResults: 2, pageToken: first.next });
    expect(rest.items).toEqual(['code/2.tar', 'code/sub/3.tar']);
    expect(names({ maxResults: 2, pageToken: rest.next })).toEqual({ items: ['contexts/x.tar.gz', 'z/'], prefixes: [], next: undefined });
    const rolled = names({ delimiter: '/', maxResults: 2 });
    expect(rolled).toMatchObject({ items: ['a.txt'], prefixes: ['code/'] });
    expect(names({ delimiter: '/', maxResults: 2, pageToken: rolled.next })).toEqual({ items: [], prefixes: ['contexts/', 'z/'], next: undefined });
  });

  it('honours startOffset and endOffset', () => {
    expect(names({ startOffset: 'code/2', endOffset: 'contexts/y' }).items).toEqual(['code/2.tar', 'code/sub/3.tar', 'contexts/x.tar.gz']);
  });
});
