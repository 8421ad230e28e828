/**
 * A plain reference interpretation of AWS's policy evaluation, written for clarity rather than
 * speed: it walks the parsed AST for every request and builds a RegExp for every wildcard. The
 * property test checks that the compiled evaluator agrees with it. Test-only (not built).
 */
import type { ConditionClause, Policy, PrincipalSpec, Statement } from '../types.js';
import type { ContextScalar, ContextValue } from '../conditions/context-value.js';
import { parseDate, parseNumber } from '../conditions/context-value.js';
import { ipInBlock, parseIpBlock } from '../conditions/ip-cidr.js';
import type { AuthzRequest, PolicyLayer } from './request.js';

/** The policies of each layer, parsed but not compiled. */
export interface ReferencePolicySet {
  identity: Policy[];
  resource?: Policy[];
  boundary?: Policy[];
  session?: Policy[];
  scp?: Policy[];
}

const UNRESOLVED = Symbol('unresolved');
type Piece = { literal: string; wild: boolean } | typeof UNRESOLVED;

function text(v: ContextScalar): string {
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function contextValue(req: AuthzRequest, key: string, resourceAccount: string | undefined): ContextValue | undefined {
  const lower = key.toLowerCase();
  for (const k of Object.keys(req.context)) if (k.toLowerCase() === lower) return req.context[k] ?? undefined; // JSON null: absent
  const p = req.principal;
  if (lower === 'aws:currenttime') return req.now;
  if (lower === 'aws:epochtime') return Math.floor(req.now.getTime() / 1000);
  if (lower === 'aws:principalarn') return p.roleArn ?? p.arn;
  if (lower === 'aws:principalaccount') return p.accountId;
  if (lower === 'aws:principaltype') {
    return ({ Root: 'Account', IAMUser: 'User', AssumedRole: 'AssumedRole', FederatedUser: 'FederatedUser', WebIdentityUser: 'AssumedRole' } as Record<string, string>)[p.type ?? ''];
  }
  if (lower === 'aws:username') return p.type === 'IAMUser' ? p.userName : undefined;
  if (lower === 'aws:userid') return p.id;
  if (lower === 'aws:resourceaccount') return resourceAccount;
  if (lower.startsWith('aws:principaltag/')) {
    const tag = lower.slice('aws:principaltag/'.length);
    for (const [k, v] of Object.entries(p.tags ?? {})) if (k.toLowerCase() === tag) return v;
  }
  return undefined;
}

function isPresent(v: ContextValue | undefined): v is ContextValue {
  return v !== undefined && !(Array.isArray(v) && v.length === 0);
}

/** Splits a value into literal pieces, substituting variables (2012-10-17 only). */
function substitute(value: string, policy: Policy, req: AuthzRequest, ra: string | undefined, variables: boolean): Piece[] {
  if (!variables || policy.version !== '2012-10-17') return [{ literal: value, wild: true }];
  const pieces: Piece[] = [];
  const re = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    pieces.push({ literal: value.slice(last, m.index), wild: true });
    last = m.index + m[0].length;
    const body = m[1]!.trim();
    if (body === '*' || body === '?' || body === '$') {
      pieces.push({ literal: body, wild: false });
      continue;
    }
    const comma = body.indexOf(',');
    const key = (comma < 0 ? body : body.slice(0, comma)).trim();
    const def = comma < 0 ? undefined : body.slice(comma + 1).trim().slice(1, -1).replace(/''/g, "'");
    const v = contextValue(req, key, ra);
    if (v === undefined || Array.isArray(v)) {
      if (def === undefined) return [UNRESOLVED];
      pieces.push({ literal: def, wild: false });
    } else pieces.push({ literal: text(v as ContextScalar), wild: false });
  }
  pieces.push({ literal: value.slice(last), wild: true });
  return pieces;
}

function regexOf(pieces: Piece[]): string {
  return pieces
    .map((p) => {
      if (p === UNRESOLVED) return '';
      const escaped = p.literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      return p.wild ? escaped.replace(/\\\*/g, '.*').replace(/\\\?/g, '.') : escaped;
    })
    .join('');
}

function globMatches(pattern: Piece[], value: string, flags = ''): boolean {
  return new RegExp(`^${regexOf(pattern)}$`, `su${flags}`).test(value);
}

/**
 * ARN matching: each of the first five colon-separated parts on its own, the last part over the
 * rest. With `expand` (Resource elements), a part ending in `*` may also run over colons.
 */
