/**
 * What-if before a change: which principals gain or lose which actions on which resources when a
 * managed policy gets a new version, a policy is attached or detached, an inline policy is put or
 * deleted, a permissions boundary is set or removed, or a role's trust policy is replaced.
 * Each affected principal is evaluated with the engine before and after the change, over the
 * catalogue's actions of the services its policies name (when a policy names every service, a
 * fixed list of common services stands in) and the resources its policies name, `*` included.
 */
import { compilePolicy, evaluate, parsePolicy, type CompiledPolicy, type PolicySet, type RequestPrincipal } from '@castellan/policy';
import type { AdvisorCatalog } from '../catalog.js';
import { accountOf, type AuthorizationDetails, type ManagedPolicyDetail, type NamedDocument, type RoleDetail } from '../inputs/authorization-details.js';
import { PolicyLibrary, principalPolicies, type PrincipalPolicies } from '../principal-policies.js';

type Target = { user: string } | { group: string } | { role: string };

/** A proposed change, in the shape of the JSON file `castellan policy diff --change` reads. */
export type PolicyChange =
  | { type: 'policyVersion'; policyArn: string; document: unknown }
  | ({ type: 'attachPolicy'; policyArn: string; document?: unknown } & Target)
  | ({ type: 'detachPolicy'; policyArn: string } & Target)
  | ({ type: 'putInlinePolicy'; policyName: string; document: unknown } & Target)
  | ({ type: 'deleteInlinePolicy'; policyName: string } & Target)
  | ({ type: 'permissionsBoundary'; policyArn: string | null; document?: unknown } & ({ user: string } | { role: string }))
  | { type: 'trustPolicy'; role: string; document: unknown };

export interface AccessChange {
  readonly action: string;
  readonly resource: string;
}

export interface PrincipalDiff {
  /** The principal's ARN; for a trust policy change, who may assume the role. */
  readonly principal: string;
  readonly gained: readonly AccessChange[];
  readonly lost: readonly AccessChange[];
}

export interface WhatIfResult {
  readonly diffs: readonly PrincipalDiff[];
  /** How many requests were evaluated, and whether the bound cut the evaluation short. */
  readonly evaluated: number;
  readonly truncated: boolean;
  readonly warnings: readonly string[];
}

export interface WhatIfOptions {
  catalog?: AdvisorCatalog;
  now: Date;
  /** Upper bound on requests evaluated (before and after count once). Default 200,000. */
  maxEvaluations?: number;
}

/** Services evaluated when a policy grants `*` or uses NotAction. */
export const WIDE_SERVICES = ['iam', 'sts', 's3', 'ec2', 'lambda', 'dynamodb', 'kms', 'cloudtrail', 'logs', 'sqs', 'sns', 'secretsmanager', 'ssm', 'rds', 'organizations'];

/** Checks a change's shape; returns an error message or undefined. */
export function changeProblem(change: unknown): string | undefined {
  if (typeof change !== 'object' || change === null) return 'a change must be a JSON object';
  const c = change as Record<string, unknown>;
  const types = ['policyVersion', 'attachPolicy', 'detachPolicy', 'putInlinePolicy', 'deleteInlinePolicy', 'permissionsBoundary', 'trustPolicy'];
  if (!types.includes(c['type'] as string)) return `\`type\` must be one of ${types.join(', ')}`;
  const target = ['user', 'group', 'role'].filter((k) => typeof c[k] === 'string');
  const needsTarget = ['attachPolicy', 'detachPolicy', 'putInlinePolicy', 'deleteInlinePolicy', 'permissionsBoundary'].includes(c['type'] as string);
  if (needsTarget && target.length !== 1) return `a \`${c['type'] as string}\` change names exactly one of \`user\`, \`group\`, \`role\``;
  if (c['type'] === 'trustPolicy' && typeof c['role'] !== 'string') return 'a `trustPolicy` change names its `role`';
  if (['policyVersion', 'putInlinePolicy', 'trustPolicy'].includes(c['type'] as string) && c['document'] === undefined) return `a \`${c['type'] as string}\` change needs a \`document\``;
  return undefined;
}

