import { describe, expect, it } from 'vitest';
import { extractResources } from './audit-resources.js';

describe('extractResources', () => {
  const cases: Array<{ name: string; request?: Record<string, unknown>; response?: Record<string, unknown>; resources: Array<{ type: string; name: string }> }> = [
    { name: 'nothing named', request: { MaxItems: 10 }, resources: [] },
    { name: 'a request member', request: { UserName: 'bob' }, resources: [{ type: 'AWS::IAM::User', name: 'bob' }] },
    {
      name: 'the same pair from request and response, once, in the order found',
      request: { UserName: 'bob', GroupName: 'admins' },
      response: { User: { UserName: 'bob', Arn: 'arn:aws:iam::123456789012:user/bob' } },
      resources: [{ type: 'AWS::IAM::User', name: 'bob' }, { type: 'AWS::IAM::Group', name: 'admins' }],
    },
    { name: 'one name under two types, both', request: { UserName: 'x', GroupName: 'x' }, resources: [{ type: 'AWS::IAM::User', name: 'x' }, { type: 'AWS::IAM::Group', name: 'x' }] },
    { name: 'a renamed user, both names', request: { UserName: 'old', NewUserName: 'new' }, resources: [{ type: 'AWS::IAM::User', name: 'old' }, { type: 'AWS::IAM::User', name: 'new' }] },
    { name: 'empty and non-string values left out', request: { UserName: '', RoleName: 7, GroupName: null }, resources: [] },
    { name: 'inherited member names ignored', request: JSON.parse('{"constructor":"x","__proto__":{"UserName":"y"}}') as Record<string, unknown>, resources: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(extractResources(c.request, c.response)).toEqual(c.resources);
    });
  }
});
