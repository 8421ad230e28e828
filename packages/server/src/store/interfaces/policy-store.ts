import type { NamedEntityRow } from './named-entity.js';
import type { Page, PageRequest, PathPageRequest } from './paging.js';
import type { EntityRef, PrincipalEntityKind } from './principal-entity.js';

/**
 * A customer managed policy (id `ANPA…`). AWS-managed policies are not rows (services serve them
 * from a package).
 */
export interface ManagedPolicyRow extends NamedEntityRow {
  description?: string;
  /** `v1`, `v2`, … */
  defaultVersionId: string;
  /** As AWS defines it: the creation date of the policy's most recent version. */
  updateDate: Date;
  /** Users, groups and roles it is attached to (computed, never stale). */
  attachmentCount: number;
  /** Users and roles that use it as permissions boundary (computed). */
  permissionsBoundaryUsageCount: number;
}

/** Input of `createPolicy`: the policy and the document of its first version. */
export interface NewManagedPolicy extends NamedEntityRow {
  description?: string;
  /** The policy document as JSON text (not URL-encoded). */
  document: string;
}

/** One version of a customer managed policy. */
export interface PolicyVersionRow {
  policyId: string;
  /** `v1`, `v2`, …: assigned by the store, never reused for the same policy. */
  versionId: string;
  /** The policy document as JSON text (not URL-encoded). */
  document: string;
  isDefaultVersion: boolean;
  createDate: Date;
}

/** A managed policy (customer or AWS) attached to a user, group or role. */
export interface PolicyAttachmentRow {
  accountId: string;
  entity: EntityRef;
  policyArn: string;
  /** The last segment of the ARN's resource. */
  policyName: string;
  /** The path part of the ARN's resource, `/` when none. */
  policyPath: string;
}

/** Attachment and boundary use of one policy ARN in an account. */
export interface PolicyUsage {
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
}

/** `PolicyUsageFilter` of `ListPolicies`/`ListEntitiesForPolicy`. */
export type PolicyUsageFilter = 'PermissionsPolicy' | 'PermissionsBoundary';

/** Customer managed policies and their versions. */
export interface ManagedPolicyStore {
  /**
   * `CreatePolicy`: the policy and its default version `v1` holding `document`. Throws
   * `StoreConflictError` if the name exists in the account (any case; AWS ignores the path here).
   */
  createPolicy(input: NewManagedPolicy): Promise<ManagedPolicyRow>;
  /** A customer managed policy by ARN (exact). */
  getPolicyByArn(arn: string): Promise<ManagedPolicyRow | undefined>;
  /** By unique id. */
  getPolicyById(id: string): Promise<ManagedPolicyRow | undefined>;
  /**
   * `ListPolicies` for `Scope=Local`: ordered by name. `onlyAttached` keeps policies with at least
   * one attachment; `usageFilter` keeps those used as permissions policy (attached) or as boundary.
   * For `Scope=AWS|All` services merge in AWS-managed ones with `getPolicyUsage`.
   */
  listPolicies(req: { accountId: string; onlyAttached?: boolean; usageFilter?: PolicyUsageFilter } & PathPageRequest): Promise<Page<ManagedPolicyRow>>;
  /**
   * `DeletePolicy`: the policy, all its versions and tags. `StoreReferenceError` while it is
   * attached. Services check the AWS preconditions (no attachments, only the default version left).
   */
  deletePolicy(policyId: string): Promise<boolean>;
  /**
   * `CreatePolicyVersion`: assigns the next version id (`v<n+1>`, n = highest ever assigned) and,
   * with `setAsDefault`, makes it the default. Atomically refuses with
   * `StoreLimitError` (quota `policyVersions`) when the policy already has `maxVersions` versions.
   * Default `maxVersions` is `5` (AWS's quota).
   */
  createPolicyVersion(input: { policyId: string; document: string; setAsDefault: boolean; createDate: Date; maxVersions?: number }): Promise<PolicyVersionRow>;
  /** `GetPolicyVersion`. `versionId` compares exactly (`v1`). */
  getPolicyVersion(policyId: string, versionId: string): Promise<PolicyVersionRow | undefined>;
  /** `ListPolicyVersions`: newest first. */
  listPolicyVersions(policyId: string, page?: PageRequest): Promise<Page<PolicyVersionRow>>;
  /** Every version of each policy (one page of GetAccountAuthorizationDetails), newest first, by policy id; a policy without versions is absent. */
  listAllPolicyVersions(policyIds: string[]): Promise<Map<string, PolicyVersionRow[]>>;
  /** `DeletePolicyVersion`. Never deletes the default version: returns `false` for it (and for a missing one). */
  deletePolicyVersion(policyId: string, versionId: string): Promise<boolean>;
  /** `SetDefaultPolicyVersion`: `false` if the version does not exist. */
  setDefaultPolicyVersion(policyId: string, versionId: string): Promise<boolean>;
  /**
   * The default version documents of customer managed policies by ARN (authorization): ARNs
   * without a row (AWS-managed, or deleted) are simply absent from the map.
   */
  getDefaultPolicyDocuments(arns: string[]): Promise<Map<string, { policyId: string; versionId: string; document: string }>>;
}