const targetOf = (c: Partial<Record<'user' | 'group' | 'role', string>>): ['users' | 'groups' | 'roles', string] =>
  c.user !== undefined ? ['users', c.user] : c.group !== undefined ? ['groups', c.group] : ['roles', c.role!];

/** The account with the changes applied. Unknown targets are reported, not invented. */
export function applyChanges(details: AuthorizationDetails, changes: readonly PolicyChange[], warnings: string[]): AuthorizationDetails {
  let users = [...details.users];
  let groups = [...details.groups];
  let roles = [...details.roles];
  const policies = new Map<string, ManagedPolicyDetail>(details.policies);
  const ensurePolicy = (arn: string, document: unknown): void => {
    if (document !== undefined) {
      const old = policies.get(arn);
      policies.set(arn, { name: old?.name ?? arn.slice(arn.lastIndexOf('/') + 1), arn, document, versionIds: old?.versionIds ?? ['v1'], awsManaged: arn.includes(':iam::aws:policy/') });
    } else if (!policies.has(arn)) warnings.push(`policy \`${arn}\` is not in the export and the change gives no document: it is evaluated as granting nothing`);
  };
  for (const change of changes) {
    if (change.type === 'policyVersion') {
      if (!policies.has(change.policyArn)) warnings.push(`policy \`${change.policyArn}\` is not in the export: its new version affects no one known`);
      ensurePolicy(change.policyArn, change.document);
      continue;
    }
    if (change.type === 'trustPolicy') {
      if (!roles.some((r) => r.name === change.role)) warnings.push(`role \`${change.role}\` is not in the export`);
      roles = roles.map((r) => (r.name === change.role ? { ...r, trustPolicy: change.document } : r));
      continue;
    }
    const [kind, name] = targetOf(change as Partial<Record<'user' | 'group' | 'role', string>>);
    const list = kind === 'users' ? users : kind === 'groups' ? groups : roles;
    if (!list.some((e) => e.name === name)) warnings.push(`${kind.slice(0, -1)} \`${name}\` is not in the export`);
    type Entity = { name: string; attachedPolicyArns: readonly string[]; inlinePolicies: readonly NamedDocument[]; boundaryArn?: string };
    const update = <T extends Entity>(e: T): T => {
      if (e.name !== name) return e;
      switch (change.type) {
        case 'attachPolicy':
          ensurePolicy(change.policyArn, change.document);
          return e.attachedPolicyArns.includes(change.policyArn) ? e : { ...e, attachedPolicyArns: [...e.attachedPolicyArns, change.policyArn] };
        case 'detachPolicy':
          return { ...e, attachedPolicyArns: e.attachedPolicyArns.filter((a) => a !== change.policyArn) };
        case 'putInlinePolicy':
          return { ...e, inlinePolicies: [...e.inlinePolicies.filter((p) => p.name !== change.policyName), { name: change.policyName, document: change.document }] };
        case 'deleteInlinePolicy':
          return { ...e, inlinePolicies: e.inlinePolicies.filter((p) => p.name !== change.policyName) };
        case 'permissionsBoundary': {
          if (change.policyArn === null) {
            const { boundaryArn: _removed, ...rest } = e;
            void _removed;
            return rest as T;
          }
          ensurePolicy(change.policyArn, change.document);
          return { ...e, boundaryArn: change.policyArn };
        }
      }
    };
    if (kind === 'users') users = users.map(update);
    else if (kind === 'groups') groups = groups.map(update);
    else roles = roles.map(update);
  }
  return { ...details, users, groups, roles, policies };
}

/** A principal's policy documents, as a signature to tell whether a change touched it. */
const signature = (p: PrincipalPolicies): string => JSON.stringify([p.identity.map((s) => [s.id, s.document]), p.boundary ? [p.boundary.id, p.boundary.document] : null]);

