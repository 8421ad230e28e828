import { describe, expect, it } from 'vitest';
import { isUsersVirtualSerial, unassignedOffer, type UnassignedPage } from './mfa-serials.js';

describe('isUsersVirtualSerial', () => {
  it.each([
    ['arn:aws:iam::123456789012:mfa/alice', 'alice', true],
    ['arn:aws:iam::123456789012:mfa/alice-phone', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/malice', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/ops/alice', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/Alice', 'alice', false],
    ['arn:aws:iam::123456789012:u2f/user/alice/key-ABC', 'alice', false],
    ['arn:aws:iam::123456789012:mfa/a.b+c', 'a.b+c', true],
  ])('%s is %s\'s: %s', (serial, user, expected) => {
    expect(isUsersVirtualSerial(serial, user)).toBe(expected);
  });
});

describe('unassignedOffer', () => {
  const arn = (name: string) => `arn:aws:iam::123456789012:mfa/${name}`;
  // The listing in pages; markers are page numbers.
  const listing = (pages: string[][]) => {
    const read: Array<string | undefined> = [];
    const listPage = async (marker: string | undefined): Promise<UnassignedPage> => {
      read.push(marker);
      const i = marker ? Number(marker) : 0;
      return { serials: pages[i]!.map(arn), marker: i + 1 < pages.length ? String(i + 1) : undefined };
    };
    return { listPage, read };
  };
  it.each([
    ['self: only the device named after the user, found on a later page', [['bob', 'carol'], ['dave', 'alice'], ['erin']], true, { named: [arn('alice')], others: [], more: false }, [undefined, '1']],
    ['self: none named after the user, every page read', [['bob'], ['carol']], true, { named: [], others: [], more: false }, [undefined, '1']],
    ['admin: the named device apart from the first page of the others', [['bob', 'carol'], ['alice']], false, { named: [arn('alice')], others: [arn('bob'), arn('carol')], more: true }, [undefined, '1']],
    ['admin: the named device on the first page, no more read', [['alice', 'bob'], ['carol']], false, { named: [arn('alice')], others: [arn('bob')], more: true }, [undefined]],
    ['admin: one page', [['bob']], false, { named: [], others: [arn('bob')], more: false }, [undefined]],
  ])('%s', async (_, pages, self, expected, markers) => {
    const l = listing(pages);
    expect(await unassignedOffer(l.listPage, 'alice', self)).toEqual(expected);
    expect(l.read).toEqual(markers);
  });
});
