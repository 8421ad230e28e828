import type { AuthorizationDecision } from '../domain/ports/authorizer.js';

/** The `additionalEventData` member that carries the authorization decision (a Castellan extension). */
export const DECISION_EVENT_DATA_KEY = 'castellan:decision';

/** One statement that decided a call: enough to find it again, never the policy text. */
export interface DecidingStatement {
  /** Castellan's policy id: `user-managed:<arn>:<version>`, `aws-managed:<arn>:<version>`, `<user|role|group>:<name>:<policy>`, `session:<n>`, `boundary:<arn>`. */
  policyId: string;
  policyName?: string;
  /** `identity`, `boundary`, `session`, `resource`, `scp`. */
  policyKind: string;
  /** Zero-based index of the statement in the policy. */
  statementIndex: number;
  sid?: string;
}

/** What the audit record keeps of an authorization decision. */
export interface DecisionRecord {
  effect: 'allow' | 'explicitDeny' | 'implicitDeny';
  action: string;
  resource: string;
  /** The Allow statements that granted, or the Deny statements that refused; empty for an implicit deny. */
  decidedBy: DecidingStatement[];
  /** For a denial: the policy layer that denied (`identity`, `boundary`, `session`, `resource`, `scp`). */
  deniedBy?: string;
  /** Condition keys the deciding policies referenced and the request lacked. */
  missingContextKeys?: string[];
  /** `default`: allowed with no statement allowing it, as an operation allowed unless denied is. */
  allowedBy?: 'default';
}

/** The small, policy-text-free summary of a decision that goes into the audit record. */
export function decisionRecord({ decision, evaluated }: AuthorizationDecision, allowedByDefault = false): DecisionRecord {
  if (allowedByDefault) {
    // Nothing decided but the operation's own rule: no statement to name, no layer that denied.
    return { effect: 'allow', action: evaluated.action, resource: evaluated.resource, decidedBy: [], allowedBy: 'default' };
  }
  return {
    effect: decision.effect,
    action: evaluated.action,
    resource: evaluated.resource,
    decidedBy: decision.decidedBy.map((s) => ({
      policyId: s.policyId,
      ...(s.policyName !== undefined ? { policyName: s.policyName } : {}),
      policyKind: s.policyKind,
      statementIndex: s.statementIndex,
      ...(s.sid ? { sid: s.sid } : {}),
    })),
    ...(decision.reason.kind !== 'allowed' ? { deniedBy: decision.reason.layer } : {}),
    ...(decision.missingContextKeys.length > 0 ? { missingContextKeys: [...decision.missingContextKeys] } : {}),
  };
}

/** The caller's own policy layers: another account's trail is not told which of them decided. */
const CALLER_SIDE_KINDS: ReadonlySet<string> = new Set(['identity', 'boundary', 'session', 'scp']);

/**
 * The decision as the resource owner's trail keeps it for a caller of another account: the effect,
 * and only the statements of the owner's own policy (the role's trust policy), never the caller's.
 */
export function ownersViewOfDecision(record: DecisionRecord): DecisionRecord {
  return { ...record, decidedBy: record.decidedBy.filter((s) => !CALLER_SIDE_KINDS.has(s.policyKind)) };
}