/** Action patterns of every statement of the principal's policies. */
function actionPatterns(p: PrincipalPolicies): { patterns: string[]; wide: boolean } {
  const patterns: string[] = [];
  let wide = false;
  for (const sp of [...p.identity, ...(p.boundary ? [p.boundary] : [])]) {
    for (const st of sp.policy.statements) {
      if (st.notAction) wide = true;
      for (const a of st.action ?? []) {
        if (a === '*') wide = true;
        else patterns.push(a);
      }
    }
  }
  return { patterns, wide };
}

function resourcesOf(p: PrincipalPolicies): string[] {
  const out = new Set<string>(['*', p.arn]);
  for (const sp of [...p.identity, ...(p.boundary ? [p.boundary] : [])]) for (const st of sp.policy.statements) for (const r of st.resource ?? []) out.add(r);
  return [...out];
}

/** The concrete actions to evaluate for the patterns (catalogue actions of the services named). */
function actionsFor(patterns: readonly string[], wide: boolean, catalog: AdvisorCatalog | undefined): string[] {
  const services = new Set(patterns.map((a) => a.slice(0, a.indexOf(':')).toLowerCase()).filter((s) => s !== ''));
  if (wide) for (const s of WIDE_SERVICES) services.add(s);
  if (!catalog) return [...new Set(patterns.filter((a) => !/[*?]/.test(a)))].sort();
  const out: string[] = [];
  for (const s of [...services].sort()) for (const name of catalog.actionNames(s)) out.push(`${s}:${name}`);
  return out;
}

/** Which (action, resource) pairs the principal is allowed, over the candidates. */
function allowedSet(principal: RequestPrincipal, set: PolicySet, actions: readonly string[], resources: readonly string[], now: Date, catalog: AdvisorCatalog | undefined, budget: { left: number }): Set<string> {
  const allowed = new Set<string>();
  for (const action of actions) {
    const types = catalog?.action(action)?.resourceTypes;
    for (const resource of resources) {
      // An action without resource-level permissions is only ever asked about `*`.
      if (types && types.length === 0 && resource !== '*') continue;
      if (budget.left-- <= 0) return allowed;
      if (evaluate({ principal, action, resource, context: {}, now }, set).effect === 'allow') allowed.add(`${action}\u0000${resource}`);
    }
  }
  return allowed;
}

function diffSets(before: Set<string>, after: Set<string>): { gained: AccessChange[]; lost: AccessChange[] } {
  const split = (k: string): AccessChange => {
    const [action, resource] = k.split('\u0000') as [string, string];
    return { action, resource };
  };
  return { gained: [...after].filter((k) => !before.has(k)).map(split), lost: [...before].filter((k) => !after.has(k)).map(split) };
}

function trustDocument(role: RoleDetail, warnings: string[]): CompiledPolicy | undefined {
  if (role.trustPolicy === undefined) return undefined;
  const r = parsePolicy(role.trustPolicy, { kind: 'trust' });
  if (!r.ok) {
    warnings.push(`trust policy of role \`${role.name}\` could not be read: ${r.diagnostics[0]?.message ?? 'invalid'}`);
    return undefined;
  }
  return compilePolicy(r.policy, { policyId: `${role.arn} trust`, kind: 'resource' });
}

const ALLOW_ALL = (() => {
  const r = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { kind: 'identity' });
  if (!r.ok) throw new Error('unreachable');
  return compilePolicy(r.policy, { policyId: 'external account (assumed to allow)' });
})();

