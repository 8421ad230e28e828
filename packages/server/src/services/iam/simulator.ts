/**
 * The policy simulator: SimulatePrincipalPolicy (a user's, group's or role's policies, plus
 * optional extra and boundary policies) and SimulateCustomPolicy (only the given policies). Each
 * action is evaluated on each resource with `@castellan/policy`, exactly as the authorizer would,
 * and reported with AWS's EvaluationResult fields.
 *
 * @module
 */
import { isIP } from 'node:net';
import { evaluate, parseDate, parseNumber, parsePolicy, type AuthzRequest, type ContextValue, type Decision, type RequestPrincipal, type StatementRef } from '@castellan/policy';
import { arnAccountId, parseArn, parseIamResourceArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { InvalidInputError, MalformedPolicyDocumentError, NoSuchEntityError } from '../../domain/errors.js';
import { entityPolicies, loadRolePolicies, loadUserPolicies, type LoadedPolicy, type PrincipalPolicies, type SourcePolicyType } from '../authorization/principal-policies.js';
import type { CompiledPolicyCache } from '../authorization/compiled-policy-cache.js';
import type { ServiceDeps } from '../service-deps.js';
import { workSlices } from '../work-slices.js';
import type { PagingInput } from './identity-common.js';
import { malformedPolicyText } from './policy-documents.js';

/** One `ContextEntry` of the request. */
export interface SimulationContextEntry {
  name: string;
  values: string[];
  type: 'string' | 'stringList' | 'numeric' | 'numericList' | 'boolean' | 'booleanList' | 'ip' | 'ipList' | 'binary' | 'binaryList' | 'date' | 'dateList';
}

/** What both simulations take. */
export interface SimulationInput extends PagingInput {
  actionNames: string[];
  resourceArns?: string[] | undefined;
  resourcePolicy?: string | undefined;
  resourceOwner?: string | undefined;
  /** AWS's EC2 scenarios; Castellan refuses it rather than ignore it. */
  resourceHandlingOption?: string | undefined;
  callerArn?: string | undefined;
  contextEntries?: SimulationContextEntry[] | undefined;
  permissionsBoundaryPolicyInputList?: string[] | undefined;
}

/** A statement that decided, in AWS's `Statement` terms. */
export interface MatchedStatement {
  sourcePolicyId: string;
  sourcePolicyType: SourcePolicyType;
  startPosition?: { line: number; column: number };
  endPosition?: { line: number; column: number };
}

/** The decision for one action on one resource. */
export interface ResourceResult {
  resourceName: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  matchedStatements: MatchedStatement[];
  missingContextValues: string[];
  /** Present when a permissions boundary took part. */
  allowedByPermissionsBoundary?: boolean;
}

/** One EvaluationResult. */
export interface SimulationResult extends ResourceResult {
  actionName: string;
  /** Present when specific resources were simulated (not `*`). */
  resourceSpecificResults?: ResourceResult[];
  /**
   * EvalDecisionDetails. AWS: "If the simulation evaluates policies within the same account and
   * includes a resource ARN, then the parameter is present but the response is empty. If the
   * simulation … specifies all resources (*), then the parameter is not returned." Its keys for a
   * cross-account simulation are not documented, so it stays empty there too.
   */
  evalDecisionDetails?: Record<string, never>;
}

/** A page of results. */
export interface SimulationPage {
  results: SimulationResult[];
  isTruncated: boolean;
  marker?: string;
}

const DECISION = { allow: 'allowed', explicitDeny: 'explicitDeny', implicitDeny: 'implicitDeny' } as const;

function contextValue(e: SimulationContextEntry): ContextValue {
  const list = e.type.endsWith('List');
  const base = list ? e.type.slice(0, -4) : e.type;
  // Numbers and dates are read as the engine reads them in a policy, so that a value the Numeric*
  // or Date* operators could not compare (`0x10`, `2019-04-25 11:00:00`) is refused here rather
  // than silently matching nothing.
  const convert = (v: string): string | number | boolean => {
    if (base === 'numeric') {
      const n = parseNumber(v);
      if (!Number.isFinite(n)) throw new InvalidInputError(`Invalid value ${v} for context key ${e.name}: expected a number.`);
      return n;
    }
    if (base === 'boolean') {
      const b = v.toLowerCase();
      if (b !== 'true' && b !== 'false') throw new InvalidInputError(`Invalid value ${v} for context key ${e.name}: expected true or false.`);
      return b === 'true';
    }
    if (base === 'ip' && isIP(v.replace(/\/\d{1,3}$/, '')) === 0) throw new InvalidInputError(`Invalid value ${v} for context key ${e.name}: expected an IP address.`);
    if (base === 'date' && Number.isNaN(parseDate(v))) throw new InvalidInputError(`Invalid value ${v} for context key ${e.name}: expected a date.`);
    return v;
  };
  const values = e.values.map(convert);
  return list || values.length !== 1 ? values : values[0]!;
}

function inputPolicies(documents: readonly string[] | undefined, field: string, kind: 'identity' | 'boundary'): LoadedPolicy[] {
  return (documents ?? []).map((document, i) => {
    const parsed = parsePolicy(document, { kind: 'identity' });
    if (!parsed.ok) throw new MalformedPolicyDocumentError(`${field}.${i + 1}: ${malformedPolicyText(document, parsed.diagnostics, 'inline')}`);
    return { kind, policyId: `${field}.${i + 1}`, name: `${field}.${i + 1}`, document, sourceType: 'none' };
  });
}

function resourcePolicySource(document: string | undefined): LoadedPolicy[] | undefined {
  if (document === undefined) return undefined;
  const parsed = parsePolicy(document, { kind: 'resource' });
  if (!parsed.ok) throw new MalformedPolicyDocumentError(`ResourcePolicy: ${malformedPolicyText(document, parsed.diagnostics, 'resource')}`);
  return [{ kind: 'resource', policyId: 'ResourcePolicy', name: 'ResourcePolicy', document, sourceType: 'resource' }];
}

/** AWS accepts only an IAM user as CallerArn (not a role, session, federated user or service). */
function checkCallerArn(arn: string | undefined): void {
  if (arn !== undefined && parseIamResourceArn(arn)?.type !== 'user') {
    throw new InvalidInputError(`Invalid CallerArn ${arn}: it must be the ARN of an IAM user.`);
  }
}

function callerPrincipal(arn: string, fallbackAccount: string, policies?: PrincipalPolicies): RequestPrincipal {
  const account = parseArn(arn)?.accountId;
  const iam = parseIamResourceArn(arn);
  const principal: RequestPrincipal = { arn, accountId: account && /^\d{12}$/.test(account) ? account : fallbackAccount };
  if (iam?.type === 'user') {
    principal.type = 'IAMUser';
    principal.userName = iam.name;
  }
  if (policies?.entity && policies.entity.arn === arn) principal.id = policies.entity.id;
  if (policies) principal.tags = policies.tags;
  return principal;
}

/**
 * A statement's StartPosition/EndPosition as AWS reports them: the line of its opening and closing
 * brace, and the column just after each brace (the span holds the braces' own 1-based columns). In
 * AWS's `simulate-custom-policy` example (AWS CLI reference) the one-line policy
 * `{"Version":"2012-10-17","Statement":{…}}` of 167 characters, whose statement runs from column 37
 * to column 166, is reported as StartPosition Column 38 and EndPosition Column 167.
 */
function position(p: { line: number; column: number }): { line: number; column: number } {
  return { line: p.line, column: p.column + 1 };
}

function statementsOf(refs: readonly StatementRef[], types: Map<string, SourcePolicyType>): MatchedStatement[] {
  return refs.map((r) => ({
    sourcePolicyId: r.policyName ?? r.policyId,
    sourcePolicyType: types.get(r.policyId) ?? 'none',
    ...(r.span ? { startPosition: position(r.span.start), endPosition: position(r.span.end) } : {}),
  }));
}

/** An account's own ARN: IAM, no region, `root` (`arn:aws:iam::123456789012:root`). */
const ACCOUNT_ARN = /^arn:[a-z][a-z-]*:iam::(\d{12}):root$/;

/**
 * The account id of ResourceOwner, which AWS documents as an account ARN
 * (`arn:aws:iam::123456789012:root`); the evaluator compares bare account ids. Another ARN of the
 * account (a user's) is refused: it names a principal, not the account.
 */
function ownerAccount(resourceOwner: string | undefined): string | undefined {
  if (resourceOwner === undefined) return undefined;
  const account = ACCOUNT_ARN.exec(resourceOwner)?.[1];
  if (account === undefined) {
    throw new InvalidInputError(`Invalid ResourceOwner ${resourceOwner}: it must be the ARN of an account, such as arn:aws:iam::123456789012:root.`);
  }
  return account;
}

/**
 * Runs the simulation over prepared layers. AWS sets no limit on the number of actions or
 * resources (the model's lists have no maximum) and pages the actions × resources results with
 * MaxItems (1..1000); so the work of one request is bounded by its page: only the results of the
 * requested page are evaluated, and the event loop is yielded every few milliseconds.
 */
async function simulate(
  cache: CompiledPolicyCache,
  layers: { identity: LoadedPolicy[]; boundary?: LoadedPolicy[] | undefined; resource?: LoadedPolicy[] | undefined },
  principal: RequestPrincipal,
  input: SimulationInput,
  ctx: RequestContext,
): Promise<SimulationPage> {
  if (input.resourceHandlingOption !== undefined) {
    throw new InvalidInputError('ResourceHandlingOption (EC2 scenarios) is not supported by Castellan: leave it out to simulate each resource on its own.');
  }
  const all = [...layers.identity, ...(layers.boundary ?? []), ...(layers.resource ?? [])];
  const types = new Map(all.map((p) => [p.policyId, p.sourceType]));
  const set = cache.prepare({
    identity: layers.identity,
    ...(layers.boundary && layers.boundary.length > 0 ? { boundary: layers.boundary } : {}),
    ...(layers.resource ? { resource: layers.resource } : {}),
  });
  const context: Record<string, ContextValue> = {};
  for (const e of input.contextEntries ?? []) context[e.name] = contextValue(e);
  const specific = input.resourceArns !== undefined && input.resourceArns.length > 0 && !(input.resourceArns.length === 1 && input.resourceArns[0] === '*');
  const resources = specific ? input.resourceArns! : ['*'];
  const hasBoundary = (layers.boundary?.length ?? 0) > 0;
  const owner = ownerAccount(input.resourceOwner);

  const decide = (action: string, resource: string): ResourceResult => {
    // ResourceOwner owns only the resources whose ARN names no account (and the resource policy).
    const owned = owner !== undefined && !arnAccountId(resource);
    const request: AuthzRequest = { principal, action, resource, context, now: ctx.now, ...(owned ? { resourceAccount: owner } : {}) };
    const d: Decision = evaluate(request, set);
    const result: ResourceResult = {
      resourceName: resource,
      decision: DECISION[d.effect],
      matchedStatements: statementsOf(d.decidedBy, types),
      missingContextValues: [...d.missingContextKeys],
    };
    if (hasBoundary) {
      // AWS: true when the boundary "includes an Allow statement that matches the request"; false
      // when it does not allow "or … the action is explicitly denied by the permissions boundary",
      // whichever layer the decision names (an identity-based Deny is reported first).
      let allows = false;
      let denies = false;
      for (const s of d.matched) {
        if (s.policyKind !== 'boundary') continue;
        if (s.effect === 'Allow') allows = true;
        else denies = true;
      }
      result.allowedByPermissionsBoundary = allows && !denies;
    }
    return result;
  };

  for (const action of input.actionNames) {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9*?_.-]+$/.test(action)) throw new InvalidInputError(`Invalid action name ${action}: use the form service:Action.`);
  }
  // Results are the actions × resources pairs in order; only the requested page is evaluated.
  const total = input.actionNames.length * resources.length;
  let start = 0;
  if (input.marker !== undefined) {
    start = Number(Buffer.from(input.marker, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start <= 0 || start >= total) throw new InvalidInputError('Invalid value for marker: the marker was not returned by a previous call.');
  }
  const end = Math.min(total, start + (input.maxItems ?? 100));
  const results: SimulationResult[] = [];
  const pause = workSlices();
  for (let i = start; i < end; i++) {
    const action = input.actionNames[Math.floor(i / resources.length)]!;
    const r = decide(action, resources[i % resources.length]!);
    // AWS: with a list of resources, "any missing context values are instead included under the
    // ResourceSpecificResults parameter" (EvaluationResult.MissingContextValues).
    results.push(specific ? { actionName: action, ...r, missingContextValues: [], resourceSpecificResults: [r], evalDecisionDetails: {} } : { actionName: action, ...r });
    // Hand the event loop back between slices, so one large page never stalls other requests.
    await pause();
  }
  return end < total ? { results, isTruncated: true, marker: Buffer.from(String(end)).toString('base64url') } : { results, isTruncated: false };
}

