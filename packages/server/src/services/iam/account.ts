/**
 * Account-level IAM: GetAccountSummary, the account alias (Create/Delete/ListAccountAliases) and
 * GetAccountAuthorizationDetails.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError } from '../../domain/errors.js';
import { StoreConflictError } from '../../store/store-errors.js';
import type { AttachedPolicy, Group, InlinePolicy, InstanceProfile, ManagedPolicy, Page, PolicyVersion, Role, Tag, User } from '../../domain/iam-entities.js';
import type { Page as RowPage } from '../../store/store.js';
import type { PolicyReader, ServiceDeps } from '../service-deps.js';
import { AWS_MANAGED_POLICY_PREFIX, isAwsManagedPolicyArn, type AwsManagedPolicy } from './aws-managed-policies.js';
import { toAttachedPolicy, toGroup, toInlinePolicy, toInstanceProfile, toPolicyVersion, toRole, toTags, toUser } from './entity-views.js';
import { pageRequest, withMarker, type PagingInput } from './identity-common.js';
import { awsView, customerView } from './managed-policies.js';
import { mfaUsage } from './mfa-devices.js';
import { withShownTrusts } from './trust-principals.js';

// Quotas GetAccountSummary reports that `IamQuotas` does not list (AWS's defaults).
const POLICY_VERSIONS_IN_USE_QUOTA = 10000;
// SetSecurityTokenServicePreferences' values and the number GetAccountSummary reports for each.
const TOKEN_VERSIONS = { v1Token: 1, v2Token: 2 } as const;
/** `v1Token` (AWS's default: valid only in the regions enabled by default) or `v2Token`. */
export type GlobalEndpointTokenVersion = keyof typeof TOKEN_VERSIONS;

/**
 * GetAccountSummary's SummaryMap: every key AWS's model lists, plus the role, instance profile
 * and provider entries AWS's answers carry (`Providers`: the OIDC providers; SAML providers are
 * not built).
 */
export async function getAccountSummary(deps: ServiceDeps, _input: Record<string, never>, ctx: RequestContext): Promise<Record<string, number>> {
  const usage = await deps.store.getAccountUsage(ctx.caller.accountId);
  const mfa = await mfaUsage(deps.store, ctx.caller.accountId);
  const serverCertificates = await deps.store.countServerCertificates(ctx.caller.accountId);
  const settings = accountSettings((await deps.store.getAccount(ctx.caller.accountId))?.settingsJson);
  const rootSigningCertificates = await deps.store.listSigningCertificates({ accountId: ctx.caller.accountId, owner: { kind: 'root' }, maxItems: 1 });
  return {
    Users: usage.users,
    UsersQuota: deps.quotas.usersPerAccount,
    Groups: usage.groups,
    GroupsQuota: deps.quotas.groupsPerAccount,
    Roles: usage.roles,
    RolesQuota: deps.quotas.rolesPerAccount,
    InstanceProfiles: await deps.store.countInstanceProfiles(ctx.caller.accountId),
    InstanceProfilesQuota: deps.quotas.instanceProfilesPerAccount,
    Providers: (await deps.store.countOidcProviders(ctx.caller.accountId)) + (await deps.store.countSamlProviders(ctx.caller.accountId)),
    ServerCertificates: serverCertificates,
    ServerCertificatesQuota: deps.quotas.serverCertificatesPerAccount,
    UserPolicySizeQuota: deps.quotas.userInlinePolicyChars,
    GroupPolicySizeQuota: deps.quotas.groupInlinePolicyChars,
    RolePolicySizeQuota: deps.quotas.roleInlinePolicyChars,
    AssumeRolePolicySizeQuota: deps.quotas.trustPolicyChars,
    GroupsPerUserQuota: deps.quotas.groupsPerUser,
    SigningCertificatesPerUserQuota: deps.quotas.signingCertificatesPerUser,
    AccessKeysPerUserQuota: deps.quotas.accessKeysPerUser,
    MFADevices: mfa.devices,
    MFADevicesInUse: mfa.inUse,
    AccountMFAEnabled: mfa.rootEnabled ? 1 : 0,
    AccountAccessKeysPresent: usage.rootAccessKeys > 0 ? 1 : 0,
    AccountSigningCertificatesPresent: rootSigningCertificates.items.length > 0 ? 1 : 0,
    AttachedPoliciesPerGroupQuota: deps.quotas.managedPoliciesPerGroup,
    AttachedPoliciesPerRoleQuota: deps.quotas.managedPoliciesPerRole,
    AttachedPoliciesPerUserQuota: deps.quotas.managedPoliciesPerUser,
    Policies: usage.policies,
    PoliciesQuota: deps.quotas.customerManagedPoliciesPerAccount,
    PolicySizeQuota: deps.quotas.managedPolicyChars,
    PolicyVersionsInUse: usage.policyVersionsInUse,
    PolicyVersionsInUseQuota: POLICY_VERSIONS_IN_USE_QUOTA,
    VersionsPerPolicyQuota: deps.quotas.policyVersionsPerPolicy,
    GlobalEndpointTokenVersion: TOKEN_VERSIONS[settings.globalEndpointTokenVersion ?? 'v1Token'],
  };
}

