/**
 * A policy linter in the spirit of AWS IAM Access Analyzer's ValidatePolicy: findings of type
 * ERROR, SECURITY_WARNING, WARNING or SUGGESTION, each located in the document (path, and the
 * line/column from @castellan/policy's JSON reader). Checks beyond the grammar: unknown
 * services, actions and condition keys; operators that do not fit the key's type; resources an
 * action does not support; redundant statements; overly broad wildcards; sensitive actions
 * without the condition that limits them.
 */
import { parsePolicy, readJson, type JsonNode, type PolicyKind, type SourceSpan, type ConditionClause } from '@castellan/policy';
import type { AdvisorCatalog } from '../catalog.js';
import { actionMatches, wildcardRegExp } from '../wildcard.js';

export type LintFindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface LintFinding {
  readonly findingType: LintFindingType;
  /** Access Analyzer-style issue code (`UNKNOWN_ACTION`). */
  readonly issueCode: string;
  readonly message: string;
  /** `Statement[0].Action[1]`; empty for the whole document. */
  readonly path: string;
  readonly span?: SourceSpan;
}

export interface LintOptions {
  kind?: PolicyKind;
  /** Without it, only the checks that need no catalogue run. */
  catalog?: AdvisorCatalog;
}

type Segment = string | number;

/** The node at a path (`['Statement', 0, 'Action', 1]`), tolerant of single values where AWS allows them. */
function nodeAt(root: JsonNode, path: readonly Segment[]): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') {
      if (node.kind === 'array') node = node.items[seg];
      else if (seg !== 0) return undefined; // a single value stands for a one-element list
    } else if (node.kind === 'object') node = node.entries.find((e) => e.key === seg)?.value;
    else return undefined;
  }
  return node;
}

/** The path as the document spells it: an index only where the document has an array (as the policy parser writes paths). */
function pathText(root: JsonNode | undefined, path: readonly Segment[]): string {
  let node: JsonNode | undefined = root;
  let text = '';
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (node?.kind === 'array') {
        text += `[${seg}]`;
        node = node.items[seg];
      }
    } else {
      text = text ? `${text}.${seg}` : seg;
      node = node?.kind === 'object' ? node.entries.find((e) => e.key === seg)?.value : undefined;
    }
  }
  return text;
}

/** Operator families each key type accepts. `Null` fits every key. */
function operatorFits(base: string, keyType: string): boolean {
  const type = keyType.replace(/^ArrayOf/, '').toLowerCase();
  if (base === 'Null') return true;
  const family = base.startsWith('String') ? 'string' : base.startsWith('Numeric') ? 'numeric' : base.startsWith('Date') ? 'date' : base.startsWith('Arn') ? 'arn' : base === 'Bool' ? 'bool' : base === 'BinaryEquals' ? 'binary' : 'ip';
  const accepted: Record<string, string[]> = {
    string: ['string'],
    arn: ['arn', 'string'],
    numeric: ['numeric'],
    long: ['numeric'],
    integer: ['numeric'],
    date: ['date'],
    bool: ['bool'],
    boolean: ['bool'],
    ipaddress: ['ip'],
    binary: ['binary'],
  };
  return (accepted[type] ?? [family]).includes(family);
}

/** Sensitive actions and the condition key that should limit them. */
const SENSITIVE: readonly { action: string; key: string }[] = [
  { action: 'iam:PassRole', key: 'iam:PassedToService' },
  { action: 'iam:CreateServiceLinkedRole', key: 'iam:AWSServiceName' },
];