function arnMatches(pattern: Piece[], value: string, expand = false): boolean {
  const parts: Piece[][] = [[]];
  for (const p of pattern) {
    if (p === UNRESOLVED) return false;
    if (!p.wild) {
      parts[parts.length - 1]!.push(p);
      continue;
    }
    const chunks = p.literal.split(':');
    chunks.forEach((chunk, i) => {
      if (i > 0 && parts.length < 6) parts.push([]);
      else if (i > 0) parts[parts.length - 1]!.push({ literal: ':', wild: false });
      parts[parts.length - 1]!.push({ literal: chunk, wild: true });
    });
  }
  // A part that ends in a wildcard `*` (Resource elements): run one RegExp over the whole ARN,
  // where that star may match colons and the other stars of the first parts may not.
  const endsInStar = (part: Piece[]): boolean => {
    const text = part.filter((p) => p !== UNRESOLVED && p.literal !== '');
    const lastPiece = text[text.length - 1];
    return !!lastPiece && lastPiece !== UNRESOLVED && lastPiece.wild && lastPiece.literal.endsWith('*');
  };
  if (expand && parts.slice(0, -1).some(endsInStar)) {
    const partRegex = (part: Piece[], last: boolean): string =>
      part
        .map((p, k) => {
          if (p === UNRESOLVED) return '';
          let out = '';
          for (let c = 0; c < p.literal.length; c++) {
            const ch = p.literal[c]!;
            const finalChar = k === part.length - 1 && c === p.literal.length - 1;
            if (p.wild && ch === '*') out += last || finalChar ? '.*' : '[^:]*';
            else if (p.wild && ch === '?') out += last ? '.' : '[^:]';
            else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
          }
          return out;
        })
        .join('');
    const source = parts.map((part, i) => partRegex(part.filter((p) => p === UNRESOLVED || p.literal !== ''), i === parts.length - 1)).join(':');
    return new RegExp(`^${source}$`, 'su').test(value);
  }
  const valueParts: string[] = [];
  let rest = value;
  while (valueParts.length < 5 && rest.includes(':')) {
    valueParts.push(rest.slice(0, rest.indexOf(':')));
    rest = rest.slice(rest.indexOf(':') + 1);
  }
  valueParts.push(rest);
  const n = parts.length;
  if (valueParts.length < n) return false;
  for (let i = 0; i < n - 1; i++) if (!globMatches(parts[i]!, valueParts[i]!)) return false;
  return globMatches(parts[n - 1]!, valueParts.slice(n - 1).join(':'));
}

function compare(base: string, policyValue: string, pieces: Piece[], v: ContextScalar): boolean {
  const t = text(v);
  const resolved = pieces.map((p) => (p === UNRESOLVED ? '' : p.literal)).join('');
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return t === resolved;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return t.toLowerCase() === resolved.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return globMatches(pieces, t);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return isArn(t) && arnMatches(pieces, t);
    case 'Bool':
      return t.toLowerCase() === resolved.toLowerCase();
    case 'BinaryEquals':
      return t === policyValue;
    case 'IpAddress':
    case 'NotIpAddress': {
      const a = parseIpBlock(t);
      const b = parseIpBlock(policyValue);
      return !!a && !!b && a.prefix === (a.version === 4 ? 32 : 128) && ipInBlock(a, b);
    }
  }
  if (base.startsWith('Numeric')) {
    const a = typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : NaN;
    const b = parseNumber(policyValue);
    if (Number.isNaN(a)) return false;
    return numericCompare(base.slice('Numeric'.length), a, b);
  }
  if (base.startsWith('Date')) {
    const a = v instanceof Date ? v.getTime() : typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDate(v) : NaN;
    const b = parseDate(policyValue);
    if (Number.isNaN(a)) return false;
    return numericCompare(base.slice('Date'.length), a, b);
  }
  throw new Error(`reference: no operator ${base}`);
}

function isArn(t: string): boolean {
  return t.startsWith('arn:') && t.split(':').length >= 6;
}

/** Whether a negated operator can read a request value (a number, a date, an address, an ARN). */
function readable(base: string, v: ContextScalar): boolean {
  const t = text(v);
  if (base === 'NumericNotEquals') return !Number.isNaN(typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : NaN);
  if (base === 'DateNotEquals') return !Number.isNaN(v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? parseDate(v) : NaN);
  if (base === 'NotIpAddress') {
    const a = parseIpBlock(t);
    return !!a && a.prefix === (a.version === 4 ? 32 : 128);
  }
  if (base === 'ArnNotEquals' || base === 'ArnNotLike') return isArn(t);
  return true;
}

function numericCompare(op: string, a: number, b: number): boolean {
  switch (op) {
    case 'Equals':
    case 'NotEquals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    case 'GreaterThanEquals':
      return a >= b;
  }
  throw new Error(`reference: no comparison ${op}`);
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike']);
const VARIABLES = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike', 'Bool', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']);

/**
 * Whether the clause holds. A policy value holding a variable with no value is effectively null:
 * no request value equals it or is like it (a negated operator's "not equal" then holds for it).
 */
