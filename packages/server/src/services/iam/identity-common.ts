/**
 * Small pieces the identity services (users, login profiles, access keys, groups, account) share:
 * lookups that answer AWS's NoSuchEntity wording, paging arguments, store-error translation and
 * tag checks.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { InvalidInputError, LimitExceededError, NoSuchEntityError, ValidationError } from '../../domain/errors.js';
import { StoreInvalidCursorError } from '../../store/store-errors.js';
import type { GroupRow, PageRequest, Store, Tag, UserRow } from '../../store/store.js';

/** `Marker`/`MaxItems` as the services take them. */
export interface PagingInput {
  marker?: string | undefined;
  maxItems?: number | undefined;
}

/** The store's page request for AWS's `Marker`/`MaxItems` (the model already bounds MaxItems to 1–1000). */
export function pageRequest(input: PagingInput): PageRequest {
  return { ...(input.marker !== undefined ? { marker: input.marker } : {}), ...(input.maxItems !== undefined ? { maxItems: input.maxItems } : {}) };
}

/** Runs a store listing, answering a marker the store did not issue as AWS's InvalidInput. */
export async function withMarker<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (err) {
    if (err instanceof StoreInvalidCursorError) throw new InvalidInputError('Invalid value for marker: the marker was not returned by a previous call.');
    throw err;
  }
}

/** AWS's `LimitExceeded` text for a quota, e.g. `Cannot exceed quota for AccessKeysPerUser: 2`. */
export function quotaExceeded(quotaName: string, limit: number): LimitExceededError {
  return new LimitExceededError(`Cannot exceed quota for ${quotaName}: ${limit}`);
}

/** NoSuchEntity for a user name, in AWS's words. */
export function noSuchUser(name: string): NoSuchEntityError {
  return new NoSuchEntityError(`The user with name ${name} cannot be found.`);
}

/** NoSuchEntity for a group name, in AWS's words. */
export function noSuchGroup(name: string): NoSuchEntityError {
  return new NoSuchEntityError(`The group with name ${name} cannot be found.`);
}

/** The user `name` of the caller's account, or NoSuchEntity. */
export async function requireUser(store: Store, accountId: string, name: string): Promise<UserRow> {
  const user = await store.getUserByName(accountId, name);
  if (!user) throw noSuchUser(name);
  return user;
}

/** The group `name` of the caller's account, or NoSuchEntity. */
export async function requireGroup(store: Store, accountId: string, name: string): Promise<GroupRow> {
  const group = await store.getGroupByName(accountId, name);
  if (!group) throw noSuchGroup(name);
  return group;
}

/**
 * The calling IAM user, read by its id: the name the caller authenticated with goes stale when the
 * user is renamed (and may since name another user). NoSuchEntity when the user was deleted since.
 */
export async function userOfCaller(store: Store, caller: RequestContext['caller']): Promise<UserRow> {
  const user = await store.getUserById(caller.principalId);
  if (!user) throw noSuchUser(caller.userName ?? caller.principalId);
  return user;
}

/**
 * Whose credentials an operation with an optional `UserName` acts on: the named user, or, without
 * a name, the caller itself (an IAM user, or the account root). Any other caller must name a user,
 * as AWS answers temporary credentials.
 */
export type CredentialSubject = { kind: 'user'; user: UserRow } | { kind: 'root' };

/** Resolves {@link CredentialSubject} for `userName` (or the caller when absent). */
export async function credentialSubject(store: Store, ctx: RequestContext, userName: string | undefined): Promise<CredentialSubject> {
  if (userName !== undefined) return { kind: 'user', user: await requireUser(store, ctx.caller.accountId, userName) };
  const caller = ctx.caller;
  if (caller.type === 'Root' && !caller.session) return { kind: 'root' };
  if (caller.type === 'IAMUser' && !caller.session) return { kind: 'user', user: await userOfCaller(store, caller) };
  throw new ValidationError('Must specify userName when calling with non-User credentials');
}

/**
 * The user an operation whose `UserName` AWS made optional acts on (the login-profile operations,
 * DeactivateMFADevice): the named user, or the calling IAM user. AWS lets root credentials omit the
 * name only in an AssumeRoot session, which Castellan does not issue, so the root must name a user;
 * AWS does not document that answer, so it is our ValidationError naming the member. Sessions get
 * {@link credentialSubject}'s answer, as for GetUser.
 */
export async function userOrCallingUser(store: Store, ctx: RequestContext, userName: string | undefined): Promise<UserRow> {
  const subject = await credentialSubject(store, ctx, userName);
  if (subject.kind === 'root') throw new ValidationError('Must specify userName when calling with root user credentials outside an AssumeRoot session');
  return subject.user;
}

/**
 * AWS's rules for tags given by a caller beyond the model's (which already bounds count, lengths
 * and characters): no key twice in one request, and no key in the reserved `aws:` namespace. Keys
 * compare case-sensitively on every taggable IAM resource but users and roles
 * ({@link checkUserOrRoleTags}), as the store keeps them.
 */
export function checkTags(tags: readonly Tag[]): void {
  checkTagKeys(tags, (key) => key, 'Duplicate tag keys found.');
}

/** {@link checkTags} for users and roles, whose tag keys compare case-insensitively. */
export function checkUserOrRoleTags(tags: readonly Tag[]): void {
  checkTagKeys(tags, (key) => key.toLowerCase(), 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
}

function checkTagKeys(tags: readonly Tag[], norm: (key: string) => string, duplicate: string): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.key.toLowerCase().startsWith('aws:')) throw new InvalidInputError(`The tag key ${tag.key} is not valid: keys that start with "aws:" are reserved for AWS use.`);
    const key = norm(tag.key);
    if (seen.has(key)) throw new InvalidInputError(duplicate);
    seen.add(key);
  }
}

/** The path of a user/group ARN's `${…NameWithPath}` part: `/a/b/` + `bob` -> `a/b/bob`. */
export function nameWithPath(path: string, name: string): string {
  return `${path.slice(1)}${name}`;
}
