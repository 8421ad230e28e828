/**
 * The policies that apply to each user and role of an exported account, compiled for the
 * engine: inline, attached, through groups, and the permissions boundary.
 */
import { compilePolicy, parsePolicy, type CompiledPolicy, type Policy, type PolicyKind, type PolicySet, type RequestPrincipal } from '@castellan/policy';
import type { AuthorizationDetails, NamedDocument } from './inputs/authorization-details.js';

/** A policy document of the account, parsed, with where it comes from. */
export interface SourcedPolicy {
  /** `user/alice inline:deploy`, `arn:aws:iam::123456789012:policy/Admin`. */
  readonly id: string;
  readonly name: string;
  readonly arn?: string;
  /** The document as the export gives it (JSON value). */
  readonly document: unknown;
  readonly policy: Policy;
  readonly compiled: CompiledPolicy;
  /** How the principal gets it: directly, or through a group. */
  readonly via: 'inline' | 'attached' | { readonly group: string };
}

/** A user or role with its policies. */
export interface PrincipalPolicies {
  readonly type: 'user' | 'role';
  readonly name: string;
  readonly arn: string;
  readonly principal: RequestPrincipal;
  readonly identity: readonly SourcedPolicy[];
  readonly boundary?: SourcedPolicy;
  readonly set: PolicySet;
}

/** Parses and compiles documents, remembering those that could not be read. */
export class PolicyLibrary {
  private readonly cache = new Map<string, { policy: Policy; compiled: CompiledPolicy } | null>();
  readonly warnings: string[] = [];

  constructor(private readonly details: AuthorizationDetails) {}

  /** Parses a document; undefined (with a warning) when it is missing or invalid. */
  parse(id: string, name: string, document: unknown, kind: PolicyKind = 'identity'): { policy: Policy; compiled: CompiledPolicy } | undefined {
    const key = `${kind}\u0000${id}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? undefined;
    let entry: { policy: Policy; compiled: CompiledPolicy } | null = null;
    if (document === undefined) this.warnings.push(`policy \`${id}\` has no document in the export; it was left out`);
    else {
      const r = parsePolicy(document, { kind, checks: 'evaluation' });
      if (r.ok) entry = { policy: r.policy, compiled: compilePolicy(r.policy, { policyId: id, name, kind }) };
      else this.warnings.push(`policy \`${id}\` could not be read: ${r.diagnostics[0]?.message ?? 'invalid'}`);
    }
    this.cache.set(key, entry);
    return entry ?? undefined;
  }

  /** A managed policy by ARN. */
  managed(arn: string, via: SourcedPolicy['via']): SourcedPolicy | undefined {
    const p = this.details.policies.get(arn);
    const parsed = this.parse(arn, p?.name ?? arn, p?.document);
    return parsed && { id: arn, name: p?.name ?? arn, arn, document: p?.document, ...parsed, via };
  }

  inline(owner: string, doc: NamedDocument, via: SourcedPolicy['via']): SourcedPolicy | undefined {
    const id = `${owner} inline:${doc.name}`;
    const parsed = this.parse(id, doc.name, doc.document);
    return parsed && { id, name: doc.name, document: doc.document, ...parsed, via };
  }
}

const defined = <T>(v: T | undefined): v is T => v !== undefined;

/** The users and roles of the account with their compiled policies. */
export function principalPolicies(details: AuthorizationDetails, library: PolicyLibrary): PrincipalPolicies[] {
  const accountId = details.accountId ?? '000000000000';
  const groups = new Map(details.groups.map((g) => [g.name, g]));
  const out: PrincipalPolicies[] = [];
  for (const u of details.users) {
    const identity = [
      ...u.inlinePolicies.map((d) => library.inline(`user/${u.name}`, d, 'inline')),
      ...u.attachedPolicyArns.map((a) => library.managed(a, 'attached')),
      ...u.groups.flatMap((gn) => {
        const g = groups.get(gn);
        if (!g) return [];
        return [...g.inlinePolicies.map((d) => library.inline(`group/${g.name}`, d, { group: g.name })), ...g.attachedPolicyArns.map((a) => library.managed(a, { group: g.name }))];
      }),
    ].filter(defined);
    const boundary = u.boundaryArn ? library.managed(u.boundaryArn, 'attached') : undefined;
    out.push({
      type: 'user',
      name: u.name,
      arn: u.arn,
      principal: { arn: u.arn, accountId, type: 'IAMUser', userName: u.name },
      identity,
      ...(boundary ? { boundary } : {}),
      set: { identity: identity.map((p) => p.compiled), ...(boundary ? { boundary: [boundary.compiled] } : {}) },
    });
  }
  for (const r of details.roles) {
    const identity = [...r.inlinePolicies.map((d) => library.inline(`role/${r.name}`, d, 'inline')), ...r.attachedPolicyArns.map((a) => library.managed(a, 'attached'))].filter(defined);
    const boundary = r.boundaryArn ? library.managed(r.boundaryArn, 'attached') : undefined;
    out.push({
      type: 'role',
      name: r.name,
      arn: r.arn,
      principal: { arn: `arn:aws:sts::${accountId}:assumed-role/${r.name}/advisor`, accountId, type: 'AssumedRole', roleArn: r.arn },
      identity,
      ...(boundary ? { boundary } : {}),
      set: { identity: identity.map((p) => p.compiled), ...(boundary ? { boundary: [boundary.compiled] } : {}) },
    });
  }
  return out;
}