/** The account's server-side settings (the accounts row's `settings` JSON object). */
interface AccountSettings {
  globalEndpointTokenVersion?: GlobalEndpointTokenVersion;
}

/**
 * The settings object of an accounts row, read defensively: text that is not a JSON object, or a
 * value that is not one of the known ones, counts as unset (GetAccountSummary then reports the
 * default), so a damaged row never fails GetAccountSummary nor drops its key.
 */
export function accountSettings(json: string | undefined): AccountSettings & Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = json ? JSON.parse(json) : {};
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const { globalEndpointTokenVersion, ...rest } = parsed as Record<string, unknown>;
  return typeof globalEndpointTokenVersion === 'string' && Object.hasOwn(TOKEN_VERSIONS, globalEndpointTokenVersion)
    ? { ...rest, globalEndpointTokenVersion: globalEndpointTokenVersion as GlobalEndpointTokenVersion }
    : rest;
}

/**
 * SetSecurityTokenServicePreferences: the account's STS global-endpoint token version, as
 * GetAccountSummary reports it. Castellan's session tokens are the same whichever version is set
 * (they are valid in every region either way; see the README), so it changes nothing else.
 */
export async function setSecurityTokenServicePreferences(deps: ServiceDeps, input: { globalEndpointTokenVersion: GlobalEndpointTokenVersion }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  await deps.store.transaction(async (tx) => {
    // Read-modify-write of the settings object: other settings written meanwhile are kept.
    // A caller whose account row is gone (deleted meanwhile) must not be told the setting was saved.
    if (!(await tx.lockForUpdate({ kind: 'account', id: accountId }))) throw accountNotFound(accountId);
    const settings = accountSettings((await tx.getAccount(accountId))?.settingsJson);
    const updated = await tx.updateAccount(accountId, { settingsJson: JSON.stringify({ ...settings, globalEndpointTokenVersion: input.globalEndpointTokenVersion }) });
    if (!updated) throw accountNotFound(accountId);
  });
}

function accountNotFound(accountId: string): NoSuchEntityError {
  return new NoSuchEntityError(`The account ${accountId} cannot be found.`);
}

/**
 * CreateAccountAlias. Aliases are unique across all accounts. An account has at most one: creating
 * another replaces it, as AWS does (observed on a live account, floci-io/floci#2103); the same alias
 * again is a no-op (AWS's answer to that is undocumented). A taken alias is EntityAlreadyExists
 * "The account alias NAME already exists.", AWS's text (awslabs/aws-deployment-framework#465).
 */