function clauseHolds(c: ConditionClause, policy: Policy, req: AuthzRequest, ra: string | undefined, deny: boolean): boolean {
  if (c.values.length === 0) return deny; // undocumented by AWS: grant less
  const v = contextValue(req, c.key, ra);
  if (c.base === 'Null') return c.values.some((x) => (x.toLowerCase() === 'true') === (!isPresent(v) || v === ''));
  const negated = NEGATED.has(c.base);
  const oneMatches = (x: ContextScalar): boolean =>
    c.values.some((pv) => {
      const pieces = substitute(pv, policy, req, ra, VARIABLES.has(c.base));
      return pieces[0] !== UNRESOLVED && compare(c.base, pv, pieces, x);
    });
  let result: boolean;
  if (!isPresent(v)) {
    // Set operators ignore IfExists.
    result = c.qualifier === 'ForAllValues' ? true : c.qualifier === 'ForAnyValue' ? false : c.ifExists || negated;
    return result;
  }
  // An empty string is an empty data set: ForAllValues is true on it, ForAnyValue false.
  if (c.qualifier === 'ForAllValues' && v === '') return true;
  if (c.qualifier === 'ForAnyValue' && v === '') return false;
  const values: ContextScalar[] = Array.isArray(v) ? [...(v as ContextScalar[])] : [v as ContextScalar];
  // A negated operator in an Allow grants nothing on a value it cannot read.
  if (negated && !deny && values.some((x) => !readable(c.base, x))) return false;
  const matches = values.map((x) => oneMatches(x));
  if (c.qualifier === 'ForAllValues') result = matches.every((m) => m !== negated);
  else if (c.qualifier === 'ForAnyValue') result = matches.some((m) => m !== negated);
  else if (Array.isArray(v)) result = deny; // no set operator on a multivalued key: what grants less
  else result = matches.some((m) => m) !== negated;
  return result;
}

function principalStrength(spec: PrincipalSpec, req: AuthzRequest): number {
  const p = req.principal;
  // `*` names a session as its role does: the session policies still limit it.
  const session = p.roleArn !== undefined || p.type === 'AssumedRole' || p.type === 'FederatedUser' || p.type === 'WebIdentityUser';
  if (spec.wildcard) return session ? 2 : 3;
  if (p.type === 'AWSService' && (spec.service.includes('*') || spec.service.includes(p.arn) || (p.id !== undefined && spec.service.includes(p.id)))) return 3;
  if (p.provider !== undefined && spec.federated.includes(p.provider)) return 3;
  if (p.canonicalUserId !== undefined && spec.canonicalUser.includes(p.canonicalUserId)) return 3;
  if (spec.aws.includes(p.arn) || (p.id !== undefined && spec.aws.includes(p.id))) return 3;
  if (spec.aws.includes('*')) return session ? 2 : 3;
  if (p.roleArn !== undefined && spec.aws.includes(p.roleArn)) return 2;
  // The IAM user of a federated user session, as the role of an assumed-role session.
  if (p.federatingUserArn !== undefined && spec.aws.includes(p.federatingUserArn)) return 2;
  const roleId = roleIdOfSession(req);
  if (roleId !== undefined && spec.aws.includes(roleId)) return 2;
  const partition = p.arn.startsWith('arn:') ? p.arn.split(':')[1] || 'aws' : 'aws';
  if (spec.aws.includes(`arn:${partition}:iam::${p.accountId}:root`)) return 1;
  return 0;
}

function notPrincipalExcludes(spec: PrincipalSpec, req: AuthzRequest): boolean {
  const p = req.principal;
  if (spec.wildcard || spec.aws.includes('*')) return true;
  if (p.type === 'AWSService') return spec.service.includes(p.arn) || spec.service.includes('*');
  if (p.provider !== undefined && spec.federated.includes(p.provider)) return true;
  if (p.canonicalUserId !== undefined && spec.canonicalUser.includes(p.canonicalUserId)) return true;
  const partition = p.arn.startsWith('arn:') ? p.arn.split(':')[1] || 'aws' : 'aws';
  const identities = [p.arn, ...(p.roleArn ? [p.roleArn] : []), `arn:${partition}:iam::${p.accountId}:root`];
  const roleId = roleIdOfSession(req);
  return identities.every(
    (id, i) => spec.aws.includes(id) || (i === 0 && p.id !== undefined && spec.aws.includes(p.id)) || (i === 1 && roleId !== undefined && spec.aws.includes(roleId)),
  );
}

/** A role session's id is `ROLEID:SESSION`; IAM stores trust principals by that role id. */
function roleIdOfSession(req: AuthzRequest): string | undefined {
  const p = req.principal;
  if (p.roleArn === undefined || p.id === undefined || !p.id.includes(':')) return undefined;
  return p.id.split(':')[0];
}

