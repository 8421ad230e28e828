import type { Principal } from './context.js';

/**
 * The ARN policies know a caller by, as AWS sets `aws:PrincipalArn`: for every session of a role,
 * the role's ARN (path included), not the session's `assumed-role` ARN; otherwise the caller's own
 * ARN (an IAM user and its GetSessionToken sessions, root, a federated user).
 */
export function principalArnOf(p: Pick<Principal, 'type' | 'arn' | 'session'>): string {
  if (p.type === 'AssumedRole' && p.session?.issuerType === 'Role') return p.session.issuerArn;
  return p.arn;
}