/** True when the ARN pattern of a resource type can match the policy's resource text. */
function resourceFitsType(resource: string, arnPattern: string): boolean {
  const source = arnPattern
    .split(/\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${source}$`, 's').test(resource);
}

/** `a` covers `b` when every value `b` names is matched by a pattern of `a`. */
const covers = (a: readonly string[], b: readonly string[], ignoreCase: boolean): boolean => b.every((x) => a.some((p) => p === '*' || wildcardRegExp(p, ignoreCase).test(x)));

const sameConditions = (a: readonly ConditionClause[], b: readonly ConditionClause[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Lints a policy document given as text (positions need the text).
 *
 * @example
 * ```ts
 * lintPolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}}', { catalog });
 * // [{ findingType: 'SECURITY_WARNING', issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', path: 'Statement[0].Resource', … }, …]
 * ```
 */
export function lintPolicy(text: string, options: LintOptions = {}): LintFinding[] {
  const kind = options.kind ?? 'identity';
  const catalog = options.catalog;
  const out: LintFinding[] = [];
  const read = readJson(text);
  const root = read.ok ? read.node : undefined;
  const add = (findingType: LintFindingType, issueCode: string, message: string, path: readonly Segment[]): void => {
    const span = root ? nodeAt(root, path)?.span : undefined;
    out.push({ findingType, issueCode, message, path: pathText(root, path), ...(span ? { span } : {}) });
  };

  const parsed = parsePolicy(text, { kind, ...(catalog ? { catalog } : {}) });
  const diagnostics = parsed.ok ? parsed.warnings : parsed.diagnostics;
  for (const d of diagnostics) {
    const type: LintFindingType =
      d.severity === 'error' || d.code === 'UnknownService' || d.code === 'UnknownAction' || (d.code === 'UnknownConditionKey' && /`aws:/i.test(d.message)) ? 'ERROR' : 'WARNING';
    const code = d.severity === 'error' ? 'MALFORMED_POLICY' : d.code.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
    out.push({ findingType: type, issueCode: code, message: d.message, path: d.path, ...(d.position ? { span: { start: d.position, end: d.position } } : {}) });
  }
  if (!parsed.ok) return out;

  const statements = parsed.policy.statements;
  for (const st of statements) {
    const at = (...rest: Segment[]): Segment[] => ['Statement', st.index, ...rest];
    const actions = st.action ?? [];
    const allow = st.effect === 'Allow';

    // Overly broad grants.
    if (allow) {
      actions.forEach((a, i) => {
        if (a === '*') add('SECURITY_WARNING', 'FULL_ACCESS', 'the statement allows every action of every service', at('Action', i));
        else if (a.toLowerCase() === 'iam:*') add('SECURITY_WARNING', 'FULL_IAM_ACCESS', '`iam:*` lets the holder grant itself any permission', at('Action', i));
        else if (/^[^:]+:\*$/.test(a) && (st.resource ?? []).includes('*')) add('WARNING', 'SERVICE_WILDCARD_ON_ALL_RESOURCES', `\`${a}\` on \`*\` allows every action of the service on every resource, including those added later`, at('Action', i));
      });
      if (st.notAction) add('SECURITY_WARNING', 'ALLOW_WITH_NOT_ACTION', '`NotAction` with `Allow` grants every action not listed, including actions AWS adds later', at('NotAction'));
      if (st.notResource) add('WARNING', 'ALLOW_WITH_NOT_RESOURCE', '`NotResource` with `Allow` grants every resource not listed, including resources created later', at('NotResource'));
      if (st.principal && (st.principal.wildcard || st.principal.aws.includes('*')) && st.conditions.length === 0) add('SECURITY_WARNING', 'PUBLIC_PRINCIPAL', 'the statement allows every AWS principal, with no condition', at('Principal'));
    }

    // Duplicated actions within the statement.
    const seen = new Map<string, number>();
    actions.forEach((a, i) => {
      const key = a.toLowerCase();
      if (seen.has(key)) add('SUGGESTION', 'REDUNDANT_ACTION', `\`${a}\` is listed twice`, at('Action', i));
      else if (actions.some((b, j) => j !== i && b !== a && b.includes('*') && actionMatches(b, a) && !(a.includes('*') && actionMatches(a, b)))) add('SUGGESTION', 'REDUNDANT_ACTION', `\`${a}\` is already matched by another action of the statement`, at('Action', i));
      seen.set(key, i);
    });

    // Sensitive actions without their limiting condition.
    if (allow) {
      for (const s of SENSITIVE) {
        const i = actions.findIndex((a) => a !== '*' && a.toLowerCase() !== 'iam:*' && actionMatches(a, s.action));
        if (i < 0) continue;
        if ((st.resource ?? []).includes('*') && s.action === 'iam:PassRole') add('SECURITY_WARNING', 'PASS_ROLE_WITH_STAR_IN_RESOURCE', '`iam:PassRole` on `*` lets the holder pass any role, including administrator roles', at('Resource'));
        if (!st.conditions.some((c) => c.key.toLowerCase() === s.key.toLowerCase())) add('SECURITY_WARNING', 'MISSING_SENSITIVE_CONDITION', `\`${s.action}\` should be limited with a \`${s.key}\` condition`, at('Action', i));
      }
    }

    // Conditions against the catalogue's key types.
    if (catalog) {
      st.conditions.forEach((c) => {
        const type = catalog.conditionKeyType(c.key);
        if (!type) return;
        const where = at('Condition', c.operator, c.key);
        if (!operatorFits(c.base, type)) add('ERROR', 'MISMATCHED_TYPE', `\`${c.operator}\` does not fit \`${c.key}\`, whose type is ${type}`, where);
        const multi = type.startsWith('ArrayOf');
        if (c.qualifier && !multi) add('WARNING', 'SET_OPERATOR_ON_SINGLE_VALUED_KEY', `\`${c.qualifier}\` is for multivalued keys; \`${c.key}\` has one value${c.qualifier === 'ForAllValues' && allow ? ', and ForAllValues is true when the key is absent' : ''}`, where);
        if (!c.qualifier && multi && c.base !== 'Null') add('WARNING', 'MULTIVALUED_KEY_WITHOUT_SET_OPERATOR', `\`${c.key}\` is multivalued: use \`ForAnyValue:\` or \`ForAllValues:\``, where);
      });

      // Resources the actions do not support.
      const resources = st.resource;
      if (resources && !resources.includes('*')) {
        actions.forEach((a, i) => {
          if (a.includes('*') || a.includes('?')) return;
          const info = catalog.action(a);
          if (!info) return;
          if (info.resourceTypes.length === 0) add('WARNING', 'RESOURCE_NOT_SUPPORTED', `\`${a}\` does not support resource-level permissions: it matches only \`"Resource": "*"\``, at('Action', i));
          else if (!resources.some((r) => info.resourceTypes.some((t) => resourceFitsType(r, t.arnPattern)))) add('WARNING', 'RESOURCE_NOT_SUPPORTED', `no resource of the statement is of a type \`${a}\` supports (${info.resourceTypes.map((t) => t.name).join(', ')})`, at('Action', i));
        });
      }
    }
  }

  // Statements covered entirely by another of the same effect and conditions.
  const redundant = new Set<number>();
  for (const a of statements) {
    for (const b of statements) {
      if (a === b || redundant.has(b.index) || a.effect !== b.effect || !a.action || !b.action || !sameConditions(a.conditions, b.conditions)) continue;
      if (a.notResource || b.notResource || !a.resource || !b.resource || a.principal || b.principal) continue;
      if (covers(b.action, a.action, true) && covers(b.resource, a.resource, false)) {
        const mutual = covers(a.action, b.action, true) && covers(a.resource, b.resource, false);
        if (mutual && a.index < b.index) continue; // report the later of two equal statements
        redundant.add(a.index);
        add('SUGGESTION', 'REDUNDANT_STATEMENT', `the statement is covered by Statement[${b.index}]${b.sid ? ` (${b.sid})` : ''}`, ['Statement', a.index]);
        break;
      }
    }
  }
  return out;
}

/** True when any finding is of one of the types (for exit codes). */
export function hasFindingOf(findings: readonly LintFinding[], types: readonly LintFindingType[]): boolean {
  return findings.some((f) => types.includes(f.findingType));
}