export async function createAccountAlias(deps: ServiceDeps, input: { accountAlias: string }, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  const alias = input.accountAlias;
  // A 12-digit alias would read as an account id in sign-in URLs (AWS refuses it too).
  if (/^\d{12}$/.test(alias)) throw new InvalidInputError(`The account alias ${alias} is not valid: an alias cannot be a 12-digit number.`);
  await deps.store.transaction(async (tx) => {
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    const current = await tx.listAccountAliases(accountId);
    if (current.includes(alias)) return;
    const owner = await tx.getAccountIdByAlias(alias);
    if (owner !== undefined) throw aliasTaken(alias);
    for (const old of current) await tx.deleteAccountAlias(accountId, old);
    try {
      await tx.createAccountAlias(accountId, alias, ctx.now);
    } catch (err) {
      if (err instanceof StoreConflictError) throw aliasTaken(alias);
      throw err;
    }
  });
}

/** DeleteAccountAlias. */
export async function deleteAccountAlias(deps: ServiceDeps, input: { accountAlias: string }, ctx: RequestContext): Promise<void> {
  if (!(await deps.store.deleteAccountAlias(ctx.caller.accountId, input.accountAlias))) {
    throw new NoSuchEntityError(`The account alias ${input.accountAlias} cannot be found.`);
  }
}

/** ListAccountAliases (at most one alias, so paging only ever has one page of it). */
export async function listAccountAliases(deps: ServiceDeps, input: PagingInput, ctx: RequestContext): Promise<Page<string>> {
  const aliases = await deps.store.listAccountAliases(ctx.caller.accountId);
  const start = input.marker !== undefined ? decodeOffset(input.marker) : 0;
  const max = input.maxItems ?? 100;
  const items = aliases.slice(start, start + max);
  const more = start + max < aliases.length;
  return { items, isTruncated: more, ...(more ? { marker: encodeOffset(start + max) } : {}) };
}

function aliasTaken(alias: string): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`The account alias ${alias} already exists.`);
}

// ---------------------------------------------------------------------------------------------
// GetAccountAuthorizationDetails
// ---------------------------------------------------------------------------------------------

/** The entity kinds of GetAccountAuthorizationDetails' `Filter`, in the order they are listed. */
export type AuthorizationDetailsKind = 'User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

