/**
 * Parses and validates an IAM JSON policy into the normalized AST, collecting every problem.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import type {
  ConditionClause,
  Diagnostic,
  ParseResult,
  Policy,
  PolicyKind,
  PolicySizeClass,
  PrincipalSpec,
  SourceSpan,
  Statement,
} from '../types.js';
import { readJson, toJsonNode, type JsonNode } from './json-reader.js';
import { POLICY_SIZE_LIMITS, policySize } from './size-limits.js';
import { parseTemplate } from './policy-variables.js';
import { OPERATORS, parseOperatorName } from '../conditions/operators.js';
import type { ServiceCatalog } from './service-catalog.js';
import { globMatch, tokenize, type GlobToken } from '../compile/glob.js';
import { iamResourceProblem } from './iam-resource-arn.js';

/** Options of {@link parsePolicy}. */
export interface ParseOptions {
  /** Which elements are required or forbidden depends on where the policy is attached. */
  kind: PolicyKind;
  /** Check AWS's size quota for this kind of attachment. Default is `'none'` (no check). */
  sizeClass?: PolicySizeClass;
  /** When given, unknown services, actions and condition keys are reported as warnings. */
  catalog?: ServiceCatalog;
  /**
   * The partition of the account the policy belongs to: IAM refuses resource ARNs in any other
   * (`Partition "aws" is not valid for resource …` in GovCloud). Default `aws`.
   */
  partition?: string;
  /**
   * `'write'` (the default) applies every check IAM makes when a document is written: Sid format and
   * uniqueness, the partition and IAM resource-path rules of Resource ARNs. `'evaluation'` keeps only
   * what the engine needs to evaluate a document (its structure, effects, actions, condition
   * operators and values, policy variables): for documents already stored or published by AWS,
   * which IAM's write-time rules (stricter today, or not applied to AWS's own policies) must not
   * turn unreadable.
   */
  checks?: 'write' | 'evaluation';
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
/** The `sts:` actions a role trust policy may grant (lowercase): the AssumeRole calls and the session's tags, source identity and context. */
const TRUST_STS_ACTIONS = new Set(['assumerole', 'assumerolewithsaml', 'assumerolewithwebidentity', 'tagsession', 'setsourceidentity', 'setcontext']);
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_TYPES = new Map([
  ['AWS', 'aws'],
  ['Service', 'service'],
  ['Federated', 'federated'],
  ['CanonicalUser', 'canonicalUser'],
] as const);
/**
 * `vendor:name`. AWS checks only the vendor (letters, digits, `-`, `.`) and the single colon: the
 * name may hold spaces and any other character (`iam: asdf safdsf af ` is stored; it matches no
 * request). Cases recorded against AWS: getmoto/moto tests/test_iam/test_iam_policies.py.
 */
const ACTION = /^[a-zA-Z0-9.-]+:[^:]*$/;
const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/;
const UNIQUE_ID = /^A[A-Z0-9]{15,127}$/;
const IAM_SID = /^[A-Za-z0-9]*$/;
/** Kinds whose documents IAM itself validates (alphanumeric, unique Sids; no Principal for the first four). */
const NO_PRINCIPAL: ReadonlySet<PolicyKind> = new Set(['identity', 'boundary', 'session', 'scp']);
const IAM_VALIDATED: ReadonlySet<PolicyKind> = new Set(['identity', 'boundary', 'session', 'trust']);

/**
 * Parses a policy document (JSON text or an already-parsed value) and validates it for `kind`.
 * Never throws on user input: every problem comes back as a {@link Diagnostic} with a path.
 *
 * @example
 * ```ts
 * const r = parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}', { kind: 'identity' });
 * if (!r.ok) console.log(r.diagnostics.map((d) => `${d.path}: ${d.message}`));
 * ```
 */
export function parsePolicy(document: string | unknown, options: ParseOptions): ParseResult {
  const diags: Diagnostic[] = [];
  const kind = options.kind;
  const writeChecks = (options.checks ?? 'write') === 'write';
  const error = (path: string, message: string, span?: SourceSpan, code = 'MalformedPolicyDocument'): void => {
    diags.push(span ? { severity: 'error', path, message, code, position: span.start } : { severity: 'error', path, message, code });
  };
  const warn = (path: string, message: string, code: string, span?: SourceSpan): void => {
    diags.push(span ? { severity: 'warning', path, message, code, position: span.start } : { severity: 'warning', path, message, code });
  };

  let root: JsonNode;
  let text: string | undefined;
  if (typeof document === 'string') {
    text = document;
    const read = readJson(document);
    if (!read.ok) {
      return { ok: false, diagnostics: [{ severity: 'error', path: '', message: `invalid JSON: ${read.message}`, code: 'MalformedPolicyDocument', position: read.position }] };
    }
    root = read.node;
  } else {
    root = toJsonNode(document);
    try {
      text = JSON.stringify(document);
    } catch {
      text = undefined;
    }
  }

  const sizeClass = options.sizeClass ?? 'none';
  if (sizeClass !== 'none' && text !== undefined) {
    const { limit, what } = POLICY_SIZE_LIMITS[sizeClass];
    const size = policySize(text, sizeClass);
    if (size > limit) error('', `policy is ${size} characters: the quota for ${what} is ${limit}`, undefined, 'LimitExceeded');
  }

  if (root.kind !== 'object') {
    error('', 'policy document must be a JSON object', root.span);
    return { ok: false, diagnostics: diags };
  }

  let version: string | undefined;
  let id: string | undefined;
  let statementNode: JsonNode | undefined;
  const seenTop = new Set<string>();
  for (const entry of root.entries) {
    if (seenTop.has(entry.key)) {
      error(entry.key, `duplicate element \`${entry.key}\``, entry.keySpan);
      continue;
    }
    seenTop.add(entry.key);
    if (!TOP_LEVEL.has(entry.key)) {
      error(entry.key, `unknown element \`${entry.key}\`: a policy has only \`Version\`, \`Id\` and \`Statement\``, entry.keySpan);
      continue;
    }
    const v = entry.value;
    if (entry.key === 'Version') {
      if (v.kind !== 'string' || !VERSIONS.has(v.value)) error('Version', 'the policy language version must be `2012-10-17` or `2008-10-17`', v.span);
      else version = v.value;
    } else if (entry.key === 'Id') {
      if (v.kind !== 'string') error('Id', '`Id` must be a string', v.span);
      else id = v.value;
    } else statementNode = v;
  }
  const variablesEnabled = version === '2012-10-17';

  const statements: Statement[] = [];
  if (!statementNode) error('Statement', 'policy document must contain a `Statement` element');
  else {
    const isArray = statementNode.kind === 'array';
    const nodes = statementNode.kind === 'array' ? statementNode.items : [statementNode];
    if (nodes.length === 0) error('Statement', '`Statement` must contain at least one statement', statementNode.span);
    const sids = new Set<string>();
    nodes.forEach((node, index) => {
      const path = isArray ? `Statement[${index}]` : 'Statement';
      const st = parseStatement(node, index, path);
      // A repeated Sid is reported even in a statement with other problems (AWS reports it before
      // a missing Action). An empty Sid is no id: AWS stores two statements with `"Sid": ""`
      // (Terraform writes them; getmoto/moto#2415 sent such a document to AWS).
      const sidNode = node.kind === 'object' ? node.entries.find((e) => e.key === 'Sid')?.value : undefined;
      const sid = sidNode?.kind === 'string' ? sidNode.value : undefined;
      if (sid !== undefined && sid !== '' && writeChecks && IAM_VALIDATED.has(kind)) {
        if (sids.has(sid)) error(`${path}.Sid`, `statement ids must be unique in a policy: \`${sid}\` is used twice`);
        sids.add(sid);
      }
      if (st) statements.push(st);
    });
  }

  if (diags.some((d) => d.severity === 'error')) return { ok: false, diagnostics: diags };
  const policy: Policy = deepFreeze({
    kind,
    ...(version !== undefined ? { version } : {}),
    ...(id !== undefined ? { id } : {}),
    statements,
  });
  return { ok: true, policy, warnings: diags };

  function stringList(node: JsonNode, path: string, what: string): string[] | undefined {
    if (node.kind === 'string') return [node.value];
    if (node.kind === 'array') {
      if (node.items.length === 0) {
        error(path, `\`${what}\` must not be empty`, node.span);
        return undefined;
      }
      const out: string[] = [];
      let ok = true;
      node.items.forEach((item, i) => {
        if (item.kind !== 'string') {
          error(`${path}[${i}]`, `each \`${what}\` value must be a string`, item.span);
          ok = false;
        } else out.push(item.value);
      });
      return ok ? out : undefined;
    }
    error(path, `\`${what}\` must be a string or an array of strings`, node.span);
    return undefined;
  }

  function parseStatement(node: JsonNode, index: number, path: string): Statement | undefined {
    if (node.kind !== 'object') {
      error(path, 'each statement must be a JSON object', node.span);
      return undefined;
    }
    const errorsBefore = diags.filter((d) => d.severity === 'error').length;
    const fields = new Map<string, JsonNode>();
    for (const entry of node.entries) {
      if (fields.has(entry.key)) {
        error(`${path}.${entry.key}`, `duplicate element \`${entry.key}\``, entry.keySpan);
        continue;
      }
      if (!STATEMENT_KEYS.has(entry.key)) {
        error(`${path}.${entry.key}`, `unknown element \`${entry.key}\` in a statement`, entry.keySpan);
        continue;
      }
      fields.set(entry.key, entry.value);
    }
    const out: {
      index: number; sid?: string; effect?: 'Allow' | 'Deny'; action?: string[]; notAction?: string[];
      resource?: string[]; notResource?: string[]; principal?: PrincipalSpec; notPrincipal?: PrincipalSpec;
      conditions: ConditionClause[]; span?: SourceSpan;
    } = { index, conditions: [] };
    if (node.span) out.span = node.span;

    const sid = fields.get('Sid');
    if (sid) {
      if (sid.kind !== 'string') error(`${path}.Sid`, '`Sid` must be a string', sid.span);
      else if (writeChecks && IAM_VALIDATED.has(kind) && !IAM_SID.test(sid.value)) error(`${path}.Sid`, `statement id \`${sid.value}\` must be alphanumeric`, sid.span);
      else out.sid = sid.value;
    }

    const effect = fields.get('Effect');
    if (!effect) error(`${path}.Effect`, 'statement must contain an `Effect`', node.span);
    else if (effect.kind !== 'string' || (effect.value !== 'Allow' && effect.value !== 'Deny')) {
      error(`${path}.Effect`, '`Effect` must be `Allow` or `Deny`', effect.span);
    } else out.effect = effect.value;

    // Action / NotAction: exactly one.
    const action = fields.get('Action');
    const notAction = fields.get('NotAction');
    if (action && notAction) error(path, 'statement must not contain both `Action` and `NotAction`', node.span);
    else if (!action && !notAction) error(path, 'statement must contain `Action` or `NotAction`', node.span);
    for (const [name, n] of [['Action', action], ['NotAction', notAction]] as const) {
      if (!n) continue;
      const list = stringList(n, `${path}.${name}`, name);
      if (!list) continue;
      list.forEach((a, i) => checkAction(a, n.kind === 'array' ? `${path}.${name}[${i}]` : `${path}.${name}`, n.kind === 'array' ? n.items[i]?.span : n.span));
      if (name === 'Action') out.action = list;
      else out.notAction = list;
    }

    // Resource / NotResource.
    const resource = fields.get('Resource');
    const notResource = fields.get('NotResource');
    if (resource && notResource) error(path, 'statement must not contain both `Resource` and `NotResource`', node.span);
    if (kind === 'trust') {
      if (resource || notResource) error(`${path}.${resource ? 'Resource' : 'NotResource'}`, 'a role trust policy must not contain `Resource` or `NotResource`', (resource ?? notResource)!.span);
    } else if (!resource && !notResource && kind !== 'resource') {
      error(path, 'policy statement must contain `Resource` or `NotResource`', node.span);
    }
    for (const [name, n] of [['Resource', resource], ['NotResource', notResource]] as const) {
      if (!n || kind === 'trust') continue;
      const list = stringList(n, `${path}.${name}`, name);
      if (!list) continue;
      list.forEach((r, i) => checkResource(r, n.kind === 'array' ? `${path}.${name}[${i}]` : `${path}.${name}`, n.kind === 'array' ? n.items[i]?.span : n.span));
      if (name === 'Resource') out.resource = list;
      else out.notResource = list;
    }

    // Principal / NotPrincipal.
    const principal = fields.get('Principal');
    const notPrincipal = fields.get('NotPrincipal');
    if (NO_PRINCIPAL.has(kind)) {
      if (principal || notPrincipal) {
        error(`${path}.${principal ? 'Principal' : 'NotPrincipal'}`, `${kind === 'identity' ? 'an' : 'a'} ${kind} policy must not specify a principal`, (principal ?? notPrincipal)!.span);
      }
    } else {
      if (principal && notPrincipal) error(path, 'statement must not contain both `Principal` and `NotPrincipal`', node.span);
      else if (!principal && !notPrincipal) error(path, `${kind === 'identity' ? 'an' : 'a'} ${kind} policy statement must contain \`Principal\`${kind === 'trust' ? '' : ' or `NotPrincipal`'}`, node.span);
      if (notPrincipal && kind === 'trust') error(`${path}.NotPrincipal`, 'a role trust policy must not use `NotPrincipal`', notPrincipal.span);
      if (principal) {
        const p = parsePrincipal(principal, `${path}.Principal`);
        if (p) out.principal = p;
      }
      if (notPrincipal) {
        const p = parsePrincipal(notPrincipal, `${path}.NotPrincipal`);
        if (p) out.notPrincipal = p;
        // AWS: "NotPrincipal must be used with Effect Deny"; with Allow it would grant everyone
        // not listed, anonymous callers included.
        if (out.effect === 'Allow') error(`${path}.NotPrincipal`, '`NotPrincipal` must be used with `"Effect": "Deny"`', notPrincipal.span);
      }
    }

    const condition = fields.get('Condition');
    if (condition) parseCondition(condition, `${path}.Condition`, out.conditions);

    const failed = diags.filter((d) => d.severity === 'error').length > errorsBefore;
    if (failed || !out.effect) return undefined;
    return out as Statement;
  }

  function checkAction(a: string, path: string, span?: SourceSpan): void {
    if (a === '*') {
      if (kind === 'trust') error(path, 'a role trust policy may only specify `sts:` actions', span);
      return;
    }
    if (!ACTION.test(a)) {
      error(path, `action \`${a}\` must be \`*\` or \`service:action\` (a service prefix without wildcards)`, span);
      return;
    }
    const colon = a.indexOf(':');
    const service = a.slice(0, colon);
    const name = a.slice(colon + 1);
    if (kind === 'trust' && service.toLowerCase() !== 'sts') error(path, 'a role trust policy may only specify `sts:` actions', span);
    // AWS refuses an sts: action a trust policy cannot grant (`sts:TagSessions`, in
    // hashicorp/terraform-provider-aws#32872): a write-time rule, so a stored document stays readable.
    // Wildcards (`sts:*`) are left alone: what AWS answers for them is not documented.
    else if (kind === 'trust' && writeChecks && !/[*?]/.test(name) && !TRUST_STS_ACTIONS.has(name.toLowerCase())) {
      error(path, `a role trust policy may only specify \`sts:\` actions that assume a role or shape its session, not \`${a}\``, span);
    }
    const catalog = options.catalog;
    if (!catalog) return;
    if (!catalog.hasService(service)) {
      warn(path, `unknown service \`${service}\``, 'UnknownService', span);
      return;
    }
    if (!/[*?]/.test(name)) {
      if (!catalog.hasAction(service, name)) warn(path, `unknown action \`${a}\``, 'UnknownAction', span);
      return;
    }
    // globMatch, not a RegExp: a backtracking `.*a.*a.*…` hung validation on long action names.
    const tokens = tokenize([{ text: name, escaped: false }], true, true) as GlobToken[];
    if (!catalog.actionNames(service).some((n) => globMatch(tokens, n.toLowerCase()))) warn(path, `action pattern \`${a}\` matches no action of \`${service}\``, 'UnknownAction', span);
  }

  function checkResource(r: string, path: string, span?: SourceSpan): void {
    if (r === '*') return;
    // Any other text is a pattern the engine matches literally (at worst it matches nothing).
    if (!writeChecks) return checkTemplate(r, path, span);
    if (!IAM_VALIDATED.has(kind)) {
      if (!(r.startsWith('arn:') && (r.split(':').length >= 6 || r.endsWith('*')))) error(path, `resource \`${r}\` must be an ARN or \`*\``, span);
      else checkTemplate(r, path, span);
      return;
    }
    const problem = iamResourceProblem(r, options.partition ?? 'aws');
    if (problem) {
      error(path, problem, span);
      return;
    }
    checkTemplate(r, path, span);
  }

  function checkTemplate(value: string, path: string, span?: SourceSpan): void {
    if (!value.includes('${')) return;
    if (!variablesEnabled) {
      warn(path, `\`${value}\` is taken literally: policy variables need \`"Version": "2012-10-17"\``, 'PolicyVariableIgnored', span);
      return;
    }
    const t = parseTemplate(value, true);
    if (!t.ok) error(path, t.message, span);
  }

  function parsePrincipal(node: JsonNode, path: string): PrincipalSpec | undefined {
    if (node.kind === 'string') {
      if (node.value === '*') return { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] };
      error(path, 'a principal must be `"*"` or an object such as `{"AWS": "arn:aws:iam::123456789012:root"}`', node.span);
      return undefined;
    }
    if (node.kind !== 'object') {
      error(path, 'a principal must be `"*"` or an object', node.span);
      return undefined;
    }
    if (node.entries.length === 0) {
      error(path, 'a principal must name at least one principal', node.span);
      return undefined;
    }
    const spec = { wildcard: false, aws: [] as string[], service: [] as string[], federated: [] as string[], canonicalUser: [] as string[] };
    const seen = new Set<string>();
    let ok = true;
    for (const entry of node.entries) {
      const field = PRINCIPAL_TYPES.get(entry.key as 'AWS');
      const p = `${path}.${entry.key}`;
      if (!field) {
        error(p, `unknown principal type \`${entry.key}\`: use \`AWS\`, \`Service\`, \`Federated\` or \`CanonicalUser\``, entry.keySpan);
        ok = false;
        continue;
      }
      if (seen.has(entry.key)) {
        error(p, `duplicate principal type \`${entry.key}\``, entry.keySpan);
        ok = false;
        continue;
      }
      seen.add(entry.key);
      const list = stringList(entry.value, p, entry.key);
      if (!list) {
        ok = false;
        continue;
      }
      for (const v of list) {
        if (field === 'aws') {
          if (v === '*' || UNIQUE_ID.test(v)) spec.aws.push(v);
          else if (ACCOUNT_ID.test(v)) spec.aws.push(`arn:aws:iam::${v}:root`);
          else if (PRINCIPAL_ARN.test(v) && !/[*?]/.test(v)) spec.aws.push(v);
          else {
            error(p, `invalid principal \`${v}\`: use an account id, an IAM or STS ARN without wildcards, or \`*\``, entry.value.span);
            ok = false;
          }
        } else if (v === '' || (v !== '*' && /[*?]/.test(v))) {
          error(p, `invalid principal \`${v}\``, entry.value.span);
          ok = false;
        } else spec[field].push(v);
      }
    }
    return ok ? spec : undefined;
  }

