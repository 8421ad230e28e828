/**
 * IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser and user tags, with AWS's
 * rules (paths, case-insensitive names, quotas, DeleteConflict checks) and wording.
 *
 * @module
 */
import { userArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { DeleteConflictError, EntityAlreadyExistsError, ValidationError } from '../../domain/errors.js';
import { StoreConflictError, StoreReferenceError } from '../../store/store-errors.js';
import type { Page, Tag, User } from '../../domain/iam-entities.js';
import type { Store, UserRow } from '../../store/store.js';
import { toPage, toTags, toUser } from './entity-views.js';
import type { ServiceDeps } from '../service-deps.js';
import { checkBoundaryPolicy } from './permissions-boundaries.js';
import { allEntityTags, listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { checkUserOrRoleTags, noSuchUser, pageRequest, quotaExceeded, requireUser, userOfCaller, withMarker, type PagingInput } from './identity-common.js';
import { userWithTagsOnce } from '../request-reads.js';

/** A user with its tags, as CreateUser and GetUser answer. */
export interface UserWithTags {
  user: User;
  tags: Tag[];
}

/** What GetUser answers for the account root, which is not an IAM user (AWS leaves out name and path). */
export interface RootUserView {
  root: true;
  accountId: string;
  arn: string;
  createDate: Date;
}

/** CreateUser. */
export async function createUser(
  deps: ServiceDeps,
  input: { userName: string; path?: string | undefined; permissionsBoundary?: string | undefined; tags?: Tag[] | undefined },
  ctx: RequestContext,
): Promise<UserWithTags> {
  const { store } = deps;
  const accountId = ctx.caller.accountId;
  const path = input.path ?? '/';
  const tags = input.tags ?? [];
  checkUserOrRoleTags(tags);
  if (input.permissionsBoundary !== undefined) await checkBoundaryPolicy(deps, accountId, input.permissionsBoundary);
  return store.transaction(async (tx) => {
    // The account row lock serializes count-then-insert for the per-account user quota.
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    if (await tx.getUserByName(accountId, input.userName)) throw userExists(input.userName);
    if ((await tx.countAccountEntities(accountId, 'users')) >= deps.quotas.usersPerAccount) throw quotaExceeded('UsersPerAccount', deps.quotas.usersPerAccount);
    let user: UserRow;
    try {
      user = await tx.createUser({
        accountId,
        id: deps.ids.uniqueId('AIDA'),
        name: input.userName,
        path,
        arn: userArn(accountId, path, input.userName),
        createDate: ctx.now,
        ...(input.permissionsBoundary !== undefined ? { permissionsBoundaryArn: input.permissionsBoundary } : {}),
      });
    } catch (err) {
      if (err instanceof StoreConflictError) throw userExists(input.userName);
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, USER_TAGS, user.id, tags);
    return { user: toUser(user), tags: toTags(tags) };
  });
}

/**
 * GetUser: the named user, or without a name the caller (an IAM user, or the account root, for
 * which AWS answers the account's id, root ARN and creation date).
 */
export async function getUser(deps: ServiceDeps, input: { userName?: string | undefined }, ctx: RequestContext): Promise<UserWithTags | RootUserView> {
  const { store } = deps;
  const accountId = ctx.caller.accountId;
  let user: UserRow;
  if (input.userName !== undefined) {
    const found = await userWithTagsOnce(deps, ctx, accountId, input.userName);
    if (!found) throw noSuchUser(input.userName);
    return { user: toUser(found.user), tags: toTags(found.tags) };
  } else if (ctx.caller.type === 'Root' && !ctx.caller.session) {
    const account = await store.getAccount(accountId);
    return { root: true, accountId, arn: ctx.caller.arn, createDate: account?.createDate ?? ctx.now };
  } else if (ctx.caller.type === 'IAMUser' && !ctx.caller.session) {
    // The caller itself (`aws iam get-user`): from the users cache by its name, as a named GetUser is,
    // while that name is still its own (the cache forgets a renamed or deleted user); by id otherwise.
    if (ctx.caller.userName !== undefined) {
      const found = await userWithTagsOnce(deps, ctx, accountId, ctx.caller.userName);
      if (found && found.user.id === ctx.caller.principalId) return { user: toUser(found.user), tags: toTags(found.tags) };
    }
    user = await userOfCaller(store, ctx.caller);
  } else {
    throw new ValidationError('Must specify userName when calling with non-User credentials');
  }
  return { user: toUser(user), tags: toTags(await allEntityTags(store, 'user', user.id)) };
}

/** ListUsers (AWS lists no tags or boundaries here). */
export async function listUsers(deps: ServiceDeps, input: { pathPrefix?: string | undefined } & PagingInput, ctx: RequestContext): Promise<Page<User>> {
  const page = await withMarker(() =>
    deps.store.listUsers({ accountId: ctx.caller.accountId, ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix } : {}), ...pageRequest(input) }),
  );
  return toPage(page, toUser);
}