const KINDS: readonly AuthorizationDetailsKind[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

/** A user with everything that grants it permissions. */
export interface UserAuthorizationDetail {
  user: User;
  inlinePolicies: InlinePolicy[];
  groupNames: string[];
  attached: AttachedPolicy[];
  tags: Tag[];
}

/** A group with its policies. */
export interface GroupAuthorizationDetail {
  group: Group;
  inlinePolicies: InlinePolicy[];
  attached: AttachedPolicy[];
}

/** A role with its policies and the instance profiles holding it. */
export interface RoleAuthorizationDetail {
  role: Role;
  instanceProfiles: InstanceProfile[];
  inlinePolicies: InlinePolicy[];
  attached: AttachedPolicy[];
  tags: Tag[];
}

/**
 * A managed policy with its versions: every version of a customer policy; the default version
 * only of an AWS-managed one (with the account's usage counts).
 */
export interface PolicyAuthorizationDetail {
  policy: ManagedPolicy;
  versions: PolicyVersion[];
}

/** One page of GetAccountAuthorizationDetails. */
export interface AuthorizationDetailsPage {
  users: UserAuthorizationDetail[];
  groups: GroupAuthorizationDetail[];
  roles: RoleAuthorizationDetail[];
  localPolicies: PolicyAuthorizationDetail[];
  awsPolicies: PolicyAuthorizationDetail[];
  isTruncated: boolean;
  marker?: string;
}

/** Where a page of GetAccountAuthorizationDetails stopped: the section and that section's own marker. */
interface DetailsCursor {
  section: number;
  marker?: string;
}

/**
 * GetAccountAuthorizationDetails: users, groups, roles, customer managed policies and the
 * AWS-managed policies attached in the account (as AWS lists them), filtered by `filter` and paged
 * across all sections with one `Marker`.
 */
export async function getAccountAuthorizationDetails(
  deps: ServiceDeps,
  input: { filter?: AuthorizationDetailsKind[] | undefined } & PagingInput,
  ctx: RequestContext,
): Promise<AuthorizationDetailsPage> {
  const accountId = ctx.caller.accountId;
  const wanted = input.filter && input.filter.length > 0 ? new Set(input.filter) : new Set(KINDS);
  const sections = KINDS.map((k, i) => ({ kind: k, index: i })).filter((s) => wanted.has(s.kind));
  const cursor = input.marker !== undefined ? decodeDetailsCursor(input.marker) : { section: sections[0]?.index ?? KINDS.length };
  const out: AuthorizationDetailsPage = { users: [], groups: [], roles: [], localPolicies: [], awsPolicies: [], isTruncated: false };
  let remaining = input.maxItems ?? 100;

  for (const section of sections) {
    if (section.index < cursor.section) continue;
    const marker = section.index === cursor.section ? cursor.marker : undefined;
    if (remaining === 0) {
      // Only report truncation when a later section really has something left.
      if ((await listSection(deps, accountId, section.kind, { maxItems: 1 }, out, true)).count > 0) {
        out.isTruncated = true;
        out.marker = encodeDetailsCursor({ section: section.index });
        return out;
      }
      continue;
    }
    const page = await listSection(deps, accountId, section.kind, { ...(marker !== undefined ? { marker } : {}), maxItems: remaining }, out, false);
    remaining -= page.count;
    if (page.marker !== undefined) {
      out.isTruncated = true;
      out.marker = encodeDetailsCursor({ section: section.index, marker: page.marker });
      return out;
    }
  }
  return out;
}

/**
 * Lists one section into `out` (or only counts it with `probe`); returns the count and the
 * section's next marker. The page's related rows (policies, groups, tags, versions, profiles) are
 * read in one query each for the whole page, so a page costs the same in any size of account.
 */
async function listSection(
  { store, awsManagedPolicies }: PolicyReader,
  accountId: string,
  kind: AuthorizationDetailsKind,
  page: PagingInput,
  out: AuthorizationDetailsPage,
  probe: boolean,
): Promise<{ count: number; marker?: string }> {
  const result = <T>(p: RowPage<T>, items: number) => ({ count: items, ...(p.isTruncated && p.marker !== undefined ? { marker: p.marker } : {}) });
  switch (kind) {
    case 'User': {
      const p = await withMarker(() => store.listUsers({ accountId, ...pageRequest(page) }));
      if (!probe && p.items.length > 0) {
        const refs = p.items.map((u) => ({ kind: 'user' as const, id: u.id }));
        const [inline, groups, attached, tags] = await Promise.all([
          store.listAllInlinePolicies(refs).then(byEntity),
          store.listAllGroupsForUsers(p.items.map((u) => u.id)),
          store.listAllAttachedPolicies(refs).then(byEntity),
          store.listAllTags(refs),
        ]);
        for (const user of p.items) {
          out.users.push({
            user: toUser(user),
            inlinePolicies: (inline.get(user.id) ?? []).map(toInlinePolicy),
            groupNames: (groups.get(user.id) ?? []).map((g) => g.name),
            attached: (attached.get(user.id) ?? []).map(toAttachedPolicy),
            tags: toTags(tags.get(user.id) ?? []),
          });
        }
      }
      return result(p, p.items.length);
    }
    case 'Group': {
      const p = await withMarker(() => store.listGroups({ accountId, ...pageRequest(page) }));
      if (!probe && p.items.length > 0) {
        const refs = p.items.map((g) => ({ kind: 'group' as const, id: g.id }));
        const [inline, attached] = await Promise.all([store.listAllInlinePolicies(refs).then(byEntity), store.listAllAttachedPolicies(refs).then(byEntity)]);
        for (const group of p.items) {
          out.groups.push({
            group: toGroup(group),
            inlinePolicies: (inline.get(group.id) ?? []).map(toInlinePolicy),
            attached: (attached.get(group.id) ?? []).map(toAttachedPolicy),
          });
        }
      }
      return result(p, p.items.length);
    }
    case 'Role': {
      const p = await withMarker(() => store.listRoles({ accountId, ...pageRequest(page) }));
      if (!probe && p.items.length > 0) {
        const refs = p.items.map((r) => ({ kind: 'role' as const, id: r.id }));
        const [profiles, inline, attached, tags] = await Promise.all([
          store.listAllInstanceProfilesForRoles(p.items.map((r) => r.id)),
          store.listAllInlinePolicies(refs).then(byEntity),
          store.listAllAttachedPolicies(refs).then(byEntity),
          store.listAllTags(refs),
        ]);
        const shown = await withShownTrusts(store, p.items);
        for (const role of shown) {
          out.roles.push({
            role: toRole(role),
            instanceProfiles: (profiles.get(role.id) ?? []).map((profile) => toInstanceProfile(profile, [role])),
            inlinePolicies: (inline.get(role.id) ?? []).map(toInlinePolicy),
            attached: (attached.get(role.id) ?? []).map(toAttachedPolicy),
            tags: toTags(tags.get(role.id) ?? []),
          });
        }
      }
      return result(p, p.items.length);
    }
    case 'LocalManagedPolicy': {
      const p = await withMarker(() => store.listPolicies({ accountId, ...pageRequest(page) }));
      if (!probe && p.items.length > 0) {
        const versions = await store.listAllPolicyVersions(p.items.map((policy) => policy.id));
        for (const policy of p.items) {
          out.localPolicies.push({ policy: customerView(policy), versions: (versions.get(policy.id) ?? []).map(toPolicyVersion) });
        }
      }
      return result(p, p.items.length);
    }
    case 'AWSManagedPolicy': {
      // Only the AWS-managed policies' usage: the customer policies' is not read out at all.
      const usage = await store.getPolicyUsage(accountId, { prefix: AWS_MANAGED_POLICY_PREFIX });
      const used = [...usage.entries()]
        .filter(([arn, u]) => isAwsManagedPolicyArn(arn) && u.attachmentCount > 0)
        .map(([arn, u]) => ({ policy: awsManagedPolicies.get(arn), usage: u }))
        .filter((e): e is { policy: AwsManagedPolicy; usage: typeof e.usage } => e.policy !== undefined)
        .sort((a, b) => a.policy.name.toLowerCase().localeCompare(b.policy.name.toLowerCase()) || a.policy.arn.localeCompare(b.policy.arn));
      const start = page.marker !== undefined ? decodeOffset(page.marker) : 0;
      const max = page.maxItems ?? 100;
      const items = used.slice(start, start + max);
      if (!probe) out.awsPolicies.push(...items.map(({ policy, usage }) => awsPolicyDetail(policy, usage)));
      return { count: items.length, ...(start + max < used.length ? { marker: encodeOffset(start + max) } : {}) };
    }
  }
}

/** Rows of several entities grouped by entity id, each group in the order given. */
function byEntity<R extends { entity: { id: string } }>(rows: R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const row of rows) {
    const list = out.get(row.entity.id);
    if (list) list.push(row);
    else out.set(row.entity.id, [row]);
  }
  return out;
}