/**
 * The policies of the user, group or role `policySourceArn` of the caller's account, or
 * NoSuchEntity. The entity is the one the whole ARN names, path included: the request was
 * authorized on that ARN, so `user/dev/admin` must not find `user/admin`.
 */
async function loadSource(deps: ServiceDeps, policySourceArn: string, ctx: RequestContext): Promise<PrincipalPolicies> {
  const accountId = ctx.caller.accountId;
  const source = parseIamResourceArn(policySourceArn);
  if (!source || !['user', 'group', 'role'].includes(source.type)) throw new InvalidInputError(`Invalid ARN ${policySourceArn}: PolicySourceArn must be the ARN of a user, group or role.`);
  if (source.accountId !== accountId) throw new NoSuchEntityError(`The ${source.type} with name ${source.name} cannot be found.`);
  let loaded: PrincipalPolicies | undefined;
  const { store } = deps;
  const named = <E extends { path: string }>(e: E | undefined): E | undefined => (e && e.path === source.path ? e : undefined);
  if (source.type === 'user') {
    const u = named(await store.getUserByName(accountId, source.name));
    loaded = u ? await loadUserPolicies(deps, u.id) : undefined;
  } else if (source.type === 'role') {
    const r = named(await store.getRoleByName(accountId, source.name));
    loaded = r ? await loadRolePolicies(deps, r.id) : undefined;
  } else {
    const g = named(await store.getGroupByName(accountId, source.name));
    if (g) loaded = { identity: await entityPolicies(deps, [{ kind: 'group', id: g.id }], new Map([[g.id, g.name]])), tags: {} };
  }
  if (!loaded) throw new NoSuchEntityError(`The ${source.type} with name ${source.name} cannot be found.`);
  return loaded;
}