/** UpdateUser: rename (`newUserName`) and/or move (`newPath`); keys, groups, policies and tags follow. */
export async function updateUser(
  deps: ServiceDeps,
  input: { userName: string; newUserName?: string | undefined; newPath?: string | undefined },
  ctx: RequestContext,
): Promise<User> {
  const { store } = deps;
  const accountId = ctx.caller.accountId;
  return store.transaction(async (tx) => {
    const user = await requireUser(tx, accountId, input.userName);
    const name = input.newUserName ?? user.name;
    const path = input.newPath ?? user.path;
    if (name.toLowerCase() !== user.name.toLowerCase() && (await tx.getUserByName(accountId, name))) throw userExists(name);
    try {
      const updated = await tx.updateUser(user.id, { name, path, arn: userArn(accountId, path, name) });
      if (!updated) throw noSuchUser(input.userName);
      return toUser(updated);
    } catch (err) {
      if (err instanceof StoreConflictError) throw userExists(name);
      throw err;
    }
  });
}

/**
 * DeleteUser. As in AWS, everything attached to the user must go first, each with its own
 * DeleteConflict message; the store's foreign keys back the checks up under races.
 */
export async function deleteUser(deps: ServiceDeps, input: { userName: string }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  await deps.store.transaction(async (tx) => {
    const user = await requireUser(tx, accountId, input.userName);
    await tx.lockForUpdate({ kind: 'user', id: user.id });
    await checkUserDeletable(tx, accountId, user);
    try {
      await tx.deleteUser(user.id);
    } catch (err) {
      if (err instanceof StoreReferenceError) throw new DeleteConflictError('Cannot delete entity, must remove referenced objects first.');
      throw err;
    }
  });
}

/**
 * The DeleteConflict rules of DeleteUser, in the order AWS's DeleteUser reference lists the items to
 * remove (password, access keys, signing certificate, SSH public key, Git credentials, MFA device,
 * inline policies, attached managed policies, group memberships;
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html), each
 * with the text AWS answers (AWS documents only that "the error message describes these entities";
 * these are its answers as its users recorded them): a signing certificate is "certificates"
 * (rebuy-de/aws-nuke#671), SSH public keys and service-specific credentials are the generic
 * "referenced objects" (aws-nuke#522 and #470, hashicorp/terraform-provider-aws#4176; aws-nuke
 * pull request #308), and a group membership reads as DeleteGroup's text (mozilla-services/userplex#17,
 * hashicorp/terraform#3774).
 */
async function checkUserDeletable(tx: Store, accountId: string, user: UserRow): Promise<void> {
  const conflict = (what: string) => new DeleteConflictError(`Cannot delete entity, must ${what} first.`);
  if (await tx.getLoginProfile(user.id)) throw conflict('delete login profile');
  if ((await tx.listAccessKeys({ accountId, owner: { kind: 'user', userId: user.id }, maxItems: 1 })).items.length > 0) throw conflict('delete access keys');
  if ((await tx.listSigningCertificates({ accountId, owner: { kind: 'user', userId: user.id }, maxItems: 1 })).items.length > 0) throw conflict('delete certificates');
  if ((await tx.listSshPublicKeys({ userId: user.id, maxItems: 1 })).items.length > 0) throw conflict('remove referenced objects');
  if ((await tx.listServiceSpecificCredentials({ userId: user.id })).length > 0) throw conflict('remove referenced objects');
  // A security key (FIDO) is an MFA device too.
  if ((await tx.listMfaDevices({ accountId, owner: { kind: 'user', userId: user.id }, maxItems: 1 })).items.length > 0) throw conflict('delete MFA device');
  if ((await tx.listSecurityKeys(user.id)).length > 0) throw conflict('delete MFA device');
  const entity = { kind: 'user' as const, id: user.id };
  if ((await tx.listInlinePolicies(entity, { maxItems: 1 })).items.length > 0) throw conflict('delete policies');
  if ((await tx.listAttachedPolicies(entity, { maxItems: 1 })).items.length > 0) throw conflict('detach all policies');
  if ((await tx.listGroupsForUser(user.id, { maxItems: 1 })).items.length > 0) throw conflict('remove users from group');
}

const USER_TAGS: TaggableKind = { kind: 'user', quotaName: 'TagsPerUser', checkTags: checkUserOrRoleTags, find: requireUser };

/** TagUser: adds or overwrites tags (keys compare case-insensitively on users), at most 50 in all. */
export async function tagUser(deps: ServiceDeps, input: { userName: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, USER_TAGS, input.userName, input.tags, ctx);
}

/** UntagUser: removes the keys present; absent keys are ignored, as in AWS. */
export async function untagUser(deps: ServiceDeps, input: { userName: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, USER_TAGS, input.userName, input.tagKeys, ctx);
}

/** ListUserTags, in the order the tags were added. */
export async function listUserTags(deps: ServiceDeps, input: { userName: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  return listEntityTags(deps, USER_TAGS, input.userName, input, ctx);
}

function userExists(name: string): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`User with name ${name} already exists.`);
}
