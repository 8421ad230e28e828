/**
 * Compiles a parsed policy into frozen matchers: actions indexed per action name (memoized),
 * resources as ARN patterns, conditions as closures. Compile once, evaluate many times.
 */
import type { Policy, PolicyKind, PrincipalSpec, SourceSpan } from '../types.js';
import { parseTemplate } from '../parse/policy-variables.js';
import { compileArnPattern, matchArnPattern, type ArnPattern } from './arn-pattern.js';
import { compileClause, type ClauseTest } from './compile-condition.js';
import { compileActions, type ActionMatcher } from './action-matcher.js';
import { mayMatchSome, matchesEvery, requestTokens, statementTokens, statementVariables } from './unnamed-resources.js';
import type { RequestView } from './request-view.js';

/** Names a policy in decisions. */
export interface PolicyRef {
  policyId: string;
  name?: string;
  /** Defaults to the kind the policy was parsed as. */
  kind?: PolicyKind;
}

/** Identifies a statement that matched, for explanations and the policy simulator. */
export interface StatementRef {
  readonly policyId: string;
  readonly policyName?: string;
  readonly policyKind: PolicyKind;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Where the statement is in the policy text (when parsed from text): AWS's StartPosition/EndPosition. */
  readonly span?: SourceSpan;
}

/** A compiled statement. @internal */
export interface CompiledStatement {
  readonly ref: StatementRef;
  readonly deny: boolean;
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  /** Condition tests, AND-ed. */
  readonly conditions: readonly ClauseTest[];
  /** A clause that could not be compiled: the statement never allows and, if Deny, always denies. */
  readonly brokenCondition?: string;
  /** True when the statement's Resource (or NotResource) element takes in the resource. */
  matchesResource(resource: string, view: RequestView): boolean;
  /**
   * For a resource not named yet (`AuthzRequest.resourceNotNamed`, a pattern such as
   * `arn:aws:iam::123456789012:user/*`): whether the statement may apply to one of the resources it
   * stands for (`some`) or surely applies to all of them (`every`). See unnamed-resources.ts.
   */
  appliesToUnnamed(pattern: string, extent: 'some' | 'every', view: RequestView): boolean;
}

/** A compiled policy: frozen and safe to share between requests. */
export interface CompiledPolicy {
  readonly ref: Readonly<PolicyRef>;
  readonly kind: PolicyKind;
  readonly statements: readonly CompiledStatement[];
  /** The statements whose Action/NotAction match a lowercased action name. @internal */
  statementsFor(actionLower: string): readonly CompiledStatement[];
}

/** Bound on the per-policy action memo; it is cleared when full. */
const ACTION_MEMO_LIMIT = 4096;


type ResourceMatcher = (resource: string, view: RequestView) => boolean;

/**
 * A statement's {@link CompiledStatement.appliesToUnnamed}. A NotResource statement may apply to
 * some of the resources unless one of its patterns matches every one, and surely applies to all
 * unless one of its patterns may match some.
 */
function compileUnnamed(resources: readonly string[] | undefined, notResources: readonly string[] | undefined, variables: boolean): CompiledStatement['appliesToUnnamed'] {
  if (!resources && !notResources) return () => true; // resource policy statement: the attached resource
  const list = (resources ?? notResources)!;
  if (list.includes('*')) return resources ? () => true : () => false;
  // Tokenized on first use: only GetCallerPermissions' names-not-chosen questions ask, and every
  // other request must not pay for it when the policy is compiled.
  let patterns: { tokens: ReturnType<typeof statementTokens>; variables: ReturnType<typeof statementVariables> }[] | undefined;
  return (pattern, extent, view) => {
    patterns ??= list.map((r) => ({ tokens: statementTokens(r, variables), variables: statementVariables(r, variables) }));
    const request = requestTokens(pattern);
    // An entry holding a policy variable with no value matches no resource (as in compileResources).
    const live = patterns.filter((p) => p.variables.every((v) => view.resolveVariable(v) !== undefined)).map((p) => p.tokens);
    if (resources) return live.some((p) => (extent === 'some' ? mayMatchSome(p, request) : matchesEvery(p, request)));
    return !live.some((p) => (extent === 'some' ? matchesEvery(p, request) : mayMatchSome(p, request)));
  };
}

