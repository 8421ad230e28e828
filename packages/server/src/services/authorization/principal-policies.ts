/**
 * The policies that apply to a caller, loaded from the store, or from the hot path's
 * {@link PrincipalPolicyCache} when one is given (a change takes effect on the next call either
 * way: the cache hears every committed change through the ChangeFeed): for an IAM user its inline and attached managed policies, its
 * groups' inline and attached policies, and its permissions boundary; for a role session the role's
 * policies, boundary and the session policies. Also the principal tags (`aws:PrincipalTag/…`).
 *
 * @module
 */
import type { Principal } from '../../domain/context.js';
import type { EntityRef, PolicyAttachmentRow, Tag } from '../../store/store.js';
import { isAwsManagedPolicyArn } from '../iam/aws-managed-policies.js';
import { accountPasswordPolicy } from '../iam/password-policy.js';
import type { PolicyReader } from '../service-deps.js';
import type { PolicySource } from './compiled-policy-cache.js';
import type { Dependent } from '../caching/dependent-cache.js';
import { dependencyToken } from '../caching/change-tokens.js';
import type { PrincipalPolicyCache } from './principal-policy-cache.js';

/** AWS's `SourcePolicyType` of the simulator. */
export type SourcePolicyType = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none';

/** A policy that applies, with where it comes from. */
export interface LoadedPolicy extends PolicySource {
  sourceType: SourcePolicyType;
}

/** Everything authorization needs to know about a caller. */
export interface PrincipalPolicies {
  /** The caller's entity (user or role), when it has one (root has none). */
  entity?: { kind: 'user' | 'role'; id: string; name: string; arn: string };
  identity: LoadedPolicy[];
  /** Undefined when no boundary is set. */
  boundary?: LoadedPolicy[];
  /** Undefined when the session carries none. */
  session?: LoadedPolicy[];
  tags: Record<string, string>;
}

// A boundary whose policy cannot be found allows nothing (fail closed).
const ALLOWS_NOTHING = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"*","Resource":"*"}]}';
const ALLOWS_EVERYTHING = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

/** Loads the documents of managed policy ARNs: customer default versions and AWS-managed ones. */
export async function managedPolicySources({ store, awsManagedPolicies }: PolicyReader, arns: readonly string[], kind: 'identity' | 'boundary' | 'session'): Promise<Map<string, LoadedPolicy>> {
  const out = new Map<string, LoadedPolicy>();
  const customer = arns.filter((a) => !isAwsManagedPolicyArn(a));
  const aws = arns.filter(isAwsManagedPolicyArn);
  if (customer.length > 0) {
    const docs = await store.getDefaultPolicyDocuments([...new Set(customer)]);
    for (const [arn, d] of docs) {
      out.set(arn, { kind, policyId: `user-managed:${arn}:${d.versionId}`, name: arn.slice(arn.lastIndexOf('/') + 1), document: d.document, sourceType: 'user-managed' });
    }
  }
  if (aws.length > 0) {
    for (const arn of aws) {
      const p = awsManagedPolicies.get(arn);
      if (p) out.set(arn, { kind, policyId: `aws-managed:${arn}:${p.defaultVersionId}`, name: p.name, document: p.document, sourceType: 'aws-managed' });
    }
  }
  return out;
}

/** The identity policies of entities (inline and attached), in a stable order; the attached ARNs are added to `attachedArns` when given. */
export async function entityPolicies(reader: PolicyReader, entities: EntityRef[], names: Map<string, string>, attachedArns?: string[]): Promise<LoadedPolicy[]> {
  if (entities.length === 0) return [];
  const { store } = reader;
  const [inline, attached] = await Promise.all([store.listAllInlinePolicies(entities), store.listAllAttachedPolicies(entities)]);
  const out: LoadedPolicy[] = [];
  for (const p of inline) {
    out.push({
      kind: 'identity',
      policyId: `${p.entity.kind}:${names.get(p.entity.id) ?? p.entity.id}:${p.name}`,
      name: p.name,
      document: p.document,
      sourceType: p.entity.kind,
    });
  }
  const arns = [...new Set(attached.map((a: PolicyAttachmentRow) => a.policyArn))];
  attachedArns?.push(...arns);
  const docs = await managedPolicySources(reader, arns, 'identity');
  for (const arn of arns) {
    const d = docs.get(arn);
    if (d) out.push(d);
  }
  return out;
}

