import { describe, expect, it } from 'vitest';
import { pageById } from './page-by-id.js';

const items = ['a', 'b', 'c', 'd', 'e'];
const id = (s: string) => s;

describe('pageById', () => {
  it('walks every item once, in order, page by page', () => {
    // Given pages of two, When the tokens are followed, Then every item comes once and the last page has no token
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const { page, NextToken } = pageById(items, id, { MaxResults: 2, ...(token ? { NextToken: token } : {}) });
      seen.push(...page);
      token = NextToken;
      pages++;
    } while (token);
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['naming no item', Buffer.from(JSON.stringify({ after: 'zz' })).toString('base64url')],
    ['of another shape', Buffer.from(JSON.stringify({ after: 3 })).toString('base64url')],
  ])('refuses a token %s with ValidationError', (_name, token) => {
    expect(() => pageById(items, id, { NextToken: token })).toThrow(expect.objectContaining({ code: 'ValidationError', message: 'Invalid NextToken.' }));
  });

  it('answers everything without a token when it fits the default page', () => {
    expect(pageById(items, id, {})).toEqual({ page: items });
  });
});