  function parseCondition(node: JsonNode, path: string, out: ConditionClause[]): void {
    if (node.kind !== 'object') {
      error(path, '`Condition` must be an object of `{"Operator": {"key": values}}`', node.span);
      return;
    }
    const seenOps = new Set<string>();
    for (const opEntry of node.entries) {
      const opPath = `${path}.${opEntry.key}`;
      if (seenOps.has(opEntry.key)) {
        error(opPath, `duplicate condition operator \`${opEntry.key}\`: merge its keys into one block`, opEntry.keySpan);
        continue;
      }
      seenOps.add(opEntry.key);
      const block = opEntry.value;
      const op = parseOperatorName(opEntry.key);
      // AWS stores an operator block with no keys, even under a name that is no operator
      // (`"Condition": {"a": {}}`): it tests nothing. Cases recorded against AWS in getmoto/moto
      // tests/test_iam/test_iam_policies.py; an unknown operator with keys is a syntax error.
      if (block.kind === 'object' && block.entries.length === 0) {
        warn(opPath, `\`${opEntry.key}\` has no condition keys: it tests nothing`, 'EmptyCondition', opEntry.keySpan);
        continue;
      }
      if ('error' in op) {
        error(opPath, op.error, opEntry.keySpan);
        continue;
      }
      if (block.kind !== 'object') {
        error(opPath, `condition operator \`${opEntry.key}\` must map condition keys to values`, block.span);
        continue;
      }
      const definition = op.base === 'Null' ? undefined : OPERATORS.get(op.base);
      const seenKeys = new Set<string>();
      for (const keyEntry of block.entries) {
        const keyPath = `${opPath}.${keyEntry.key}`;
        const keyLower = keyEntry.key.toLowerCase();
        if (seenKeys.has(keyLower)) {
          error(keyPath, `duplicate condition key \`${keyEntry.key}\` under \`${opEntry.key}\` (keys are case-insensitive)`, keyEntry.keySpan);
          continue;
        }
        seenKeys.add(keyLower);
        if (!/^[^:\s]+:\S+$/.test(keyEntry.key)) {
          // AWS stores a key without a `service:` prefix (`{"StringEqualsIfExists": {"a": "asf"}}`,
          // recorded in getmoto/moto tests/test_iam/test_iam_policies.py); no request carries it.
          warn(keyPath, `condition key \`${keyEntry.key}\` has no \`service:\` prefix: no request has such a key`, 'ConditionKeyWithoutService', keyEntry.keySpan);
        } else if (options.catalog && !options.catalog.hasConditionKey(keyEntry.key)) {
          warn(keyPath, `unknown condition key \`${keyEntry.key}\``, 'UnknownConditionKey', keyEntry.keySpan);
        }
        const vnode = keyEntry.value;
        const items = vnode.kind === 'array' ? vnode.items : [vnode];
        // AWS stores an empty value list (`{"DateGreaterThan": {"a": []}}`, getmoto/moto's recorded
        // cases); what it then decides is undocumented, so the engine grants nothing on it.
        if (items.length === 0) warn(keyPath, `condition key \`${keyEntry.key}\` has no values: AWS does not say what that decides, so here it never holds in an Allow and always holds in a Deny`, 'EmptyCondition', vnode.span);
        const values: string[] = [];
        let ok = true;
        items.forEach((item, i) => {
          const itemPath = vnode.kind === 'array' ? `${keyPath}[${i}]` : keyPath;
          let text: string;
          if (item.kind === 'string') text = item.value;
          else if (item.kind === 'number') text = item.raw;
          else if (item.kind === 'boolean') text = String(item.value);
          else {
            error(itemPath, 'condition values must be strings, numbers or booleans', item.span);
            ok = false;
            return;
          }
          if (op.base === 'Null') {
            if (!/^(true|false)$/i.test(text)) {
              error(itemPath, `\`Null\` takes \`true\` (the key is absent) or \`false\` (it is present), not \`${text}\``, item.span);
              ok = false;
            }
          } else if (definition!.supportsVariables && variablesEnabled && text.includes('${')) {
            const t = parseTemplate(text, true);
            if (!t.ok) {
              error(itemPath, t.message, item.span);
              ok = false;
            }
          } else {
            const problem = definition!.checkValue(text);
            if (problem) {
              error(itemPath, `${problem} (operator \`${opEntry.key}\`)`, item.span);
              ok = false;
            } else if (definition!.supportsVariables) checkTemplate(text, itemPath, item.span);
          }
          values.push(text);
        });
        if (!ok) continue;
        const clause: ConditionClause = op.qualifier
          ? { operator: opEntry.key, base: op.base, qualifier: op.qualifier, ifExists: op.ifExists, key: keyEntry.key, values }
          : { operator: opEntry.key, base: op.base, ifExists: op.ifExists, key: keyEntry.key, values };
        out.push(clause);
      }
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
