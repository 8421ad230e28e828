/**
 * IAM OpenID Connect providers (CreateOpenIDConnectProvider, Get, List, Delete,
 * UpdateOpenIDConnectProviderThumbprint, Add/RemoveClientIDTo/FromOpenIDConnectProvider and their
 * tags). A provider is named by its ARN `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`; one per
 * URL per account; AWS's quotas: 100 providers per account, 100 client ids and 5 thumbprints each.
 *
 * @module
 */
import { PARTITION } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError } from '../../domain/errors.js';
import type { OidcProvider, Page, Tag } from '../../domain/iam-entities.js';
import { StoreConflictError, StoreLimitError } from '../../store/store-errors.js';
import type { OidcProviderRow, Store } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { allEntityTags, listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { toTags } from './entity-views.js';
import { checkTags, quotaExceeded, type PagingInput } from './identity-common.js';

/** AWS's quotas (IAM User Guide, "IAM object quotas"). */
export const OIDC_PROVIDER_QUOTAS = { clientIdsPerProvider: 100, thumbprintsPerProvider: 5 } as const;

const THUMBPRINT = /^[0-9a-fA-F]{40}$/;

/** `arn:aws:iam::123456789012:oidc-provider/host/path` for a URL without its scheme. */
export const oidcProviderArn = (accountId: string, url: string): string => `arn:${PARTITION}:iam::${accountId}:oidc-provider/${url}`;

/** The provider of the account with that ARN, or NoSuchEntity in AWS's words. */
export async function requireOidcProvider(store: Store, accountId: string, arn: string): Promise<OidcProviderRow> {
  const row = await store.getOidcProvider(accountId, arn);
  if (!row) throw new NoSuchEntityError(`OpenIDConnect Provider not found for arn ${arn}`);
  return row;
}

const OIDC_PROVIDER_TAGS: TaggableKind = {
  kind: 'oidc-provider',
  quotaName: 'TagsPerOpenIDConnectProvider',
  checkTags,
  find: async (store, accountId, arn) => ({ id: (await requireOidcProvider(store, accountId, arn)).arn }),
};

/**
 * The issuer URL without `https://`: a host (no port, user or query), then an optional path.
 * With `allowHttpLoopback` (Castellan's `--oidc-allow-http-loopback`, for tests and local
 * identity providers) an `http://` URL on a loopback address, with a port, is accepted too and
 * stored without its scheme in the same way. A final slash is kept, as AWS keeps it: tokens name
 * their issuer exactly (`iss`), and only the same URL finds the provider.
 */
export function providerUrl(url: string, allowHttpLoopback = false): string {
  if (allowHttpLoopback) {
    const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?(\/[^?#]*)?$/i.exec(url);
    if (loopback) return url.slice('http://'.length);
  }
  if (!/^https:\/\//i.test(url)) throw new InvalidInputError('Invalid OpenIDConnect provider URL: the URL must begin with https://');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(`Invalid OpenIDConnect provider URL: ${url}`);
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password || parsed.port) {
    throw new InvalidInputError('Invalid OpenIDConnect provider URL: no port, query, fragment or user information is allowed.');
  }
  return url.slice('https://'.length);
}

function checkThumbprints(thumbprints: readonly string[]): void {
  if (thumbprints.length > OIDC_PROVIDER_QUOTAS.thumbprintsPerProvider) {
    // AWS's words: its limit is five, though the message says "fewer than".
    throw new InvalidInputError(`Thumbprint list must contain fewer than ${OIDC_PROVIDER_QUOTAS.thumbprintsPerProvider} entries.`);
  }
  for (const t of thumbprints) if (!THUMBPRINT.test(t)) throw new InvalidInputError(`Thumbprint ${t} is not a 40-character hexadecimal string.`);
}

function checkClientIds(clientIds: readonly string[]): void {
  if (clientIds.length > OIDC_PROVIDER_QUOTAS.clientIdsPerProvider) throw quotaExceeded('ClientIdsPerOpenIdConnectProvider', OIDC_PROVIDER_QUOTAS.clientIdsPerProvider);
}

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];

function toOidcProvider(row: OidcProviderRow): OidcProvider {
  return { arn: row.arn, url: row.url, clientIds: row.clientIds, thumbprints: row.thumbprints, createDate: row.createDate };
}

/** CreateOpenIDConnectProvider: validates the URL, thumbprints and client ids, then stores the provider and its tags. */
export async function createOidcProvider(
  deps: ServiceDeps,
  input: { url: string; clientIds?: string[] | undefined; thumbprints?: string[] | undefined; tags?: Tag[] | undefined },
  ctx: RequestContext,
): Promise<{ arn: string; tags: Tag[] }> {
  const url = providerUrl(input.url, deps.federation?.allowHttpLoopbackIssuers ?? false);
  const thumbprints = uniq(input.thumbprints ?? []);
  const clientIds = uniq(input.clientIds ?? []);
  const tags = input.tags ?? [];
  checkThumbprints(thumbprints);
  checkClientIds(clientIds);
  checkTags(tags);
  const accountId = ctx.caller.accountId;
  const arn = oidcProviderArn(accountId, url);
  return deps.store.transaction(async (tx) => {
    try {
      await tx.createOidcProvider({ accountId, arn, url, clientIds, thumbprints, createDate: ctx.now }, { maxPerAccount: deps.quotas.oidcProvidersPerAccount });
    } catch (err) {
      if (err instanceof StoreConflictError) throw new EntityAlreadyExistsError(`Provider with url ${input.url} already exists.`);
      if (err instanceof StoreLimitError) throw quotaExceeded('OpenIdConnectProvidersPerAccount', deps.quotas.oidcProvidersPerAccount);
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, OIDC_PROVIDER_TAGS, arn, tags);
    return { arn, tags: toTags(tags) };
  });
}

/** GetOpenIDConnectProvider: URL, client ids, thumbprints, creation date and tags. */
export async function getOidcProvider(deps: ServiceDeps, input: { arn: string }, ctx: RequestContext): Promise<OidcProvider & { tags: Tag[] }> {
  const row = await requireOidcProvider(deps.store, ctx.caller.accountId, input.arn);
  return { ...toOidcProvider(row), tags: toTags(await allEntityTags(deps.store, 'oidc-provider', row.arn)) };
}

/** ListOpenIDConnectProviders: the ARNs of the account's providers (not paged, as on AWS). */
export async function listOidcProviders(deps: ServiceDeps, _input: Record<string, never>, ctx: RequestContext): Promise<string[]> {
  return (await deps.store.listOidcProviders(ctx.caller.accountId)).map((p) => p.arn);
}

/** DeleteOpenIDConnectProvider (its tags go with it); roles that trust it are left as they are, as on AWS. */
export async function deleteOidcProvider(deps: ServiceDeps, input: { arn: string }, ctx: RequestContext): Promise<void> {
  if (!(await deps.store.deleteOidcProvider(ctx.caller.accountId, input.arn))) await requireOidcProvider(deps.store, ctx.caller.accountId, input.arn);
}

/** UpdateOpenIDConnectProviderThumbprint: replaces the whole list. */
export async function updateOidcProviderThumbprint(deps: ServiceDeps, input: { arn: string; thumbprints: string[] }, ctx: RequestContext): Promise<void> {
  const thumbprints = uniq(input.thumbprints);
  checkThumbprints(thumbprints);
  await changeProvider(deps, input.arn, ctx, () => ({ thumbprints }));
}

/** AddClientIDToOpenIDConnectProvider: adding one already present changes nothing, as on AWS. */
export async function addClientIdToOidcProvider(deps: ServiceDeps, input: { arn: string; clientId: string }, ctx: RequestContext): Promise<void> {
  await changeProvider(deps, input.arn, ctx, (row) => {
    if (row.clientIds.includes(input.clientId)) return undefined;
    const clientIds = [...row.clientIds, input.clientId];
    checkClientIds(clientIds);
    return { clientIds };
  });
}

/** RemoveClientIDFromOpenIDConnectProvider: removing one that is absent is not an error, as on AWS. */
export async function removeClientIdFromOidcProvider(deps: ServiceDeps, input: { arn: string; clientId: string }, ctx: RequestContext): Promise<void> {
  await changeProvider(deps, input.arn, ctx, (row) =>
    row.clientIds.includes(input.clientId) ? { clientIds: row.clientIds.filter((c) => c !== input.clientId) } : undefined);
}

/** TagOpenIDConnectProvider: at most 50 tags. */
export async function tagOidcProvider(deps: ServiceDeps, input: { arn: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, OIDC_PROVIDER_TAGS, input.arn, input.tags, ctx);
}

/** UntagOpenIDConnectProvider: absent keys are ignored. */
export async function untagOidcProvider(deps: ServiceDeps, input: { arn: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, OIDC_PROVIDER_TAGS, input.arn, input.tagKeys, ctx);
}

/** ListOpenIDConnectProviderTags, in the order they were added. */
export async function listOidcProviderTags(deps: ServiceDeps, input: { arn: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  return listEntityTags(deps, OIDC_PROVIDER_TAGS, input.arn, input, ctx);
}

/** Reads the provider, computes the change (none: nothing to write) and writes it, in one transaction. */
async function changeProvider(
  deps: ServiceDeps,
  arn: string,
  ctx: RequestContext,
  change: (row: OidcProviderRow) => { clientIds?: string[]; thumbprints?: string[] } | undefined,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.lockForUpdate({ kind: 'oidcProvider', id: arn });
    const row = await requireOidcProvider(tx, ctx.caller.accountId, arn);
    const patch = change(row);
    if (patch) await tx.updateOidcProvider(ctx.caller.accountId, arn, patch);
  });
}