async function boundaryPolicies(reader: PolicyReader, arn: string | undefined): Promise<LoadedPolicy[] | undefined> {
  if (!arn) return undefined;
  const found = (await managedPolicySources(reader, [arn], 'boundary')).get(arn);
  return [found ?? { kind: 'boundary', policyId: `boundary:${arn}`, name: arn.slice(arn.lastIndexOf('/') + 1), document: ALLOWS_NOTHING, sourceType: 'none' }];
}

function tagMap(tags: Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) out[t.key] = t.value;
  return out;
}

/** The policies of an IAM user: its own and its groups', and its boundary. Undefined if the user is gone. */
export async function loadUserPolicies(reader: PolicyReader, userId: string): Promise<PrincipalPolicies | undefined> {
  return (await userPoliciesWithDependencies(reader, userId))?.value;
}

/** {@link loadUserPolicies}, and what a cached copy depends on: the user, its groups, its policies and boundary, the account. */
export async function userPoliciesWithDependencies(reader: PolicyReader, userId: string): Promise<Dependent<PrincipalPolicies> | undefined> {
  const { store } = reader;
  const user = await store.getUserById(userId);
  if (!user) return undefined;
  const groups = await store.listAllGroupsForUser(user.id);
  const names = new Map<string, string>([[user.id, user.name], ...groups.map((g): [string, string] => [g.id, g.name])]);
  const entities: EntityRef[] = [{ kind: 'user', id: user.id }, ...groups.map((g): EntityRef => ({ kind: 'group', id: g.id }))];
  const policyArns: string[] = [];
  const [identity, boundary, tags, passwordPolicy] = await Promise.all([
    entityPolicies(reader, entities, names, policyArns),
    boundaryPolicies(reader, user.permissionsBoundaryArn),
    store.listTags({ kind: 'user', id: user.id }, { maxItems: 1000 }),
    accountPasswordPolicy(store, user.accountId),
  ]);
  if (passwordPolicy?.allowUsersToChangePassword) identity.push(ownPasswordPolicy(user.arn));
  const dependsOn = [
    dependencyToken.account(user.accountId),
    dependencyToken.principal(user.arn),
    ...groups.map((g) => dependencyToken.principal(g.arn)),
    ...[...policyArns, ...(user.permissionsBoundaryArn ? [user.permissionsBoundaryArn] : [])].map(dependencyToken.policy),
  ];
  return {
    value: { entity: { kind: 'user', id: user.id, name: user.name, arn: user.arn }, identity, ...(boundary ? { boundary } : {}), tags: tagMap(tags.items) },
    dependsOn,
  };
}

/**
 * What `AllowUsersToChangePassword` grants every IAM user of the account, as AWS does without a
 * policy of the account's own: changing their own password and reading the password policy. As an
 * identity policy, it still yields to an explicit Deny and to a permissions boundary.
 */
function ownPasswordPolicy(userArn: string): LoadedPolicy {
  const document = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: userArn },
      { Effect: 'Allow', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' },
    ],
  });
  return { kind: 'identity', policyId: 'account-password-policy:AllowUsersToChangePassword', name: 'AllowUsersToChangePassword', document, sourceType: 'none' };
}

/** The policies of a role: its own and its boundary. Undefined if the role is gone. */
export async function loadRolePolicies(reader: PolicyReader, roleId: string): Promise<PrincipalPolicies | undefined> {
  return (await rolePoliciesWithDependencies(reader, roleId))?.value;
}

/** {@link loadRolePolicies}, and what a cached copy depends on: the role, its policies and boundary, the account. */
export async function rolePoliciesWithDependencies(reader: PolicyReader, roleId: string): Promise<Dependent<PrincipalPolicies> | undefined> {
  const { store } = reader;
  const role = await store.getRoleById(roleId);
  if (!role) return undefined;
  const policyArns: string[] = [];
  const [identity, boundary, tags] = await Promise.all([
    entityPolicies(reader, [{ kind: 'role', id: role.id }], new Map([[role.id, role.name]]), policyArns),
    boundaryPolicies(reader, role.permissionsBoundaryArn),
    store.listTags({ kind: 'role', id: role.id }, { maxItems: 1000 }),
  ]);
  const dependsOn = [
    dependencyToken.account(role.accountId),
    dependencyToken.principal(role.arn),
    ...[...policyArns, ...(role.permissionsBoundaryArn ? [role.permissionsBoundaryArn] : [])].map(dependencyToken.policy),
  ];
  return {
    value: { entity: { kind: 'role', id: role.id, name: role.name, arn: role.arn }, identity, ...(boundary ? { boundary } : {}), tags: tagMap(tags.items) },
    dependsOn,
  };
}

