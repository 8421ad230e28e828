/**
 * The real authorizer: decides every request with `@castellan/policy` over the caller's policies,
 * as AWS does. The account root may do anything in its own account (unless a Deny says otherwise);
 * an IAM user needs an identity-based allow (its own or its groups' inline and attached policies),
 * no explicit Deny, and its permissions boundary's allow; role sessions (STS) plug in through
 * `loadPrincipalPolicies`. Policies are compiled once per content and policy sets prepared once
 * per combination, so a request only reads the store and evaluates.
 *
 * @module
 */
import { evaluate, type AuthzRequest, type RequestPrincipal, type RequestPrincipalType } from '@castellan/policy';
import type { IamDataCatalog } from '../../catalog/iam-data-catalog.js';
import type { Principal, RequestContext } from '../../domain/context.js';
import type { AuthorizationDecision, AuthorizationRequest, Authorizer } from '../../domain/ports/authorizer.js';
import type { Store } from '../../store/store.js';
import type { AwsManagedPolicyCatalog } from '../iam/aws-managed-policies.js';
import type { CompiledPolicyCache, PolicySource } from './compiled-policy-cache.js';
import type { AuthorizationMessageCodec } from '../sts/authorization-message-codec.js';
import { federatingUserArnOf, loadPrincipalPolicies, type LoadedPolicy, type PrincipalPolicies } from './principal-policies.js';
import type { PrincipalPolicyCache } from './principal-policy-cache.js';
import type { PreparedPolicySet } from '@castellan/policy';

const ENGINE_TYPES: ReadonlySet<string> = new Set(['Root', 'IAMUser', 'AssumedRole', 'FederatedUser', 'WebIdentityUser', 'AWSService']);

const MAX_RESOURCE_SETS_PER_PRINCIPAL = 64;

/** A principal's prepared sets with a resource policy: by the policy's kind, its id, then its text; `count` in all. */
interface ResourceSets {
  count: number;
  byKindAndId: Map<string, Map<string, Map<string, PreparedPolicySet>>>;
}

/** A request's resource (or trust) policy as the compiled-policy cache takes it. */
function resourceSource(rp: NonNullable<AuthorizationRequest['resourcePolicy']>): PolicySource {
  return { kind: rp.kind, policyId: rp.policyId, name: rp.kind === 'trust' ? 'TrustPolicy' : 'ResourcePolicy', document: rp.document };
}

/**
 * The engine's view of the caller. A warm caller's principal and tags are the cached objects,
 * shared by its requests and never changed, so their view is built once (the engine only reads it).
 */
export function requestPrincipal(p: Principal, tags: Record<string, string>, loaded?: PrincipalPolicies): RequestPrincipal {
  const federatingUserArn = federatingUserArnOf(p, loaded);
  const known = requestPrincipals.get(p);
  if (known?.tags === tags && known.view.federatingUserArn === federatingUserArn) return known.view;
  const view: RequestPrincipal = { arn: p.arn, accountId: p.accountId, id: p.principalId };
  if (ENGINE_TYPES.has(p.type)) view.type = p.type as RequestPrincipalType;
  if (p.type === 'IAMUser' && p.userName) view.userName = p.userName;
  if (p.session?.issuerType === 'Role') view.roleArn = p.session.issuerArn;
  // A resource-based policy naming the IAM user who federated applies to its federated user sessions.
  else if (federatingUserArn !== undefined) view.federatingUserArn = federatingUserArn;
  if (p.federation) view.provider = p.federation.providerArn;
  view.tags = tags;
  requestPrincipals.set(p, { tags, view });
  return view;
}

/** `requestPrincipal`'s views, by principal object, with the tags object each was built with. */
const requestPrincipals = new WeakMap<Principal, { tags: Record<string, string>; view: RequestPrincipal }>();

/** `aws:PrincipalTag/<key>` and value of each tag; a cached principal's tags object is read once. */
function principalTagKeys(tags: Record<string, string>): ReadonlyArray<readonly [string, string]> {
  let keys = tagKeysOf.get(tags);
  if (!keys) {
    keys = Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v] as const);
    // Untagged callers (the root's `{}` is new on every call) are not remembered.
    if (keys.length > 0) tagKeysOf.set(tags, keys);
  }
  return keys;
}

/** By tags object: cached principals share theirs, which are replaced, never changed. */
const tagKeysOf = new WeakMap<Record<string, string>, ReadonlyArray<readonly [string, string]>>();

/** What {@link PolicyAuthorizer} reads: the store, AWS's catalogue, and the cache it shares with the policy simulator. */
export interface PolicyAuthorizerDeps {
  store: Store;
  catalog: IamDataCatalog;
  /** AWS's managed policies, for callers with `arn:aws:iam::aws:policy/…` attached. */
  awsManagedPolicies: AwsManagedPolicyCatalog;
  /** Shared with the policy simulator, so both compile a policy once. */
  policyCache: CompiledPolicyCache;
  /** Seals each denial's decision for sts:DecodeAuthorizationMessage; without it denials carry none. */
  authorizationMessages?: AuthorizationMessageCodec;
  /** The hot path's cache of principals and their policies; without it every request reads the store. */
  principalCache?: PrincipalPolicyCache;
}

/** Implements the {@link Authorizer} port with the engine. */
export class PolicyAuthorizer implements Authorizer {
  readonly cache: CompiledPolicyCache;
  /**
   * The prepared set of a cached principal's own policies (no session, no resource policy), by
   * the identity list of its cache entry: a warm principal's request hashes and looks up nothing.
   * The entry's list is replaced, never changed, when the principal changes.
   */
  readonly #preparedOwn = new WeakMap<LoadedPolicy[], PreparedPolicySet>();
  /**
   * The same for a request that brings a resource policy (AuthorizeRequest's bucket policy, a
   * role's trust policy), by the policy's kind and id, then its text: a warm principal asking about
   * the same resource policy hashes no document, and builds no key (a key joining the text was a
   * copy of the document per request). Bounded per principal.
   */
  readonly #preparedWithResource = new WeakMap<LoadedPolicy[], ResourceSets>();