function compileResources(resources: readonly string[] | undefined, notResources: readonly string[] | undefined, variables: boolean): ResourceMatcher {
  if (!resources && !notResources) return () => true; // resource policy statement: the attached resource
  const list = (resources ?? notResources)!;
  if (list.includes('*')) return resources ? () => true : () => false;
  const patterns: ArnPattern[] = list.map((r) => {
    const t = parseTemplate(r, variables);
    return compileArnPattern(t.ok ? t.parts : [{ text: r, escaped: false }], true);
  });
  // AWS: an entry holding a policy variable with no value "will not match any resource": in
  // Resource it grants or denies nothing (the other entries still may), in NotResource it excludes
  // nothing. matchArnPattern says undefined for it.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html ("Policy variables with no value")
  const anyMatch = (resource: string, view: RequestView): boolean => {
    for (let i = 0; i < patterns.length; i++) if (matchArnPattern(patterns[i]!, resource, view) === true) return true;
    return false;
  };
  return resources ? anyMatch : (resource, view) => !anyMatch(resource, view);
}

/**
 * Compiles a parsed policy. The result is frozen and can be cached (by content or version) and
 * shared between requests.
 *
 * @example
 * ```ts
 * const parsed = parsePolicy(text, { kind: 'identity' });
 * if (parsed.ok) cache.set(hash, compilePolicy(parsed.policy, { policyId: 'ANPA…', name: 'ReadOnly' }));
 * ```
 */
export function compilePolicy(policy: Policy, ref: PolicyRef): CompiledPolicy {
  const kind = ref.kind ?? policy.kind;
  const frozenRef: Readonly<PolicyRef> = Object.freeze({ ...ref, kind });
  const variables = policy.version === '2012-10-17';
  const actionMatchers: ActionMatcher[] = [];
  const statements: CompiledStatement[] = policy.statements.map((st) => {
    const byAction = compileActions(st.action ?? st.notAction ?? []);
    actionMatchers.push(st.action ? byAction : (a) => !byAction(a));
    const conditions: ClauseTest[] = [];
    let brokenCondition: string | undefined;
    for (const clause of st.conditions) {
      const c = compileClause(clause, variables, st.effect);
      if (typeof c === 'function') conditions.push(c);
      else brokenCondition ??= c.error;
    }
    const statementRef: StatementRef = Object.freeze({
      policyId: ref.policyId,
      ...(ref.name !== undefined ? { policyName: ref.name } : {}),
      policyKind: kind,
      statementIndex: st.index,
      ...(st.sid !== undefined ? { sid: st.sid } : {}),
      effect: st.effect,
      ...(st.span ? { span: st.span } : {}),
    });
    const compiled: CompiledStatement = {
      ref: statementRef,
      deny: st.effect === 'Deny',
      ...(st.principal ? { principal: st.principal } : {}),
      ...(st.notPrincipal ? { notPrincipal: st.notPrincipal } : {}),
      conditions: Object.freeze(conditions),
      ...(brokenCondition !== undefined ? { brokenCondition } : {}),
      matchesResource: compileResources(st.resource, st.notResource, variables),
      appliesToUnnamed: compileUnnamed(st.resource, st.notResource, variables),
    };
    return Object.freeze(compiled);
  });
  // INVARIANT: the memo caches a pure function of the action name, so sharing it between
  // requests cannot change a decision.
  const memo = new Map<string, readonly CompiledStatement[]>();
  const none: readonly CompiledStatement[] = Object.freeze([]);
  const statementsFor = (actionLower: string): readonly CompiledStatement[] => {
    let hit = memo.get(actionLower);
    if (hit === undefined) {
      const found = statements.filter((_, i) => actionMatchers[i]!(actionLower));
      hit = found.length === 0 ? none : Object.freeze(found);
      if (memo.size >= ACTION_MEMO_LIMIT) memo.clear();
      memo.set(actionLower, hit);
    }
    return hit;
  };
  return Object.freeze({ ref: frozenRef, kind, statements: Object.freeze(statements), statementsFor });
}