/** Who may call sts:AssumeRole on the role, before and after its trust policy changes. */
function trustDiffs(before: AuthorizationDetails, after: AuthorizationDetails, beforeP: PrincipalPolicies[], afterP: PrincipalPolicies[], now: Date, warnings: string[]): PrincipalDiff[] {
  const out: PrincipalDiff[] = [];
  for (const role of after.roles) {
    const old = before.roles.find((r) => r.name === role.name);
    if (!old || JSON.stringify(old.trustPolicy) === JSON.stringify(role.trustPolicy)) continue;
    const own = accountOf(role.arn) ?? '000000000000';
    const named = new Set<string>();
    for (const doc of [old.trustPolicy, role.trustPolicy]) {
      const r = doc === undefined ? undefined : parsePolicy(doc, { kind: 'trust' });
      if (r?.ok) for (const st of r.policy.statements) for (const a of st.principal?.aws ?? []) named.add(a);
    }
    const candidates: { label: string; principal: RequestPrincipal; identity: (set: PrincipalPolicies[]) => PolicySet }[] = [];
    for (const p of afterP) candidates.push({ label: p.arn, principal: p.principal, identity: (set) => set.find((x) => x.arn === p.arn)?.set ?? { identity: [] } });
    for (const a of named) {
      if (a !== '*' && accountOf(a) === own) continue;
      const account = a === '*' ? '000000000000' : accountOf(a) ?? '000000000000';
      const label = a === '*' ? 'any AWS principal (*)' : a;
      const principal: RequestPrincipal = a === '*' || a.endsWith(':root') ? { arn: `arn:aws:iam::${account}:root`, accountId: account, type: 'Root' } : { arn: a, accountId: account, type: a.includes(':role/') ? 'AssumedRole' : 'IAMUser', ...(a.includes(':role/') ? { roleArn: a } : {}) };
      candidates.push({ label, principal, identity: () => ({ identity: [ALLOW_ALL] }) });
    }
    const beforeTrust = trustDocument(old, warnings);
    const afterTrust = trustDocument(role, warnings);
    for (const c of candidates) {
      const ask = (trust: CompiledPolicy | undefined, set: PrincipalPolicies[]): boolean =>
        evaluate({ principal: c.principal, action: 'sts:AssumeRole', resource: role.arn, context: {}, now }, { ...c.identity(set), resource: trust ? [trust] : [] }).effect === 'allow';
      const was = ask(beforeTrust, beforeP);
      const is = ask(afterTrust, afterP);
      if (was !== is) out.push({ principal: c.label, gained: is ? [{ action: 'sts:AssumeRole', resource: role.arn }] : [], lost: was ? [{ action: 'sts:AssumeRole', resource: role.arn }] : [] });
    }
  }
  return out;
}

/**
 * Evaluates the change. Pure and synchronous; bounded by `maxEvaluations`.
 *
 * @example
 * ```ts
 * const r = whatIf(details, [{ type: 'attachPolicy', user: 'bob', policyArn }], { catalog, now });
 * if (r.diffs.some((d) => d.gained.length > 0)) process.exitCode = 1;
 * ```
 */
export function whatIf(details: AuthorizationDetails, changes: readonly PolicyChange[], options: WhatIfOptions): WhatIfResult {
  const warnings: string[] = [];
  const after = applyChanges(details, changes, warnings);
  const beforeLib = new PolicyLibrary(details);
  const afterLib = new PolicyLibrary(after);
  const beforeP = principalPolicies(details, beforeLib);
  const afterP = principalPolicies(after, afterLib);
  const budget = { left: options.maxEvaluations ?? 200_000 };
  const diffs: PrincipalDiff[] = [];
  for (const a of afterP) {
    const b = beforeP.find((x) => x.arn === a.arn);
    if (!b || signature(a) === signature(b)) continue;
    const pa = actionPatterns(a);
    const pb = actionPatterns(b);
    const actions = actionsFor([...pa.patterns, ...pb.patterns], pa.wide || pb.wide, options.catalog);
    const resources = [...new Set([...resourcesOf(a), ...resourcesOf(b)])];
    const { gained, lost } = diffSets(
      allowedSet(b.principal, b.set, actions, resources, options.now, options.catalog, budget),
      allowedSet(a.principal, a.set, actions, resources, options.now, options.catalog, budget),
    );
    if (gained.length > 0 || lost.length > 0) diffs.push({ principal: a.arn, gained, lost });
  }
  diffs.push(...trustDiffs(details, after, beforeP, afterP, options.now, warnings));
  const start = options.maxEvaluations ?? 200_000;
  return { diffs, evaluated: start - Math.max(0, budget.left), truncated: budget.left < 0, warnings: [...warnings, ...new Set([...beforeLib.warnings, ...afterLib.warnings])] };
}

