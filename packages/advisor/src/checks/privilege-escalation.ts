/**
 * Privilege-escalation paths: what a principal's effective permissions (evaluated with the
 * engine) let it do to gain more. The methods are those published by Rhino Security Labs,
 * "AWS IAM Privilege Escalation – Methods and Mitigation"
 * (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/), limited to
 * what an IAM export can show: requests are evaluated without request context, so a statement
 * whose conditions need a key (MFA, source IP) does not count. The exception is iam:PassRole,
 * decided with the keys the launch itself supplies (`iam:PassedToService`, and for Castellan's
 * workloads `iam:AssociatedResourceArn`), which are known.
 */
import { evaluate, type AuthzRequest } from '@castellan/policy';
import type { AuthorizationDetails, RoleDetail } from '../inputs/authorization-details.js';
import type { PrincipalPolicies } from '../principal-policies.js';
import type { EntityRef, Finding } from '../types.js';
import { withDetails, type Check, type CheckContext } from './check.js';
import { actionMatches } from '../wildcard.js';

/**
 * Services a role can be passed to, with the action that then runs code as the role (on `*`: the
 * resource is created by the call). Castellan's own launcher, castellan:RegisterWorkload, is on
 * an instance profile and is searched apart (see {@link workloadPaths}).
 */
const COMPUTE_LAUNCHERS: readonly { service: string; action: string }[] = [
  { service: 'ec2.amazonaws.com', action: 'ec2:RunInstances' },
  { service: 'lambda.amazonaws.com', action: 'lambda:CreateFunction' },
  { service: 'cloudformation.amazonaws.com', action: 'cloudformation:CreateStack' },
  { service: 'glue.amazonaws.com', action: 'glue:CreateDevEndpoint' },
  { service: 'ecs-tasks.amazonaws.com', action: 'ecs:RunTask' },
];

/** An action nobody grants by name: only `*` (or a NotAction statement) allows it. */
const PROBE_ACTION = 'advisorprobe:AnyAction';

/** One way up, as found. */
export interface EscalationPath {
  readonly method: string;
  readonly target: EntityRef;
}

/** True when the principal is allowed the action on the resource with an empty context (or `context`). */
export function allows(ctx: CheckContext, p: PrincipalPolicies, action: string, resource: string, context: AuthzRequest['context'] = {}): boolean {
  const request: AuthzRequest = { principal: p.principal, action, resource, context, now: ctx.now };
  return evaluate(request, p.set).effect === 'allow';
}

/** The account of an ARN (its fifth field). */
const accountOf = (arn: string): string => arn.split(':')[4] ?? '';

/**
 * The keys Castellan's iam:PassRole carries (server `services/authorization/pass-role.ts`):
 * a role put in an instance profile goes to the account's EC2 instances, one a profile hands to a
 * registered workload to the account's workloads.
 */
const toInstances = (account: string) => ({ 'iam:PassedToService': 'ec2.amazonaws.com', 'iam:AssociatedResourceArn': `arn:aws:ec2:*:${account}:instance/*` });
const toWorkloads = (account: string) => ({ 'iam:PassedToService': 'ec2.amazonaws.com', 'iam:AssociatedResourceArn': `arn:aws:castellan::${account}:workload/*` });

/** True when the principal may do anything (`*` on `*`). */
export function isFullAdmin(ctx: CheckContext, p: PrincipalPolicies): boolean {
  return allows(ctx, p, PROBE_ACTION, '*');
}

function trusts(role: RoleDetail, service: string): boolean {
  const doc = role.trustPolicy as { Statement?: unknown } | undefined;
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  return statements.some((s: unknown) => {
    const st = s as { Effect?: string; Principal?: { Service?: string | string[] } };
    const services = st.Principal?.Service;
    return st.Effect === 'Allow' && (Array.isArray(services) ? services : [services]).includes(service);
  });
}

/** Every action an escalation path needs. */
const ESCALATION_ACTIONS = [
  'iam:AttachUserPolicy', 'iam:PutUserPolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:AttachGroupPolicy', 'iam:PutGroupPolicy',
  'iam:AddUserToGroup', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:CreateAccessKey', 'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole',
];

/**
 * A cheap filter before the engine: only a principal with an Allow statement that can match one
 * of the actions (or an Allow with NotAction) can have a path. Keeps large accounts fast, since
 * the search below is principals × targets.
 */
function mayEscalate(p: PrincipalPolicies): boolean {
  return p.identity.some((sp) => sp.policy.statements.some((st) => st.effect === 'Allow' && (st.notAction !== undefined || (st.action ?? []).some((a) => ESCALATION_ACTIONS.some((x) => actionMatches(a, x))))));
}

