/**
 * IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy,
 * UpdateRoleDescription, DeleteRole and role tags. The trust policy (AssumeRolePolicyDocument) is
 * validated as a trust policy within AWS's 2,048-character quota. Assuming roles is STS's part.
 *
 * @module
 */
import type { Policy } from '@castellan/policy';
import { roleArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { DeleteConflictError, EntityAlreadyExistsError, InvalidInputError, MalformedPolicyDocumentError } from '../../domain/errors.js';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import { StoreConflictError, StoreReferenceError } from '../../store/store-errors.js';
import type { Page, Role, Tag } from '../../domain/iam-entities.js';
import type { RoleRow, Store } from '../../store/store.js';
import { toPage, toRole, toTags } from './entity-views.js';
import type { ServiceDeps } from '../service-deps.js';
import { allEntityTags, listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { checkUserOrRoleTags, pageRequest, quotaExceeded, withMarker, type PagingInput } from './identity-common.js';
import { checkBoundaryPolicy } from './permissions-boundaries.js';
import { validatePolicyDocument } from './policy-documents.js';
import { noSuchRole } from './policy-entities.js';
import { refuseProtectedRole, refuseServiceLinkedRolePath } from './protected-roles.js';
import { pinTrustPrincipals, withShownTrust, withShownTrusts } from './trust-principals.js';

/** A role with its tags, as CreateRole and GetRole answer. */
export interface RoleWithTags {
  role: Role;
  tags: Tag[];
}

/** AWS's DeleteConflict text for a role in an instance profile, and for a profile holding a role. */
export const REMOVE_ROLES_FIRST = 'Cannot delete entity, must remove roles from instance profile first.';

function roleExists(name: string): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`Role with name ${name} already exists.`);
}

/** The role `name` of the account, or NoSuchEntity. */
export async function requireRole(store: Store, accountId: string, name: string): Promise<RoleRow> {
  const role = await store.getRoleByName(accountId, name);
  if (!role) throw noSuchRole(name);
  return role;
}

const IAM_PRINCIPAL_ARN = /^arn:aws:iam::(\d{12}):(root|user\/|role\/)(.*)$/;
const STS_PRINCIPAL_ARN = /^arn:aws:sts::(\d{12}):/;
/** A user's (`AIDA…`) or role's (`AROA…`) unique id, as IAM stores and shows them in a trust policy. */
const USER_OR_ROLE_ID = /^A(IDA|ROA)[A-Z2-7]{12,}$/;
/**
 * AWS service principals are DNS names of AWS in the `aws` partition (`ec2.amazonaws.com`,
 * `states.us-east-1.amazonaws.com`; AWS refuses `eks.amazonaws.com.cn` there). AWS also checks the
 * name against its list of services, which Castellan does not have: a well-formed unknown name passes.
 */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazon\.com)$/;

/**
 * AWS refuses a trust policy naming an AWS principal that does not exist (it stores IAM users and
 * roles by their unique ids): an account that is not one of this server's, a user or role ARN or
 * unique id that resolves to nothing (a deleted principal's id shown by GetRole among them); and a
 * service principal that is not an AWS service's name (`ec2` instead of `ec2.amazonaws.com`).
 * Federated principals are not checked. A unique id is accepted only for a user or role of the
 * role's own account: ids of other accounts are not shown to this one, so one written here would
 * otherwise come back as that principal's ARN (another account's principal is named by its ARN).
 */
async function checkTrustPrincipals(store: Store, accountId: string, policy: Policy): Promise<void> {
  for (const statement of policy.statements) {
    for (const spec of [statement.principal, statement.notPrincipal]) {
      for (const arn of spec?.aws ?? []) {
        if (arn === '*' || (await ownPrincipalIdExists(store, accountId, arn)) || (await principalExists(store, arn))) continue;
        throw new MalformedPolicyDocumentError(`Invalid principal in policy: "AWS":"${arn}"`);
      }
      for (const service of spec?.service ?? []) {
        if (!SERVICE_PRINCIPAL.test(service)) throw new MalformedPolicyDocumentError(`Invalid principal in policy: "SERVICE":"${service}"`);
      }
    }
  }
}

