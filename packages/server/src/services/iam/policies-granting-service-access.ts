/**
 * ListPoliciesGrantingServiceAccess: for an IAM user, group or role, the permissions policies that
 * grant access to each of the services named, as AWS defines them:
 * - a user: its own managed and inline policies and those of its groups;
 * - a group or a role: its own only;
 * - never a permissions boundary, a resource-based policy or a session policy.
 *
 * A policy grants a service when one of its Allow statements names (or, with NotAction, leaves
 * out) one of the service's actions in AWS's catalogue; Resource, Condition and Deny statements do
 * not count (`statementsGrantingService` of the policy package). Every entry is answered in one
 * page: no identity has so many policies that a page would need cutting.
 *
 * @module
 */
import { parsePolicy, statementsGrantingService, type Policy } from '@castellan/policy';
import type { RequestContext } from '../../domain/context.js';
import { InvalidInputError, NoSuchEntityError } from '../../domain/errors.js';
import type { EntityRef } from '../../store/store.js';
import { managedPolicySources } from '../authorization/principal-policies.js';
import type { ServiceDeps } from '../service-deps.js';

/** One policy that grants a service: managed (with its ARN) or inline (with its owner). */
export type PolicyGrantingServiceAccess =
  | { policyType: 'MANAGED'; policyName: string; policyArn: string }
  | { policyType: 'INLINE'; policyName: string; entityType: 'USER' | 'GROUP' | 'ROLE'; entityName: string };

/** One requested service and the policies that grant it (possibly none). */
export interface ServiceAccessEntry {
  serviceNamespace: string;
  policies: PolicyGrantingServiceAccess[];
}

/** A policy of the identity, parsed once for every namespace asked about. */
interface CandidatePolicy {
  grant: PolicyGrantingServiceAccess;
  policy: Policy | undefined;
}

const IDENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)((?:\/[^/]+)*)?\/([^/]+)$/;
const ENTITY_TYPE = { user: 'USER', group: 'GROUP', role: 'ROLE' } as const;

/** ListPoliciesGrantingServiceAccess: an entry per namespace asked about, in the order asked. */
export async function listPoliciesGrantingServiceAccess(
  deps: ServiceDeps,
  input: { arn: string; serviceNamespaces: readonly string[]; marker?: string | undefined },
  ctx: RequestContext,
): Promise<ServiceAccessEntry[]> {
  // Castellan answers every entry in one page, so it never hands out a marker to come back with.
  if (input.marker !== undefined) throw new InvalidInputError('Invalid Marker.');
  const namespaces = [...new Set(input.serviceNamespaces.map((n) => n.toLowerCase()))];
  const unknown = namespaces.find((n) => !deps.catalog.hasService(n));
  if (unknown !== undefined) throw new InvalidInputError(`The service namespace ${unknown} is not valid.`);
  const candidates = await policiesOf(deps, input.arn, ctx.caller.accountId);
  return namespaces.map((serviceNamespace) => {
    const actionNames = deps.catalog.actionNames(serviceNamespace);
    const policies = candidates.filter((c) => c.policy && statementsGrantingService(c.policy, serviceNamespace, actionNames).length > 0).map((c) => c.grant);
    return { serviceNamespace, policies };
  });
}

/** The managed policies (by name), then the inline ones (the identity's own, then its groups'), of the identity `arn` names. */
async function policiesOf(deps: ServiceDeps, arn: string, accountId: string): Promise<CandidatePolicy[]> {
  const match = IDENTITY_ARN.exec(arn);
  if (!match) throw new InvalidInputError(`ARN ${arn} is not valid: it must name an IAM user, group or role.`);
  const [, account, kind, , name] = match as unknown as [string, string, 'user' | 'group' | 'role', string | undefined, string];
  const notFound = () => new NoSuchEntityError(`The ${kind} with name ${name} cannot be found.`);
  if (account !== accountId) throw notFound();
  const { store } = deps;
  const found = kind === 'user' ? await store.getUserByName(accountId, name) : kind === 'group' ? await store.getGroupByName(accountId, name) : await store.getRoleByName(accountId, name);
  // The name is looked up case-insensitively; the ARN (path and spelling) must be the entity's own.
  if (!found || found.arn !== arn) throw notFound();

  const owners: Array<EntityRef & { name: string }> = [{ kind, id: found.id, name: found.name }];
  if (kind === 'user') owners.push(...(await store.listAllGroupsForUser(found.id)).map((g) => ({ kind: 'group' as const, id: g.id, name: g.name })));
  const refs = owners.map(({ kind: k, id }) => ({ kind: k, id }));
  const [inline, attached] = await Promise.all([store.listAllInlinePolicies(refs), store.listAllAttachedPolicies(refs)]);

  const arns = [...new Set(attached.map((a) => a.policyArn))];
  const documents = await managedPolicySources(deps, arns, 'identity');
  const managed = arns
    .flatMap((policyArn) => {
      const source = documents.get(policyArn);
      return source ? [{ name: source.name, policyArn, document: source.document }] : [];
    })
    .sort((a, b) => compare(a.name, b.name) || compare(a.policyArn, b.policyArn))
    .map((p): CandidatePolicy => ({ grant: { policyType: 'MANAGED', policyName: p.name, policyArn: p.policyArn }, policy: parsed(p.document) }));

  const ownerRank = new Map(owners.map((o, i) => [o.id, i]));
  const ownerName = new Map(owners.map((o) => [o.id, o.name]));
  const inlinePolicies = [...inline]
    .sort((a, b) => ownerRank.get(a.entity.id)! - ownerRank.get(b.entity.id)! || compare(a.name, b.name))
    .map((p): CandidatePolicy => ({
      grant: { policyType: 'INLINE', policyName: p.name, entityType: ENTITY_TYPE[p.entity.kind], entityName: ownerName.get(p.entity.id)! },
      policy: parsed(p.document),
    }));
  return [...managed, ...inlinePolicies];
}

/** A stored document that no longer parses (written before a stricter engine) grants nothing. */
function parsed(document: string): Policy | undefined {
  const result = parsePolicy(document, { kind: 'identity', checks: 'evaluation' });
  return result.ok ? result.policy : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
