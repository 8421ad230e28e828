import { describe, expect, it } from 'vitest';
import type { Principal } from './context.js';
import { principalArnOf } from './principal-arn.js';
import { rootPrincipal, userPrincipal } from './test-principals.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const session = (type: Principal['type'], arn: string, issuerType: 'Role' | 'IAMUser', issuerArn: string): Principal => ({
  type,
  accountId: '123456789012',
  arn,
  principalId: 'AROAEXAMPLE000000001:s',
  mfaAuthenticated: false,
  session: { issuerArn, issuerType, issuerName: 'x', issuerPrincipalId: 'AROAEXAMPLE000000001', createdAt: NOW, expiresAt: NOW, mfaAuthenticated: false },
});

describe('principalArnOf (aws:PrincipalArn)', () => {
  it.each([
    ['a role session: the role, path included', session('AssumedRole', 'arn:aws:sts::123456789012:assumed-role/app/s', 'Role', 'arn:aws:iam::123456789012:role/team/app'), 'arn:aws:iam::123456789012:role/team/app'],
    ['an IAM user', userPrincipal('alice'), 'arn:aws:iam::123456789012:user/alice'],
    ['a user’s GetSessionToken session: the user', session('IAMUser', 'arn:aws:iam::123456789012:user/alice', 'IAMUser', 'arn:aws:iam::123456789012:user/alice'), 'arn:aws:iam::123456789012:user/alice'],
    ['a federated user: its own ARN, not the federating user’s', session('FederatedUser', 'arn:aws:sts::123456789012:federated-user/app', 'IAMUser', 'arn:aws:iam::123456789012:user/alice'), 'arn:aws:sts::123456789012:federated-user/app'],
    ['root', rootPrincipal(), 'arn:aws:iam::123456789012:root'],
  ])('%s', (_name, principal, expected) => {
    expect(principalArnOf(principal)).toBe(expected);
  });
});
