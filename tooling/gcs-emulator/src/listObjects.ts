/** The query of `objects.list` the emulator honours. */
export interface ListQuery {
  prefix?: string;
  delimiter?: string;
  /** Entries (objects and prefixes together) per page; GCS's default and maximum is 1000. */
  maxResults?: number;
  pageToken?: string;
  startOffset?: string;
  endOffset?: string;
  includeTrailingDelimiter?: boolean;
}

export interface ListPage<T> {
  items: T[];
  prefixes: string[];
  nextPageToken?: string;
}

export const MAX_RESULTS = 1000;

/** The page token is opaque to clients: here, the last name or prefix of the page before. */
export const pageTokenOf = (last: string): string => Buffer.from(last, 'utf8').toString('base64url');
const afterToken = (token: string | undefined): string | undefined => (token ? Buffer.from(token, 'base64url').toString('utf8') : undefined);

/**
 * One page of a listing over objects sorted by name, as the JSON API pages it: names that start
 * with `prefix`; with a `delimiter`, names that go on past it are rolled up into `prefixes` (each
 * once); objects and prefixes both count towards `maxResults`.
 */
export function listObjects<T extends { name: string }>(sorted: readonly T[], query: ListQuery): ListPage<T> {
  const { prefix = '', delimiter, startOffset, endOffset } = query;
  const limit = Math.min(Math.max(query.maxResults ?? MAX_RESULTS, 1), MAX_RESULTS);
  const after = afterToken(query.pageToken);
  const page: ListPage<T> = { items: [], prefixes: [] };
  let last: string | undefined;
  for (const object of sorted) {
    const { name } = object;
    if (!name.startsWith(prefix) || (startOffset && name < startOffset) || (endOffset && name >= endOffset)) continue;
    const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
    const rolledUp = cut >= 0 ? name.slice(0, cut + delimiter!.length) : undefined;
    const key = rolledUp ?? name;
    if ((after !== undefined && key <= after) || key === last) continue;
    if (page.items.length + page.prefixes.length === limit) return { ...page, nextPageToken: pageTokenOf(last!) };
    if (rolledUp !== undefined) {
      page.prefixes.push(rolledUp);
      if (query.includeTrailingDelimiter && name === rolledUp) page.items.push(object);
    } else {
      page.items.push(object);
    }
    last = key;
  }
  return page;
}
