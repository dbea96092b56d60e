import { describe, expect, it } from 'vitest';
import { paginate } from './paginate.js';

const items = ['a', 'b', 'c', 'd', 'e'];
const url = (query: string) => new URL(`http://127.0.0.1:1/x?${query}`);

describe('paginate', () => {
  it('serves the asked page with next/last links, keeping other query parameters', () => {
    const page = paginate(items, url('type=branch&per_page=2&page=2'), { defaultPerPage: 30, maxPerPage: 100, totals: false });
    expect(page.items).toEqual(['c', 'd']);
    expect(page.headers.link).toBe(
      '<http://127.0.0.1:1/x?type=branch&per_page=2&page=3>; rel="next", <http://127.0.0.1:1/x?type=branch&per_page=2&page=3>; rel="last", ' +
        '<http://127.0.0.1:1/x?type=branch&per_page=2&page=1>; rel="first", <http://127.0.0.1:1/x?type=branch&per_page=2&page=1>; rel="prev"',
    );
  });

  it('caps per_page, has no Link on a single page, and adds GitLab totals when asked', () => {
    const page = paginate(items, url('per_page=500'), { defaultPerPage: 20, maxPerPage: 3, totals: true });
    expect(page.items).toEqual(['a', 'b', 'c']);
    expect(page.headers).toMatchObject({ 'x-total': '5', 'x-total-pages': '2', 'x-next-page': '2', 'x-prev-page': '', 'x-per-page': '3' });
    expect(paginate(items, url(''), { defaultPerPage: 30, maxPerPage: 100, totals: false }).headers).toEqual({});
  });
});
