/**
 * The policies a decision names, as the console shows them. A `castellan:decision` names each
 * deciding statement by its policy's id (README "Why a call was allowed or denied"), an encoded
 * authorization message by `POLICYID#SID` (or `#INDEX` when the statement has no Sid); both are
 * turned here into a readable name and, where the console shows that policy, a link to it.
 */

export interface PolicyRef {
  /** The policy as a person reads it: a managed policy's ARN, an inline policy as `user alice: self`. */
  label: string;
  /** The console page showing it (a managed policy's page, the entity of an inline policy); none for session policies and the like. */
  href?: string;
}

const INLINE_PAGES = { user: 'users', group: 'groups', role: 'roles' } as const;

/** A decision's `policyId` as a name and a link. */
export function policyRef(policyId: string): PolicyRef {
  // user-managed:ARN:vN, aws-managed:ARN:vN (the version the decision read); boundary:ARN; session-managed:<one of these>.
  const managed = /^(?:session-managed:)?(?:user-managed|aws-managed):(arn:.+):(v\d+)$/.exec(policyId);
  if (managed) return { label: `${managed[1]!} (${managed[2]!})`, href: `#/policies/${encodeURIComponent(managed[1]!)}` };
  const boundary = /^boundary:(arn:.+)$/.exec(policyId);
  if (boundary) return { label: `${boundary[1]!} (permissions boundary)`, href: `#/policies/${encodeURIComponent(boundary[1]!)}` };
  // user|group|role:<entity>:<policy>: entity names have no colon, policy names neither.
  const inline = /^(user|group|role):([^:]+):([^:]+)$/.exec(policyId);
  if (inline) {
    const kind = inline[1] as keyof typeof INLINE_PAGES;
    return { label: `inline policy ${inline[3]!} of ${kind} ${inline[2]!}`, href: `#/${INLINE_PAGES[kind]}/${encodeURIComponent(inline[2]!)}` };
  }
  return { label: policyId };
}

/** An encoded authorization message's `statementId` (`POLICYID#SID`, or `POLICYID#INDEX`) split at its last `#`. */
export function splitStatementId(statementId: string): { policyId: string; statement: string } {
  const at = statementId.lastIndexOf('#');
  return at < 0 ? { policyId: statementId, statement: '' } : { policyId: statementId.slice(0, at), statement: statementId.slice(at + 1) };
}
