/**
 * IAM SAML providers (CreateSAMLProvider, Get, List, Update, Delete and their tags). A provider is
 * named `arn:aws:iam::ACCOUNT:saml-provider/NAME`, one per name per account, at most 100 per
 * account (AWS's quota); its metadata document is validated (`saml-metadata.ts`) on create and
 * update (the quota is `samlProvidersPerAccount`, settable), so AssumeRoleWithSAML always has an entity id and a signing certificate to check against.
 *
 * @module
 */
import { PARTITION } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { EntityAlreadyExistsError, NoSuchEntityError } from '../../domain/errors.js';
import type { Page, Tag } from '../../domain/iam-entities.js';
import { StoreConflictError, StoreLimitError } from '../../store/store-errors.js';
import type { SamlProviderRow, Store } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { allEntityTags, listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { toTags } from './entity-views.js';
import { checkTags, quotaExceeded, type PagingInput } from './identity-common.js';
import { parseSamlMetadata } from './saml-metadata.js';

/** `arn:aws:iam::123456789012:saml-provider/NAME`. */
export const samlProviderArn = (accountId: string, name: string): string => `arn:${PARTITION}:iam::${accountId}:saml-provider/${name}`;

/** The provider of the account with that ARN, or NoSuchEntity. */
export async function requireSamlProvider(store: Store, accountId: string, arn: string): Promise<SamlProviderRow> {
  const row = await store.getSamlProvider(accountId, arn);
  if (!row) throw new NoSuchEntityError(`SAMLProvider ${arn} does not exist.`);
  return row;
}

const SAML_PROVIDER_TAGS: TaggableKind = {
  kind: 'saml-provider',
  quotaName: 'TagsPerSAMLProvider',
  checkTags,
  find: async (store, accountId, arn) => ({ id: (await requireSamlProvider(store, accountId, arn)).arn }),
};

/** A provider as the API shows it. */
export interface SamlProviderView {
  arn: string;
  metadataDocument: string;
  createDate: Date;
  validUntil: Date;
}

/**
 * When the provider expires: its metadata's `validUntil`, else 100 years after its creation, as
 * AWS's examples show (created 2017-03-06T22:29:46, valid until 2117-03-06T22:29:46). AWS always
 * answers ValidUntil, and clients read it unconditionally (Ansible's iam_saml_federation).
 */
function samlProviderValidUntil(row: Pick<SamlProviderRow, 'createDate' | 'validUntil'>): Date {
  if (row.validUntil) return row.validUntil;
  const until = new Date(row.createDate);
  until.setUTCFullYear(until.getUTCFullYear() + 100);
  return until;
}

function toView(row: SamlProviderRow): SamlProviderView {
  return { arn: row.arn, metadataDocument: row.metadataDocument, createDate: row.createDate, validUntil: samlProviderValidUntil(row) };
}

/** CreateSAMLProvider: validates the metadata and tags, then stores the provider and its tags. */
export async function createSamlProvider(deps: ServiceDeps, input: { name: string; metadataDocument: string; tags?: Tag[] | undefined }, ctx: RequestContext): Promise<{ arn: string; tags: Tag[] }> {
  const metadata = parseSamlMetadata(input.metadataDocument);
  const tags = input.tags ?? [];
  checkTags(tags);
  const accountId = ctx.caller.accountId;
  const arn = samlProviderArn(accountId, input.name);
  return deps.store.transaction(async (tx) => {
    try {
      await tx.createSamlProvider(
        { accountId, arn, name: input.name, metadataDocument: input.metadataDocument, createDate: ctx.now, ...(metadata.validUntil ? { validUntil: metadata.validUntil } : {}) },
        { maxPerAccount: deps.quotas.samlProvidersPerAccount },
      );
    } catch (err) {
      if (err instanceof StoreConflictError) throw new EntityAlreadyExistsError(`SAMLProvider ${input.name} already exists.`);
      if (err instanceof StoreLimitError) throw quotaExceeded('SAMLProvidersPerAccount', deps.quotas.samlProvidersPerAccount);
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, SAML_PROVIDER_TAGS, arn, tags);
    return { arn, tags: toTags(tags) };
  });
}

/** GetSAMLProvider: the metadata, dates and tags. */
export async function getSamlProvider(deps: ServiceDeps, input: { arn: string }, ctx: RequestContext): Promise<SamlProviderView & { tags: Tag[] }> {
  const row = await requireSamlProvider(deps.store, ctx.caller.accountId, input.arn);
  return { ...toView(row), tags: toTags(await allEntityTags(deps.store, 'saml-provider', row.arn)) };
}

/** ListSAMLProviders: every provider of the account (not paged, as on AWS). */
export async function listSamlProviders(deps: ServiceDeps, _input: Record<string, never>, ctx: RequestContext): Promise<SamlProviderView[]> {
  return (await deps.store.listSamlProviders(ctx.caller.accountId)).map(toView);
}

/** UpdateSAMLProvider: a new, validated metadata document (e.g. a rotated certificate). */
export async function updateSamlProvider(deps: ServiceDeps, input: { arn: string; metadataDocument: string }, ctx: RequestContext): Promise<void> {
  const metadata = parseSamlMetadata(input.metadataDocument);
  const updated = await deps.store.updateSamlProvider(ctx.caller.accountId, input.arn, { metadataDocument: input.metadataDocument, validUntil: metadata.validUntil });
  if (!updated) await requireSamlProvider(deps.store, ctx.caller.accountId, input.arn);
}

/** DeleteSAMLProvider (its tags go with it); roles that trust it are left as they are, as on AWS. */
export async function deleteSamlProvider(deps: ServiceDeps, input: { arn: string }, ctx: RequestContext): Promise<void> {
  if (!(await deps.store.deleteSamlProvider(ctx.caller.accountId, input.arn))) await requireSamlProvider(deps.store, ctx.caller.accountId, input.arn);
}

/** TagSAMLProvider: at most 50 tags. */
export async function tagSamlProvider(deps: ServiceDeps, input: { arn: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, SAML_PROVIDER_TAGS, input.arn, input.tags, ctx);
}

/** UntagSAMLProvider: absent keys are ignored. */
export async function untagSamlProvider(deps: ServiceDeps, input: { arn: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, SAML_PROVIDER_TAGS, input.arn, input.tagKeys, ctx);
}

/** ListSAMLProviderTags, in the order they were added. */
export async function listSamlProviderTags(deps: ServiceDeps, input: { arn: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  return listEntityTags(deps, SAML_PROVIDER_TAGS, input.arn, input, ctx);
}
