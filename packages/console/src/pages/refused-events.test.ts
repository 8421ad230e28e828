import { describe, expect, it } from 'vitest';
import { isRefusal, readRefused, type LookupPage } from './refused-events.js';

describe('isRefusal', () => {
  it.each([
    [{ eventName: 'ListUsers', errorCode: 'AccessDenied' }, true],
    [{ eventName: 'LookupEvents', errorCode: 'AccessDeniedException' }, true],
    [{ eventName: 'GetCallerIdentity', errorCode: 'InvalidClientTokenId' }, true],
    [{ eventName: 'DescribeTrails', errorCode: 'InvalidSignatureException' }, true],
    [{ eventName: 'GetUser', errorCode: 'ExpiredToken' }, true],
    [{ eventName: 'AssumeRoleWithWebIdentity', errorCode: 'IDPRejectedClaimException' }, true],
    [{ eventName: 'AssumeRoleWithWebIdentity', errorCode: 'InvalidIdentityTokenException' }, true],
    [{ eventName: 'AssumeRoleWithSAML', errorCode: 'InvalidIdentityToken' }, true],
    [{ eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } }, true],
    [{ eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' } }, false],
    [{ eventName: 'CreateUser', errorCode: 'EntityAlreadyExistsException' }, false],
    [{ eventName: 'GetUser', errorCode: 'NoSuchEntityException' }, false],
    [{ eventName: 'CreateUser', errorCode: 'ValidationError' }, false],
    [{ eventName: 'ListUsers' }, false],
    [{ eventName: 'ListUsers', responseElements: null }, false],
  ])('%j: %s', (record, expected) => {
    expect(isRefusal(record)).toBe(expected);
  });
});

describe('readRefused', () => {
  // A search of `total` events in pages of `size`; every third one refused. Tokens are page numbers.
  const search = (total: number, size: number) => {
    const asked: Array<string | undefined> = [];
    const lookup = async (token: string | undefined): Promise<LookupPage<number>> => {
      asked.push(token);
      const from = token ? Number(token) * size : 0;
      const events = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => from + i);
      return { Events: events, ...(from + size < total ? { NextToken: String(from / size + 1) } : {}) };
    };
    return { lookup, asked };
  };
  const refused = (n: number) => n % 3 === 0;

  it('stops once enough are kept, keeping the last page whole, and goes on from the next page missing none', async () => {
    const s = search(100, 10);
    const first = await readRefused(s.lookup, refused, { want: 5 });
    expect(first).toEqual({ events: [0, 3, 6, 9, 12, 15, 18], read: 20, nextToken: '2' });
    const rest = await readRefused(s.lookup, refused, { token: first.nextToken, want: 1000 });
    expect(rest.nextToken).toBeUndefined();
    expect([...first.events, ...rest.events]).toEqual(Array.from({ length: 34 }, (_, i) => i * 3));
    expect(s.asked).toEqual([undefined, '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('reads at most maxPages pages per call, answering the token to go on from', async () => {
    const s = search(1000, 10);
    const r = await readRefused(s.lookup, (n) => n === 999, { maxPages: 4 });
    expect(r).toEqual({ events: [], read: 40, nextToken: '4' });
    expect(s.asked).toHaveLength(4);
  });

  it('ends with the search: no token after its last page, and an empty search reads one page', async () => {
    expect(await readRefused(search(25, 10).lookup, refused)).toEqual({ events: [0, 3, 6, 9, 12, 15, 18, 21, 24], read: 25 });
    const empty = search(0, 10);
    expect(await readRefused(empty.lookup, refused)).toEqual({ events: [], read: 0 });
    expect(empty.asked).toEqual([undefined]);
  });
});