/** Attachments of managed policies (customer and AWS) to users, groups and roles, and their usage. */
export interface PolicyAttachmentStore {
  /**
   * `Attach{User,Group,Role}Policy`, for customer and AWS-managed ARNs alike (a customer ARN is
   * linked to its row by a foreign key, so the policy cannot be deleted while attached).
   * Idempotent as in AWS: `false` when already attached. With `maxAttached`, atomically refuses
   * (`StoreLimitError` quota `attachedPoliciesPerEntity`) an entity that already has that many.
   */
  attachPolicy(input: { accountId: string; entity: EntityRef; policyArn: string; maxAttached?: number }): Promise<boolean>;
  /** `Detach…Policy`; `false` if it was not attached. */
  detachPolicy(input: { entity: EntityRef; policyArn: string }): Promise<boolean>;
  /** `ListAttached{User,Group,Role}Policies`: ordered by policy name; `pathPrefix` filters the policy path. */
  listAttachedPolicies(entity: EntityRef, page?: PathPageRequest): Promise<Page<PolicyAttachmentRow>>;
  /** Every attachment of the given entities, unpaged (authorization of a user and its groups). */
  listAllAttachedPolicies(entities: EntityRef[]): Promise<PolicyAttachmentRow[]>;
  /**
   * `ListEntitiesForPolicy`: users, groups and roles using `policyArn` (attached, or as boundary
   * with `usageFilter: 'PermissionsBoundary'`; both when no filter), ordered by kind
   * (group, role, user) then name. `pathPrefix` filters the entity path.
   */
  listEntitiesForPolicy(req: {
    accountId: string;
    policyArn: string;
    entityFilter?: PrincipalEntityKind;
    usageFilter?: PolicyUsageFilter;
  } & PathPageRequest): Promise<Page<{ kind: PrincipalEntityKind; id: string; name: string; path: string }>>;
  /**
   * Usage counts per policy ARN in an account (customer or AWS-managed), for `ListPolicies`
   * `Scope=AWS` and `GetPolicy` of AWS-managed policies. Without `arns`, every ARN used in the
   * account (attached or as a boundary) is returned; with `{ prefix }`, every used ARN that starts
   * with it (the AWS-managed ones, without reading the customer policies' usage out); unused ARNs
   * are absent.
   */
  getPolicyUsage(accountId: string, arns?: string[] | { prefix: string }): Promise<Map<string, PolicyUsage>>;
}

/** Customer managed policies, their versions, and attachments of any managed policy. */
export interface PolicyStore extends ManagedPolicyStore, PolicyAttachmentStore {}
