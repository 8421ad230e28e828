import type { IamDataCatalog } from '../catalog/iam-data-catalog.js';
import type { CompiledPolicyCache } from './authorization/compiled-policy-cache.js';
import type { AwsManagedPolicyCatalog } from './iam/aws-managed-policies.js';
import type { Ids } from '../domain/context.js';
import type { IamQuotas } from '../domain/quotas.js';
import type { Store } from '../store/store.js';
import type { Authorizer } from '../domain/ports/authorizer.js';
import type { SessionTokenCodec } from './credentials/session-token-codec.js';
import type { AuthorizationMessageCodec } from './sts/authorization-message-codec.js';
import type { OidcKeyResolver } from './credentials/oidc-key-sets.js';

/** What verifying identity providers' tokens needs (AssumeRoleWithWebIdentity, AssumeRoleWithSAML). */
export interface FederationDeps {
  /** The signing keys of OpenID Connect issuers, discovered and cached. */
  oidcKeys: OidcKeyResolver;
  /** Accept `http://` OpenID Connect issuers on loopback addresses (tests, local providers). */
  allowHttpLoopbackIssuers: boolean;
  /** Audiences and recipients SAML assertions may name besides AWS's sign-in endpoint. */
  samlAudiences: readonly string[];
}
import type { ServiceRequestAuthorizer } from './authorizer/service-request-authorizer.js';
import type { UserWithTagsCache } from './caching/user-with-tags-cache.js';

/**
 * What services and operations receive, complete and explicit: the store (bound to the request's
 * transaction for mutations), the id source, AWS's catalogue and managed policies, and the compiled
 * policy cache. Built once by the composition root (`main.ts`). Services hold no module state and
 * never reach for globals: everything they use is here or in the `RequestContext`.
 */
export interface ServiceDeps {
  store: Store;
  ids: Ids;
  /** AWS's actions, resource types and condition keys (the Service Authorization Reference). */
  catalog: IamDataCatalog;
  /** AWS-managed policies (`arn:aws:iam::aws:policy/…`), loaded once at start. */
  awsManagedPolicies: AwsManagedPolicyCatalog;
  /** Compiled policies, keyed by content: shared by the authorizer and the policy simulator. */
  policyCache: CompiledPolicyCache;
  /** Seals the session tokens of temporary credentials (STS) under the master key. */
  sessionTokens: SessionTokenCodec;
  /** Seals and opens the encoded messages of denials (sts:DecodeAuthorizationMessage). */
  authorizationMessages: AuthorizationMessageCodec;
  /** The IAM quotas this deployment enforces (AWS's defaults unless the settings raise them). */
  quotas: IamQuotas;
  /** Identity federation; without it, web identity tokens and SAML assertions are refused. */
  federation?: FederationDeps;
  /**
   * Decides the actions a caller asks about (castellan:GetCallerPermissions): the policy authorizer
   * itself, without the last-accessed recording around the pipeline's (asking is not using).
   */
  permissionChecks?: Authorizer;
  /** Decides requests other services received (castellan:AuthorizeRequest); wired by the composition root. */
  serviceRequests?: ServiceRequestAuthorizer;
  /**
   * Users by name with their tags, kept true by the change feed (`services/request-reads.ts`). It
   * reads the server's store itself, never through `store` (which may be a transaction's).
   */
  userReads?: UserWithTagsCache;
}

/** What reads policies needs: the store (or a transaction) and AWS's managed policies. */
export type PolicyReader = Pick<ServiceDeps, 'store' | 'awsManagedPolicies'>;