/** An AWS-managed policy lists its default version only (the package carries older documents on demand). */
function awsPolicyDetail(policy: AwsManagedPolicy, usage: Parameters<typeof awsView>[1]): PolicyAuthorizationDetail {
  const createDate = policy.versions.find((v) => v.versionId === policy.defaultVersionId)?.createDate ?? policy.updateDate;
  return { policy: awsView(policy, usage), versions: [{ document: policy.document, versionId: policy.defaultVersionId, isDefaultVersion: true, createDate }] };
}

// Markers this module issues itself are base64url JSON; a marker it did not issue is InvalidInput.
function encodeDetailsCursor(c: DetailsCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeDetailsCursor(marker: string): DetailsCursor {
  try {
    const c = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as DetailsCursor;
    if (Number.isInteger(c.section) && c.section >= 0 && c.section <= KINDS.length && (c.marker === undefined || typeof c.marker === 'string')) return c;
  } catch {
    // fall through to the error below
  }
  throw invalidMarker();
}

function encodeOffset(n: number): string {
  return Buffer.from(JSON.stringify({ o: n }), 'utf8').toString('base64url');
}

function decodeOffset(marker: string): number {
  try {
    const o = (JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the error below
  }
  throw invalidMarker();
}

function invalidMarker(): InvalidInputError {
  return new InvalidInputError('Invalid value for marker: the marker was not returned by a previous call.');
}