async function ownPrincipalIdExists(store: Store, accountId: string, value: string): Promise<boolean> {
  const m = USER_OR_ROLE_ID.exec(value);
  if (!m) return false;
  const row = m[1] === 'IDA' ? await store.getUserById(value) : await store.getRoleById(value);
  return row?.accountId === accountId;
}

async function principalExists(store: Store, arn: string): Promise<boolean> {
  const iam = IAM_PRINCIPAL_ARN.exec(arn);
  const accountId = iam?.[1] ?? STS_PRINCIPAL_ARN.exec(arn)?.[1];
  if (accountId === undefined || !(await store.getAccount(accountId))) return false;
  if (!iam || iam[2] === 'root') return true;
  const name = iam[3]!.slice(iam[3]!.lastIndexOf('/') + 1);
  const row = iam[2] === 'user/' ? await store.getUserByName(accountId, name) : await store.getRoleByName(accountId, name);
  return row !== undefined && row.arn === arn;
}

function checkMaxSessionDuration(seconds: number | undefined): void {
  if (seconds === undefined) return;
  if (!Number.isInteger(seconds) || seconds < IAM_QUOTAS.roleMaxSessionDurationMin || seconds > IAM_QUOTAS.roleMaxSessionDurationMax) {
    throw new InvalidInputError(
      `The requested MaxSessionDuration ${seconds} is not valid: it must be between ${IAM_QUOTAS.roleMaxSessionDurationMin} and ${IAM_QUOTAS.roleMaxSessionDurationMax} seconds.`,
    );
  }
}

const ROLE_TAGS: TaggableKind = { kind: 'role', quotaName: 'TagsPerRole', checkTags: checkUserOrRoleTags, find: requireRole };

/** CreateRole. */
export async function createRole(
  deps: ServiceDeps,
  input: {
    roleName: string;
    path?: string | undefined;
    assumeRolePolicyDocument: string;
    description?: string | undefined;
    maxSessionDuration?: number | undefined;
    permissionsBoundary?: string | undefined;
    tags?: Tag[] | undefined;
  },
  ctx: RequestContext,
): Promise<RoleWithTags> {
  const accountId = ctx.caller.accountId;
  const path = input.path ?? '/';
  const tags = input.tags ?? [];
  refuseServiceLinkedRolePath(path);
  checkUserOrRoleTags(tags);
  checkMaxSessionDuration(input.maxSessionDuration);
  const trust = validatePolicyDocument(deps, input.assumeRolePolicyDocument, 'trust');
  return deps.store.transaction(async (tx) => {
    await checkTrustPrincipals(tx, accountId, trust);
    if (input.permissionsBoundary !== undefined) await checkBoundaryPolicy({ ...deps, store: tx }, accountId, input.permissionsBoundary);
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    if (await tx.getRoleByName(accountId, input.roleName)) throw roleExists(input.roleName);
    if ((await tx.countAccountEntities(accountId, 'roles')) >= deps.quotas.rolesPerAccount) throw quotaExceeded('RolesPerAccount', deps.quotas.rolesPerAccount);
    let role: RoleRow;
    try {
      role = await tx.createRole({
        accountId,
        id: deps.ids.uniqueId('AROA'),
        name: input.roleName,
        path,
        arn: roleArn(accountId, path, input.roleName),
        createDate: ctx.now,
        assumeRolePolicyDocument: await pinTrustPrincipals(tx, input.assumeRolePolicyDocument),
        maxSessionDuration: input.maxSessionDuration ?? IAM_QUOTAS.roleMaxSessionDurationMin,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.permissionsBoundary !== undefined ? { permissionsBoundaryArn: input.permissionsBoundary } : {}),
      });
    } catch (err) {
      if (err instanceof StoreConflictError) throw roleExists(input.roleName);
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, ROLE_TAGS, role.id, tags);
    return { role: toRole(await withShownTrust(tx, role)), tags: toTags(tags) };
  });
}

/** GetRole: with tags, boundary and RoleLastUsed. */
export async function getRole(deps: ServiceDeps, input: { roleName: string }, ctx: RequestContext): Promise<RoleWithTags> {
  const role = await requireRole(deps.store, ctx.caller.accountId, input.roleName);
  return { role: toRole(await withShownTrust(deps.store, role)), tags: toTags(await allEntityTags(deps.store, 'role', role.id)) };
}

