import type { Page, PageRequest } from './paging.js';

/** A resource that carries tags (`mfa`: a virtual MFA device, by serial number). More kinds (OIDC providers) come later. */
export type TagTarget = { kind: 'user' | 'role' | 'policy' | 'mfa' | 'server-certificate' | 'instanceProfile' | 'oidc-provider' | 'saml-provider'; id: string };

/** One tag. */
export interface Tag {
  key: string;
  value: string;
}

/**
 * Tags, kept in the order they were first added. AWS compares tag keys case-insensitively on users
 * and roles (`Department` and `department` are one key, case preserved) and case-sensitively on
 * customer managed policies and other types (IAM User Guide, "Tagging IAM resources", Case
 * sensitivity); the store applies the rule of the target's kind.
 */
export interface TagStore {
  /** `List{User,Role,Policy}Tags`, in insertion order. */
  listTags(target: TagTarget, page?: PageRequest): Promise<Page<Tag>>;
  /** Every tag of each target (one page of a listing that shows tags), in insertion order, by target id; an untagged target is absent. */
  listAllTags(targets: TagTarget[]): Promise<Map<string, Tag[]>>;
  /**
   * `Tag…` (and tags given at creation): adds tags, replacing the value (and key spelling) of an
   * existing key while keeping its position. Atomically refuses with `StoreLimitError` (quota
   * `tagsPerResource`) when the result would exceed `maxTags`. Default `maxTags` is `50`.
   */
  putTags(target: TagTarget, tags: Tag[], options?: { maxTags?: number }): Promise<void>;
  /** `Untag…`: removes the keys present (by the kind's case rule); returns how many were removed. */
  removeTags(target: TagTarget, keys: string[]): Promise<number>;
}
