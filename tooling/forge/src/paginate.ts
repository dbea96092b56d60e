export interface PageOptions {
  defaultPerPage: number;
  maxPerPage: number;
  /** GitLab also sends `x-page`, `x-total`, … beside the `Link` header. */
  totals: boolean;
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

function positive(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** One page of `items` as both forges serve it: `?page=&per_page=`, and a `Link` header with absolute URLs. */
export function paginate<T>(items: readonly T[], requestUrl: URL, o: PageOptions): Page<T> {
  const perPage = Math.min(positive(requestUrl.searchParams.get('per_page'), o.defaultPerPage), o.maxPerPage);
  const page = positive(requestUrl.searchParams.get('page'), 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const linkTo = (p: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(perPage));
    return url.href;
  };
  const rels: [string, number][] = [];
  if (page < totalPages) rels.push(['next', page + 1], ['last', totalPages]);
  if (page > 1) rels.push(['first', 1], ['prev', page - 1]);
  const headers: Record<string, string> = rels.length ? { link: rels.map(([rel, p]) => `<${linkTo(p)}>; rel="${rel}"`).join(', ') } : {};
  if (o.totals) {
    Object.assign(headers, {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      'x-next-page': page < totalPages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
    });
  }
  return { items: items.slice((page - 1) * perPage, page * perPage), headers };
}