/** Every escalation path of one principal. */
export function escalationPaths(ctx: CheckContext, d: AuthorizationDetails, p: PrincipalPolicies): EscalationPath[] {
  const paths: EscalationPath[] = [];
  const self: EntityRef = { type: p.type, name: p.name, arn: p.arn };
  const can = (action: string, resource: string): boolean => allows(ctx, p, action, resource);
  const selfActions = p.type === 'user' ? ['iam:AttachUserPolicy', 'iam:PutUserPolicy'] : ['iam:AttachRolePolicy', 'iam:PutRolePolicy'];
  for (const a of selfActions) if (can(a, p.arn)) paths.push({ method: `${a} on itself`, target: self });

  const user = p.type === 'user' ? d.users.find((u) => u.arn === p.arn) : undefined;
  for (const gName of user?.groups ?? []) {
    const g = d.groups.find((x) => x.name === gName);
    if (!g) continue;
    for (const a of ['iam:AttachGroupPolicy', 'iam:PutGroupPolicy']) if (can(a, g.arn)) paths.push({ method: `${a} on its group`, target: { type: 'group', name: g.name, arn: g.arn } });
  }
  for (const g of d.groups) {
    if (p.type === 'user' && !user?.groups.includes(g.name) && can('iam:AddUserToGroup', g.arn)) paths.push({ method: 'iam:AddUserToGroup (itself to another group)', target: { type: 'group', name: g.name, arn: g.arn } });
  }
  // Customer managed policies that reach it: a new default version is a new grant.
  for (const sp of [...p.identity, ...(p.boundary ? [p.boundary] : [])]) {
    if (!sp.arn || sp.arn.includes(':iam::aws:policy/')) continue;
    if (can('iam:CreatePolicyVersion', sp.arn)) paths.push({ method: 'iam:CreatePolicyVersion on a policy it holds', target: { type: 'policy', name: sp.name, arn: sp.arn } });
    else if ((d.policies.get(sp.arn)?.versionIds.length ?? 0) > 1 && can('iam:SetDefaultPolicyVersion', sp.arn)) paths.push({ method: 'iam:SetDefaultPolicyVersion on a policy it holds', target: { type: 'policy', name: sp.name, arn: sp.arn } });
  }
  for (const u of d.users) {
    if (u.arn === p.arn) continue;
    for (const a of ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile']) if (can(a, u.arn)) paths.push({ method: `${a} on another user`, target: { type: 'user', name: u.name, arn: u.arn } });
  }
  for (const r of d.roles) {
    if (r.arn === p.arn) continue;
    if (can('iam:UpdateAssumeRolePolicy', r.arn)) paths.push({ method: 'iam:UpdateAssumeRolePolicy (trust itself)', target: { type: 'role', name: r.name, arn: r.arn } });
    for (const l of COMPUTE_LAUNCHERS) {
      if (trusts(r, l.service) && can(l.action, '*') && allows(ctx, p, 'iam:PassRole', r.arn, { 'iam:PassedToService': l.service })) paths.push({ method: `iam:PassRole with ${l.action}`, target: { type: 'role', name: r.name, arn: r.arn } });
    }
    if (trusts(r, 'ec2.amazonaws.com')) paths.push(...workloadPaths(ctx, d, p, r));
  }
  return paths;
}

/**
 * A registered workload gets the role of the instance profile it is registered on, so the
 * path needs castellan:RegisterWorkload on that profile's ARN (not on `*`), and iam:PassRole of
 * `role` to the account's workloads: on a profile that holds the role; or on a profile it can
 * empty (iam:RemoveRoleFromInstanceProfile: a profile holds one role) and put the role in
 * (iam:AddRoleToInstanceProfile, which passes the role to the account's instances). The export
 * lists only profiles that hold a role; an empty one, or one the principal could create, is not
 * seen.
 */
function workloadPaths(ctx: CheckContext, d: AuthorizationDetails, p: PrincipalPolicies, role: RoleDetail): EscalationPath[] {
  const target: EntityRef = { type: 'role', name: role.name, arn: role.arn };
  const account = accountOf(role.arn);
  if (!allows(ctx, p, 'iam:PassRole', role.arn, toWorkloads(account))) return [];
  const held = new Set(role.instanceProfiles.map((ip) => ip.arn));
  for (const ip of role.instanceProfiles) {
    if (allows(ctx, p, 'castellan:RegisterWorkload', ip.arn)) return [{ method: `iam:PassRole with castellan:RegisterWorkload on instance profile ${ip.name}`, target }];
  }
  if (!allows(ctx, p, 'iam:PassRole', role.arn, toInstances(account))) return [];
  for (const other of d.roles) {
    for (const ip of other.instanceProfiles) {
      if (held.has(ip.arn) || accountOf(ip.arn) !== account) continue;
      if (['iam:RemoveRoleFromInstanceProfile', 'iam:AddRoleToInstanceProfile', 'castellan:RegisterWorkload'].every((a) => allows(ctx, p, a, ip.arn))) {
        return [{ method: `iam:PassRole with iam:AddRoleToInstanceProfile and castellan:RegisterWorkload on instance profile ${ip.name}`, target }];
      }
    }
  }
  return [];
}

export const privilegeEscalation: Check = {
  id: 'privilege-escalation',
  practice: 2,
  title: 'A principal can escalate its own privileges',
  run(ctx) {
    return withDetails(ctx, (d) => {
      const findings: Finding[] = [];
      for (const p of ctx.principals()) {
        // A full administrator has nothing to escalate to; the admin check reports it.
        if (!mayEscalate(p) || isFullAdmin(ctx, p)) continue;
        const paths = escalationPaths(ctx, d, p);
        if (paths.length === 0) continue;
        const self: EntityRef = { type: p.type, name: p.name, arn: p.arn };
        const targets = new Map(paths.map((x) => [x.target.arn ?? x.target.name, x.target]));
        findings.push({
          checkId: this.id,
          practice: 2,
          severity: 'critical',
          title: this.title,
          entities: [self, ...[...targets.values()].filter((t) => t.arn !== p.arn)],
          why: 'Any permission it lacks today is one API call away, so its policies do not bound what it can do.',
          fix: {
            kind: 'manual',
            description: `Remove these permissions from its policies, or deny them with a permissions boundary: ${[...new Set(paths.map((x) => x.method.split(' ')[0]))].join(', ')}.`,
          },
          details: paths.map((x) => `${x.method}: ${x.target.arn ?? x.target.name}`).join('; '),
          prowler: ['iam_policy_allows_privilege_escalation'],
        });
      }
      return findings;
    });
  },
};