/** SimulatePrincipalPolicy: the policies of the user, group or role `policySourceArn`. */
export async function simulatePrincipalPolicy(
  deps: ServiceDeps,
  input: SimulationInput & { policySourceArn: string; policyInputList?: string[] | undefined },
  ctx: RequestContext,
): Promise<SimulationPage> {
  checkCallerArn(input.callerArn);
  // The resource policy's Principal needs a caller: the source when it is a user, else CallerArn.
  if (input.resourcePolicy !== undefined && input.callerArn === undefined && parseIamResourceArn(input.policySourceArn)?.type !== 'user') {
    throw new InvalidInputError('CallerArn is required when ResourcePolicy is given and PolicySourceArn is not a user.');
  }
  const loaded = await loadSource(deps, input.policySourceArn, ctx);
  const identity = [...loaded.identity, ...inputPolicies(input.policyInputList, 'PolicyInputList', 'identity')];
  const boundaryInputs = inputPolicies(input.permissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList', 'boundary');
  const boundary = boundaryInputs.length > 0 ? boundaryInputs : loaded.boundary;
  const principal = callerPrincipal(input.callerArn ?? input.policySourceArn, ctx.caller.accountId, loaded);
  return simulate(deps.policyCache, { identity, boundary, resource: resourcePolicySource(input.resourcePolicy) }, principal, input, ctx);
}

/**
 * The condition keys a set of policies uses (in Condition blocks and as policy variables), each
 * once, in the order they first appear: GetContextKeysFor{Custom,Principal}Policy.
 */
function contextKeysOf(policies: readonly LoadedPolicy[]): string[] {
  const seen = new Map<string, string>();
  const add = (key: string) => {
    const lower = key.toLowerCase();
    if (!seen.has(lower)) seen.set(lower, key);
  };
  for (const p of policies) {
    const parsed = parsePolicy(p.document, { kind: p.kind === 'resource' ? 'resource' : 'identity', checks: 'evaluation' });
    if (!parsed.ok) continue;
    for (const st of parsed.policy.statements) {
      for (const text of [...(st.resource ?? []), ...(st.notResource ?? []), ...st.conditions.flatMap((c) => c.values)]) {
        for (const m of text.matchAll(/\$\{([^}',\s]+)/g)) if (m[1]!.includes(':')) add(m[1]!);
      }
      for (const c of st.conditions) add(c.key);
    }
  }
  return [...seen.values()];
}

/** GetContextKeysForCustomPolicy. */
export function getContextKeysForCustomPolicy(input: { policyInputList: string[] }): string[] {
  return contextKeysOf(inputPolicies(input.policyInputList, 'PolicyInputList', 'identity'));
}

/** GetContextKeysForPrincipalPolicy: the principal's policies (a user's include its groups') plus the given ones. */
export async function getContextKeysForPrincipalPolicy(
  deps: ServiceDeps,
  input: { policySourceArn: string; policyInputList?: string[] | undefined },
  ctx: RequestContext,
): Promise<string[]> {
  const loaded = await loadSource(deps, input.policySourceArn, ctx);
  return contextKeysOf([...loaded.identity, ...inputPolicies(input.policyInputList, 'PolicyInputList', 'identity')]);
}

/** SimulateCustomPolicy: only the given policies. */
export async function simulateCustomPolicy(
  deps: Pick<ServiceDeps, 'policyCache'>,
  input: SimulationInput & { policyInputList: string[] },
  ctx: RequestContext,
): Promise<SimulationPage> {
  const identity = inputPolicies(input.policyInputList, 'PolicyInputList', 'identity');
  const boundary = inputPolicies(input.permissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList', 'boundary');
  const resource = resourcePolicySource(input.resourcePolicy);
  checkCallerArn(input.callerArn);
  if (resource && input.callerArn === undefined) throw new InvalidInputError('CallerArn is required when ResourcePolicy is given.');
  // Without CallerArn the simulated caller is an anonymous user of the account, never the root (which AWS would allow anything).
  const principal: RequestPrincipal =
    input.callerArn !== undefined ? callerPrincipal(input.callerArn, ctx.caller.accountId) : { arn: `arn:aws:iam::${ctx.caller.accountId}:user/SimulatedUser`, accountId: ctx.caller.accountId };
  return simulate(deps.policyCache, { identity, boundary, resource }, principal, input, ctx);
}
