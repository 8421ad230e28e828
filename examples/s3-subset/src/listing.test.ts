import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from './bucket-store.js';
import { listPage } from './listing.js';

const objects = ['a/1', 'a/2', 'b/1', 'c.txt', 'd/e/1'].map((key): ObjectMeta => ({ key, size: 1, etag: 'x', lastModified: '', contentType: '' }));

/** Every page, following `last` as the next start. */
function allPages(r: { prefix: string; delimiter?: string; maxKeys: number }): string[][] {
  const pages: string[][] = [];
  let after = '';
  for (;;) {
    const page = listPage(objects, { ...r, after });
    pages.push([...page.commonPrefixes, ...page.contents.map((o) => o.key)]);
    if (!page.truncated) return pages;
    after = page.last!;
  }
}

describe('listPage', () => {
  it.each([
    ['everything, one page', { prefix: '', maxKeys: 1000 }, [['a/1', 'a/2', 'b/1', 'c.txt', 'd/e/1']]],
    ['rolled up by the delimiter', { prefix: '', delimiter: '/', maxKeys: 1000 }, [['a/', 'b/', 'd/', 'c.txt']]],
    ['a common prefix is on one page only', { prefix: '', delimiter: '/', maxKeys: 1 }, [['a/'], ['b/'], ['c.txt'], ['d/']]],
    ['two a page', { prefix: '', delimiter: '/', maxKeys: 2 }, [['a/', 'b/'], ['d/', 'c.txt']]],
    ['under a prefix', { prefix: 'd/', delimiter: '/', maxKeys: 1000 }, [['d/e/']]],
    ['keys, paged', { prefix: 'a/', maxKeys: 1 }, [['a/1'], ['a/2']]],
  ] as const)('%s', (_name, request, expected) => {
    expect(allPages(request)).toEqual(expected);
  });

  it('answers max-keys=0 with an empty page that is not truncated (it has no entry to continue from)', () => {
    expect(listPage(objects, { prefix: '', maxKeys: 0, after: '' })).toEqual({ contents: [], commonPrefixes: [], truncated: false });
  });

  it('starts after a key that is not a common prefix (start-after, marker)', () => {
    expect(listPage(objects, { prefix: '', maxKeys: 1000, after: 'a/1' }).contents.map((o) => o.key)).toEqual(['a/2', 'b/1', 'c.txt', 'd/e/1']);
  });
});
