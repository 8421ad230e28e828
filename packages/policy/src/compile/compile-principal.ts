/**
 * Matching the request's principal against a Principal or NotPrincipal element.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import type { PrincipalSpec } from '../types.js';
import type { RequestPrincipal } from '../evaluate/request.js';

/**
 * How a Principal element names the caller, weakest to strongest: not at all, through its account
 * (`arn:aws:iam::123456789012:root`: the account then decides with its own policies), through the
 * role of an assumed-role session or the IAM user of a federated user session, or directly (user ARN, session ARN, `*`, service, provider).
 * The difference matters for same-account resource-based grants.
 */
export const PrincipalMatch = { None: 0, Account: 1, Role: 2, Direct: 3 } as const;
/** One of the {@link PrincipalMatch} values. */
export type PrincipalMatch = (typeof PrincipalMatch)[keyof typeof PrincipalMatch];

function accountRoot(accountId: string, arn: string): string {
  // A principal's requests ask again and again: the last answer is kept (a function of its two inputs).
  if (accountId === lastRoot.accountId && arn === lastRoot.arn) return lastRoot.root;
  const partition = arn.startsWith('arn:') ? arn.slice(4, arn.indexOf(':', 4)) : 'aws';
  const root = `arn:${partition || 'aws'}:iam::${accountId}:root`;
  lastRoot = { accountId, arn, root };
  return root;
}

let lastRoot: { accountId: string | undefined; arn: string | undefined; root: string } = { accountId: undefined, arn: undefined, root: '' };

/** A temporary session: the principals whose permissions session policies can limit. */
function isSession(p: RequestPrincipal): boolean {
  return p.roleArn !== undefined || p.type === 'AssumedRole' || p.type === 'FederatedUser' || p.type === 'WebIdentityUser';
}

/**
 * The unique id (`AROA…`) of the role of an assumed-role session, whose own id is `AROA…:SESSION`.
 * IAM stores a trust policy's role principal by that id, so the id names the role's sessions as its
 * ARN does.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
function sessionRoleId(p: RequestPrincipal): string | undefined {
  if (p.roleArn === undefined || p.id === undefined) return undefined;
  const colon = p.id.indexOf(':');
  return colon > 0 ? p.id.slice(0, colon) : undefined;
}

/**
 * How `*` names `p`. AWS: a resource-based policy naming the session's ARN is not limited by the
 * session policy; one naming the user or role is ("the session policy limits the total permissions
 * granted by the resource-based policy and the identity-based policy"). It does not say which `*`
 * is, so for a session `*` counts as naming its role, the answer that grants less.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
function wildcardMatch(p: RequestPrincipal): PrincipalMatch {
  return isSession(p) ? PrincipalMatch.Role : PrincipalMatch.Direct;
}

/** The strongest way `spec` names `p`. */
export function matchPrincipal(spec: PrincipalSpec, p: RequestPrincipal): PrincipalMatch {
  if (spec.wildcard) return wildcardMatch(p);
  let best: PrincipalMatch = PrincipalMatch.None;
  if (p.type === 'AWSService') {
    for (const s of spec.service) if (s === '*' || s === p.arn || s === p.id) return PrincipalMatch.Direct;
  }
  if (p.provider !== undefined) {
    for (const f of spec.federated) if (f === p.provider) return PrincipalMatch.Direct;
  }
  if (p.canonicalUserId !== undefined) {
    for (const c of spec.canonicalUser) if (c === p.canonicalUserId) return PrincipalMatch.Direct;
  }
  if (spec.aws.length === 0) return best;
  const root = accountRoot(p.accountId, p.arn);
  const roleId = sessionRoleId(p);
  for (const a of spec.aws) {
    if (a === p.arn || (p.id !== undefined && a === p.id)) return PrincipalMatch.Direct;
    if (a === '*') best = wildcardMatch(p) > best ? wildcardMatch(p) : best;
    else if ((p.roleArn !== undefined && a === p.roleArn) || (roleId !== undefined && a === roleId) || (p.federatingUserArn !== undefined && a === p.federatingUserArn)) {
      best = best > PrincipalMatch.Role ? best : PrincipalMatch.Role;
    }
    else if (a === root && best < PrincipalMatch.Account) best = PrincipalMatch.Account;
  }
  return best;
}

/**
 * True when a NotPrincipal element excludes `p`: every identity AWS evaluates for the caller
 * (its own ARN, for an assumed-role session its role's ARN, and its account) must be listed. This
 * is why AWS's examples list the session ARN, the role ARN and the account together. AWS names no
 * such identity for a federated user session: listing its own ARN and account exempts it, and the
 * IAM user who federated need not be listed.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function notPrincipalExcludes(spec: PrincipalSpec, p: RequestPrincipal): boolean {
  if (spec.wildcard || spec.aws.includes('*')) return true;
  const listed = (arn: string): boolean => spec.aws.includes(arn);
  if (p.type === 'AWSService') return spec.service.includes(p.arn) || spec.service.includes('*');
  if (p.provider !== undefined && spec.federated.includes(p.provider)) return true;
  if (p.canonicalUserId !== undefined && spec.canonicalUser.includes(p.canonicalUserId)) return true;
  if (!listed(p.arn) && !(p.id !== undefined && listed(p.id))) return false;
  if (p.roleArn !== undefined && !listed(p.roleArn)) {
    const roleId = sessionRoleId(p);
    if (roleId === undefined || !listed(roleId)) return false;
  }
  return listed(accountRoot(p.accountId, p.arn));
}