  constructor(private readonly deps: PolicyAuthorizerDeps) {
    this.cache = deps.policyCache;
  }

  /** The engine's decision and the request it evaluated; a denial is a value, never a throw. */
  async authorize(ctx: RequestContext, request: AuthorizationRequest): Promise<AuthorizationDecision> {
    const { decision, authz } = await this.decide(ctx, request);
    const answer: AuthorizationDecision = { decision, evaluated: authz };
    if (decision.effect !== 'allow' && this.deps.authorizationMessages) {
      answer.encodedMessage = this.deps.authorizationMessages.encode(answer, ctx.caller, otherAccountsPolicy(request, authz, ctx.caller.accountId));
    }
    return answer;
  }

  /** The decision for a request (the simulator and tests use it). */
  async decide(ctx: RequestContext, request: AuthorizationRequest): Promise<{ decision: AuthorizationDecision['decision']; authz: AuthzRequest }> {
    const caller = ctx.caller;
    const loaded: PrincipalPolicies | undefined = await loadPrincipalPolicies(this.deps, caller, this.deps.principalCache);
    const tags = loaded?.tags ?? {};
    // The engine only reads the context: a caller without tags (most) has the request's own, uncopied.
    const tagKeys = principalTagKeys(tags);
    let context: AuthzRequest['context'] = request.context;
    if (tagKeys.length > 0) {
      context = { ...request.context };
      for (const [k, v] of tagKeys) context[k] ??= v;
    }
    const authz: AuthzRequest = {
      principal: requestPrincipal(caller, tags, loaded),
      action: request.action,
      resource: request.resource,
      context,
      now: ctx.now,
    };
    if (request.resourceNotNamed) authz.resourceNotNamed = true;
    const resourceAccount = request.resourceAccount ?? this.readOfAwsOwned(request, caller.accountId);
    if (resourceAccount) authz.resourceAccount = resourceAccount;
    if (!loaded) {
      // The caller's user or role was deleted after its credentials were issued: nothing allows it.
      return { decision: evaluate(authz, { identity: [] }), authz: { ...authz, principal: { ...authz.principal, type: 'IAMUser' } } };
    }
    if (!loaded.session && !request.resourcePolicy && this.deps.principalCache) {
      let own = this.#preparedOwn.get(loaded.identity);
      if (!own) {
        own = this.cache.prepare({ identity: loaded.identity, ...(loaded.boundary ? { boundary: loaded.boundary } : {}) });
        this.#preparedOwn.set(loaded.identity, own);
      }
      return { decision: evaluate(authz, own), authz };
    }
    if (!loaded.session && request.resourcePolicy && this.deps.principalCache) {
      const rp = request.resourcePolicy;
      let sets = this.#preparedWithResource.get(loaded.identity);
      if (!sets) this.#preparedWithResource.set(loaded.identity, (sets = { count: 0, byKindAndId: new Map() }));
      let byText = sets.byKindAndId.get(rp.kind)?.get(rp.policyId);
      let set = byText?.get(rp.document);
      if (!set) {
        set = this.cache.prepare({ identity: loaded.identity, ...(loaded.boundary ? { boundary: loaded.boundary } : {}), resource: [resourceSource(rp)] });
        if (sets.count >= MAX_RESOURCE_SETS_PER_PRINCIPAL) {
          sets.byKindAndId.clear();
          sets.count = 0;
          byText = undefined;
        }
        if (!byText) {
          let byId = sets.byKindAndId.get(rp.kind);
          if (!byId) sets.byKindAndId.set(rp.kind, (byId = new Map()));
          byId.set(rp.policyId, (byText = new Map()));
        }
        byText.set(rp.document, set);
        sets.count++;
      }
      return { decision: evaluate(authz, set), authz };
    }
    const set = this.cache.prepare({
      identity: loaded.identity,
      ...(loaded.boundary ? { boundary: loaded.boundary } : {}),
      ...(loaded.session ? { session: loaded.session } : {}),
      ...(request.resourcePolicy ? { resource: [resourceSource(request.resourcePolicy)] } : {}),
    });
    return { decision: evaluate(authz, set), authz };
  }

  /**
   * AWS-managed policies live in the `aws` account but every account may read them (GetPolicy,
   * GetPolicyVersion, ListEntitiesForPolicy…): reads are decided as in the caller's account;
   * writes stay cross-account and are refused.
   */
  private readOfAwsOwned(request: AuthorizationRequest, accountId: string): string | undefined {
    if (!request.resource.startsWith('arn:aws:iam::aws:')) return undefined;
    const level = this.deps.catalog.action(request.action)?.accessLevel;
    return level === 'Read' || level === 'List' ? accountId : undefined;
  }
}

/**
 * The resource policy of a request on another account's resource (a role's trust policy, a
 * bucket's policy): its statements are that account's, so the caller's sealed message leaves them out.
 */
function otherAccountsPolicy(request: AuthorizationRequest, authz: AuthzRequest, callerAccount: string): string | undefined {
  const rp = request.resourcePolicy;
  if (!rp) return undefined;
  const account = authz.resourceAccount ?? /^arn:[^:]*:[^:]*:[^:]*:([^:]+):/.exec(authz.resource)?.[1];
  return account !== undefined && account !== callerAccount ? rp.policyId : undefined;
}