/** 0: does not apply; otherwise the principal strength (3 when the statement has no principal). */
function statementApplies(st: Statement, policy: Policy, req: AuthzRequest, ra: string | undefined, hasBoundary: boolean): number {
  const action = req.action;
  const actionMatch = (list: readonly string[]): boolean => list.some((a) => globMatches([{ literal: a, wild: true }], action, 'i'));
  if (st.action && !actionMatch(st.action)) return 0;
  if (st.notAction && actionMatch(st.notAction)) return 0;
  let strength = 3;
  if (st.principal) strength = principalStrength(st.principal, req);
  else if (st.notPrincipal && !(st.effect === 'Deny' && hasBoundary) && notPrincipalExcludes(st.notPrincipal, req)) strength = 0;
  if (strength === 0) return 0;
  const list = st.resource ?? st.notResource;
  if (list) {
    if (list.includes('*')) {
      if (st.notResource) return 0;
    } else {
      const results = list.map((r) => {
        const pieces = substitute(r, policy, req, ra, true);
        return pieces[0] === UNRESOLVED ? UNRESOLVED : arnMatches(pieces, req.resource, true);
      });
      if (st.resource && !results.includes(true)) return 0;
      // An entry whose variable has no value matches no resource: in NotResource it excludes none.
      if (st.notResource && results.includes(true)) return 0;
    }
  }
  let holds = true;
  for (const c of st.conditions) if (!clauseHolds(c, policy, req, ra, st.effect === 'Deny')) holds = false;
  return holds ? strength : 0;
}

/** The decision, by AWS's policy evaluation logic. */
export function referenceEvaluate(req: AuthzRequest, set: ReferencePolicySet): { effect: 'allow' | 'explicitDeny' | 'implicitDeny'; layer?: PolicyLayer } {
  const arnParts = req.resource.startsWith('arn:') ? req.resource.split(':') : [];
  const ra = req.resourceAccount || (arnParts.length >= 6 && arnParts[4] ? arnParts[4] : undefined);
  const sameAccount = ra === undefined || ra === req.principal.accountId;
  const hasBoundary = (set.boundary ?? []).length > 0;
  const layers: PolicyLayer[] = ['scp', 'resource', 'identity', 'boundary', 'session'];
  const allows: Record<string, number> = {};
  const present: Record<string, boolean> = {};
  for (const layer of layers) {
    const policies = layer === 'identity' ? set.identity : set[layer];
    present[layer] = !!policies && policies.length > 0;
    allows[layer] = 0;
    for (const policy of policies ?? []) {
      for (const st of policy.statements) {
        const s = statementApplies(st, policy, req, ra, hasBoundary);
        if (s === 0) continue;
        if (st.effect === 'Deny') return { effect: 'explicitDeny', layer: firstDenyLayer(set, req, ra, hasBoundary) };
        allows[layer] = Math.max(allows[layer]!, s);
      }
    }
  }
  if (present.scp && !allows.scp) return { effect: 'implicitDeny', layer: 'scp' };
  if (req.principal.type === 'AWSService') return allows.resource === 3 ? { effect: 'allow' } : { effect: 'implicitDeny', layer: 'resource' };
  const trust = (set.resource ?? []).some((p) => p.kind === 'trust');
  // A trust policy naming the caller still needs the caller's boundary to allow (IAM User Guide, Update a role trust policy).
  if (sameAccount && allows.resource === 3) return trust && present.boundary && !allows.boundary ? { effect: 'implicitDeny', layer: 'boundary' } : { effect: 'allow' };
  // A role's trust policy must allow by itself, in its own account too.
  const trustMissing = !allows.resource && trust;
  if (req.principal.type === 'Root') {
    if ((sameAccount && !trustMissing) || allows.resource) return { effect: 'allow' };
    return { effect: 'implicitDeny', layer: 'resource' };
  }
  if (!allows.identity && !(sameAccount && allows.resource === 2)) return { effect: 'implicitDeny', layer: 'identity' };
  if (present.boundary && !allows.boundary) return { effect: 'implicitDeny', layer: 'boundary' };
  if (present.session && !allows.session) return { effect: 'implicitDeny', layer: 'session' };
  if ((!sameAccount || trustMissing) && !allows.resource) return { effect: 'implicitDeny', layer: 'resource' };
  return { effect: 'allow' };
}

function firstDenyLayer(set: ReferencePolicySet, req: AuthzRequest, ra: string | undefined, hasBoundary: boolean): PolicyLayer {
  for (const layer of ['scp', 'resource', 'identity', 'boundary', 'session'] as const) {
    const policies = layer === 'identity' ? set.identity : set[layer];
    for (const policy of policies ?? []) {
      for (const st of policy.statements) if (st.effect === 'Deny' && statementApplies(st, policy, req, ra, hasBoundary) > 0) return layer;
    }
  }
  throw new Error('reference: no deny layer');
}
