/**
 * The account's policies in use (inline, customer managed and AWS managed) with who holds each,
 * so statement-level checks report every policy once with the entities it reaches.
 */
import type { Statement } from '@castellan/policy';
import type { EntityRef } from '../types.js';
import type { CheckContext } from './check.js';
import type { SourcedPolicy } from '../principal-policies.js';
import { actionMatches } from '../wildcard.js';

export interface PolicyUse {
  readonly policy: SourcedPolicy;
  readonly holders: EntityRef[];
  /** The policy itself as an entity. */
  readonly ref: EntityRef;
}

/** Every parsed policy attached to a user, group or role. */
export function policyUses(ctx: CheckContext): PolicyUse[] {
  const d = ctx.inputs.authorizationDetails;
  const lib = ctx.library;
  if (!d || !lib) return [];
  const uses = new Map<string, PolicyUse>();
  const add = (p: SourcedPolicy | undefined, holder: EntityRef): void => {
    if (!p) return;
    let u = uses.get(p.id);
    if (!u) {
      u = { policy: p, holders: [], ref: { type: 'policy', name: p.arn ? p.name : p.id, ...(p.arn ? { arn: p.arn } : {}) } };
      uses.set(p.id, u);
    }
    u.holders.push(holder);
  };
  for (const u of d.users) {
    const ref: EntityRef = { type: 'user', name: u.name, arn: u.arn };
    u.inlinePolicies.forEach((doc) => add(lib.inline(`user/${u.name}`, doc, 'inline'), ref));
    u.attachedPolicyArns.forEach((a) => add(lib.managed(a, 'attached'), ref));
  }
  for (const g of d.groups) {
    const ref: EntityRef = { type: 'group', name: g.name, arn: g.arn };
    g.inlinePolicies.forEach((doc) => add(lib.inline(`group/${g.name}`, doc, 'inline'), ref));
    g.attachedPolicyArns.forEach((a) => add(lib.managed(a, 'attached'), ref));
  }
  for (const r of d.roles) {
    const ref: EntityRef = { type: 'role', name: r.name, arn: r.arn };
    r.inlinePolicies.forEach((doc) => add(lib.inline(`role/${r.name}`, doc, 'inline'), ref));
    r.attachedPolicyArns.forEach((a) => add(lib.managed(a, 'attached'), ref));
  }
  return [...uses.values()];
}

/** True when an Allow statement's Action list reaches `action` (NotAction statements are left to their own check). */
export function allowsAction(st: Statement, action: string): boolean {
  return st.effect === 'Allow' && (st.action ?? []).some((a) => actionMatches(a, action));
}

/** True when the statement's Resource list contains `*`. */
export function onAnyResource(st: Statement): boolean {
  return (st.resource ?? []).includes('*');
}

/** The policy's name in messages: its ARN for managed policies, `owner inline:name` otherwise. */
export function policyLabel(p: SourcedPolicy): string {
  return p.arn ?? p.id;
}
