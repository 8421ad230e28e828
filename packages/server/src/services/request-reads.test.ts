import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../domain/context.js';
import { userWithTagsOnce } from './request-reads.js';

const ctx = (): RequestContext => ({
  requestId: 'r',
  now: new Date(0),
  caller: { type: 'Root', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:root', principalId: '123456789012', mfaAuthenticated: false },
  sourceIp: '127.0.0.1',
  userAgent: 'test',
  region: 'us-east-1',
});

describe('userWithTagsOnce', () => {
  const found = { user: { name: 'Alice' }, tags: [] };
  const counting = (answer: unknown) => {
    const calls: string[][] = [];
    const store = { getUserWithTags: async (accountId: string, name: string) => (calls.push([accountId, name]), answer) };
    return { deps: { store } as never, calls };
  };

  it.each([
    ['a user that exists', found],
    ['a user that does not', undefined],
  ])('reads %s once per request, whatever the name’s case', async (_name, answer) => {
    const { deps, calls } = counting(answer);
    const c = ctx();
    expect(await userWithTagsOnce(deps, c, '123456789012', 'Alice')).toBe(answer);
    expect(await userWithTagsOnce(deps, c, '123456789012', 'alice')).toBe(answer);
    expect(calls).toEqual([['123456789012', 'Alice']]);
  });

  it('reads again for another request, another account or another name', async () => {
    const { deps, calls } = counting(found);
    const c = ctx();
    await userWithTagsOnce(deps, c, '123456789012', 'alice');
    await userWithTagsOnce(deps, ctx(), '123456789012', 'alice');
    await userWithTagsOnce(deps, c, '210987654321', 'alice');
    await userWithTagsOnce(deps, c, '123456789012', 'bob');
    expect(calls).toHaveLength(4);
  });
});