/**
 * The policies of any caller. Root has none (the engine allows it in its own account). Sessions
 * (STS) add their session policies and session tags to their issuer's.
 */
export async function loadPrincipalPolicies(reader: PolicyReader, principal: Principal, cache?: PrincipalPolicyCache): Promise<PrincipalPolicies | undefined> {
  let base: PrincipalPolicies | undefined;
  const user = (id: string) => (cache ? cache.user(reader, id) : loadUserPolicies(reader, id));
  const role = (id: string) => (cache ? cache.role(reader, id) : loadRolePolicies(reader, id));
  const session = principal.session;
  if (principal.type === 'FederatedUser' && session?.issuerType === 'Root') {
    // A federated user of the root: the session policies alone limit the root's "everything".
    base = { identity: [{ kind: 'identity', policyId: 'federation:root', name: 'RootUser', document: ALLOWS_EVERYTHING, sourceType: 'none' }], tags: {} };
  } else if (principal.type === 'Root' || session?.issuerType === 'Root') base = { identity: [], tags: {} };
  // A service principal (EC2 for a workload's instance role) has no identity policies: the
  // resource's own policy (the role's trust policy) decides alone.
  else if (principal.type === 'AWSService') base = { identity: [], tags: {} };
  // An identity provider's user (AssumeRoleWithWebIdentity/SAML) has no policies of its own: only
  // the role's trust policy, as the resource's policy, can let it in.
  else if (principal.federation) base = { identity: [], tags: {} };
  else if (principal.type === 'IAMUser') base = await user(principal.principalId);
  else if (session?.issuerType === 'IAMUser') base = await user(session.issuerPrincipalId);
  else if (session?.issuerType === 'Role') base = await role(session.issuerPrincipalId);
  if (!base) return undefined;
  // A cached base is shared by every request of the principal: what follows works on a copy.
  if (!session) return base;
  base = { ...base };
  const sessionPolicies: LoadedPolicy[] = (session?.policies ?? []).map((document, i) => ({ kind: 'session', policyId: `session:${i + 1}`, name: `SessionPolicy${i + 1}`, document, sourceType: 'none' }));
  if (session?.policyArns && session.policyArns.length > 0) {
    const managed = cache ? await cache.managed(reader, session.policyArns, 'session') : await managedPolicySources(reader, session.policyArns, 'session');
    for (const arn of session.policyArns) {
      const found = managed.get(arn);
      if (found) sessionPolicies.push({ ...found, policyId: `session-managed:${found.policyId}` });
    }
  }
  // Session policies that were asked for but are all gone, and a federated user given none,
  // allow nothing (AWS: a federation token without policies has no permissions).
  const wantsSession = (session?.policies?.length ?? 0) + (session?.policyArns?.length ?? 0) > 0 || principal.type === 'FederatedUser';
  if (wantsSession) {
    base.session = sessionPolicies.length > 0 ? sessionPolicies : [{ kind: 'session', policyId: 'session:none', name: 'NoSessionPolicy', document: ALLOWS_NOTHING, sourceType: 'none' }];
  }
  if (session?.tags) base.tags = withSessionTags(base.tags, session.tags);
  return base;
}

/**
 * The current ARN of the IAM user who federated `p` (GetFederationToken), from the user its
 * policies were loaded from (by principal id): the token's issuer ARN is the name at issue time,
 * and after a rename (and a new user of the old name) a policy naming that ARN names someone else.
 */
export function federatingUserArnOf(p: Principal, loaded: PrincipalPolicies | undefined): string | undefined {
  if (p.type !== 'FederatedUser' || p.session?.issuerType !== 'IAMUser') return undefined;
  const entity = loaded?.entity;
  return entity?.kind === 'user' && entity.id === p.session.issuerPrincipalId ? entity.arn : undefined;
}

/**
 * The issuer's tags with the session's over them. A session tag replaces the issuer's tag of the
 * same key in any case: STS tag keys are case-insensitive, and a session tag "overrides the role tag
 * with the same key" (IAM User Guide, Passing session tags in AWS STS). Kept apart, both would be
 * `aws:PrincipalTag/<key>` and the role's could win.
 */
function withSessionTags(issuer: Record<string, string>, session: Record<string, string>): Record<string, string> {
  const replaced = new Set(Object.keys(session).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(issuer)) if (!replaced.has(k.toLowerCase())) out[k] = v;
  return Object.assign(out, session);
}