/** ListRoles (AWS lists no tags, boundaries or last use here). */
export async function listRoles(deps: ServiceDeps, input: { pathPrefix?: string | undefined } & PagingInput, ctx: RequestContext): Promise<Page<Role>> {
  const page = await withMarker(() =>
    deps.store.listRoles({ accountId: ctx.caller.accountId, ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix } : {}), ...pageRequest(input) }),
  );
  const shown = await withShownTrusts(deps.store, page.items);
  return toPage({ ...page, items: shown }, toRole);
}

/** UpdateRole: Description and/or MaxSessionDuration. */
export async function updateRole(
  deps: ServiceDeps,
  input: { roleName: string; description?: string | undefined; maxSessionDuration?: number | undefined },
  ctx: RequestContext,
): Promise<void> {
  checkMaxSessionDuration(input.maxSessionDuration);
  await deps.store.transaction(async (tx) => {
    const role = await requireRole(tx, ctx.caller.accountId, input.roleName);
    // A service-linked role's description may be edited; its session duration only by AWS.
    if (input.maxSessionDuration !== undefined) refuseProtectedRole(role);
    await tx.updateRole(role.id, {
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.maxSessionDuration !== undefined ? { maxSessionDuration: input.maxSessionDuration } : {}),
    });
  });
}

/** UpdateRoleDescription: returns the updated role. */
export async function updateRoleDescription(deps: ServiceDeps, input: { roleName: string; description: string }, ctx: RequestContext): Promise<RoleWithTags> {
  return deps.store.transaction(async (tx) => {
    const role = await requireRole(tx, ctx.caller.accountId, input.roleName);
    const updated = (await tx.updateRole(role.id, { description: input.description })) ?? role;
    return { role: toRole(await withShownTrust(tx, updated)), tags: toTags(await allEntityTags(tx, 'role', role.id)) };
  });
}

/** UpdateAssumeRolePolicy: replaces the trust policy. */
export async function updateAssumeRolePolicy(deps: ServiceDeps, input: { roleName: string; policyDocument: string }, ctx: RequestContext): Promise<void> {
  const trust = validatePolicyDocument(deps, input.policyDocument, 'trust');
  await deps.store.transaction(async (tx) => {
    await checkTrustPrincipals(tx, ctx.caller.accountId, trust);
    const role = await requireRole(tx, ctx.caller.accountId, input.roleName);
    refuseProtectedRole(role);
    await tx.updateRole(role.id, { assumeRolePolicyDocument: await pinTrustPrincipals(tx, input.policyDocument) });
  });
}

/** DeleteRole: inline policies must be deleted, managed policies detached and instance profiles left first. */
export async function deleteRole(deps: ServiceDeps, input: { roleName: string }, ctx: RequestContext): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const role = await requireRole(tx, ctx.caller.accountId, input.roleName);
    refuseProtectedRole(role);
    await tx.lockForUpdate({ kind: 'role', id: role.id });
    const entity = { kind: 'role' as const, id: role.id };
    if ((await tx.listInlinePolicies(entity, { maxItems: 1 })).items.length > 0) throw new DeleteConflictError('Cannot delete entity, must delete policies first.');
    if ((await tx.listAttachedPolicies(entity, { maxItems: 1 })).items.length > 0) throw new DeleteConflictError('Cannot delete entity, must detach all policies first.');
    if ((await tx.listInstanceProfilesForRole(role.id, { maxItems: 1 })).items.length > 0) throw new DeleteConflictError(REMOVE_ROLES_FIRST);
    try {
      await tx.deleteRole(role.id);
    } catch (err) {
      if (err instanceof StoreReferenceError) throw new DeleteConflictError('Cannot delete entity, must remove referenced objects first.');
      throw err;
    }
  });
}

/** TagRole: adds or overwrites tags (keys compare case-insensitively on roles), at most 50. */
export async function tagRole(deps: ServiceDeps, input: { roleName: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, ROLE_TAGS, input.roleName, input.tags, ctx);
}

/** UntagRole: absent keys are ignored. */
export async function untagRole(deps: ServiceDeps, input: { roleName: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, ROLE_TAGS, input.roleName, input.tagKeys, ctx);
}

/** ListRoleTags, in the order the tags were added. */
export async function listRoleTags(deps: ServiceDeps, input: { roleName: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  return listEntityTags(deps, ROLE_TAGS, input.roleName, input, ctx);
}
