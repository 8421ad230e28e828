/**
 * Server certificates (UploadServerCertificate, GetServerCertificate, ListServerCertificates,
 * UpdateServerCertificate, DeleteServerCertificate and their tags): a PEM certificate valid now,
 * its private key (which must match, is sealed at rest and is never returned) and an optional
 * chain; names unique per account, at most 20 per account.
 *
 * @module
 */
import { PARTITION } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { EntityAlreadyExistsError, NoSuchEntityError } from '../../domain/errors.js';
import type { Page, ServerCertificate, ServerCertificateMetadata, Tag } from '../../domain/iam-entities.js';
import { StoreConflictError, StoreLimitError } from '../../store/store-errors.js';
import type { ServerCertificateRow, Store } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { serverCertificateId } from './credential-ids.js';
import { allEntityTags, listEntityTags, putEntityTags, tagEntity, untagEntity, type TaggableKind } from './entity-tags.js';
import { toPage, toServerCertificateMetadata, toTags } from './entity-views.js';
import { checkTags, pageRequest, quotaExceeded, withMarker, type PagingInput } from './identity-common.js';
import { checkChain, checkPrivateKey, parseCertificate } from './x509-certificates.js';

/** `arn:aws:iam::123456789012:server-certificate/path/name`. */
export const serverCertificateArn = (accountId: string, path: string, name: string): string =>
  `arn:${PARTITION}:iam::${accountId}:server-certificate${path}${name}`;

/** The server certificate `name` of the account, or NoSuchEntity in AWS's words. */
export async function requireServerCertificate(store: Store, accountId: string, name: string): Promise<ServerCertificateRow> {
  const row = await store.getServerCertificateByName(accountId, name);
  if (!row) throw new NoSuchEntityError(`The Server Certificate with name ${name} cannot be found.`);
  return row;
}

const SERVER_CERTIFICATE_TAGS: TaggableKind = { kind: 'server-certificate', quotaName: 'TagsPerServerCertificate', checkTags, find: requireServerCertificate };

/** UploadServerCertificate: validates body, key and chain, then stores them with the tags. */
export async function uploadServerCertificate(
  deps: ServiceDeps,
  input: { name: string; path?: string | undefined; body: string; privateKey: string; chain?: string | undefined; tags?: Tag[] | undefined },
  ctx: RequestContext,
): Promise<{ metadata: ServerCertificateMetadata; tags: Tag[] }> {
  const tags = input.tags ?? [];
  checkTags(tags);
  const parsed = parseCertificate(input.body, ctx.now);
  checkPrivateKey(parsed.cert, input.privateKey);
  if (input.chain !== undefined) checkChain(parsed.cert, input.chain);
  const accountId = ctx.caller.accountId;
  const path = input.path ?? '/';
  return deps.store.transaction(async (tx) => {
    let row: ServerCertificateRow;
    try {
      row = await tx.createServerCertificate(
        {
          accountId,
          id: serverCertificateId(deps.ids),
          name: input.name,
          path,
          arn: serverCertificateArn(accountId, path, input.name),
          body: input.body.trim(),
          ...(input.chain !== undefined ? { chain: input.chain.trim() } : {}),
          privateKey: input.privateKey,
          expiration: parsed.expiration,
          uploadDate: ctx.now,
        },
        { maxPerAccount: deps.quotas.serverCertificatesPerAccount },
      );
    } catch (err) {
      if (err instanceof StoreConflictError) throw exists(input.name);
      if (err instanceof StoreLimitError) throw quotaExceeded('ServerCertificatesPerAccount', deps.quotas.serverCertificatesPerAccount);
      throw err;
    }
    if (tags.length > 0) await putEntityTags(tx, SERVER_CERTIFICATE_TAGS, row.id, tags);
    return { metadata: toServerCertificateMetadata(row), tags: toTags(tags) };
  });
}

/** GetServerCertificate: metadata, body, chain and tags; never the private key. */
export async function getServerCertificate(deps: ServiceDeps, input: { name: string }, ctx: RequestContext): Promise<ServerCertificate> {
  const row = await requireServerCertificate(deps.store, ctx.caller.accountId, input.name);
  return {
    ...toServerCertificateMetadata(row),
    body: row.body,
    ...(row.chain !== undefined ? { chain: row.chain } : {}),
    tags: toTags(await allEntityTags(deps.store, 'server-certificate', row.id)),
  };
}

/** ListServerCertificates: by name, filtered by path prefix. */
export async function listServerCertificates(
  deps: ServiceDeps,
  input: { pathPrefix?: string | undefined } & PagingInput,
  ctx: RequestContext,
): Promise<Page<ServerCertificateMetadata>> {
  const page = await withMarker(() => deps.store.listServerCertificates({
    accountId: ctx.caller.accountId,
    ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix } : {}),
    ...pageRequest(input),
  }));
  return toPage(page, toServerCertificateMetadata);
}

/** UpdateServerCertificate: a new name and/or path (and so a new ARN). */
export async function updateServerCertificate(
  deps: ServiceDeps,
  input: { name: string; newName?: string | undefined; newPath?: string | undefined },
  ctx: RequestContext,
): Promise<void> {
  const accountId = ctx.caller.accountId;
  const row = await requireServerCertificate(deps.store, accountId, input.name);
  const name = input.newName ?? row.name;
  const path = input.newPath ?? row.path;
  try {
    await deps.store.updateServerCertificate(row.id, { name, path, arn: serverCertificateArn(accountId, path, name) });
  } catch (err) {
    if (err instanceof StoreConflictError) throw exists(name);
    throw err;
  }
}

/** DeleteServerCertificate (its tags go with it). */
export async function deleteServerCertificate(deps: ServiceDeps, input: { name: string }, ctx: RequestContext): Promise<void> {
  const row = await requireServerCertificate(deps.store, ctx.caller.accountId, input.name);
  await deps.store.deleteServerCertificate(row.id);
}

/** TagServerCertificate: at most 50 tags. */
export async function tagServerCertificate(deps: ServiceDeps, input: { name: string; tags: Tag[] }, ctx: RequestContext): Promise<void> {
  await tagEntity(deps, SERVER_CERTIFICATE_TAGS, input.name, input.tags, ctx);
}

/** UntagServerCertificate: absent keys are ignored. */
export async function untagServerCertificate(deps: ServiceDeps, input: { name: string; tagKeys: string[] }, ctx: RequestContext): Promise<void> {
  await untagEntity(deps, SERVER_CERTIFICATE_TAGS, input.name, input.tagKeys, ctx);
}

/** ListServerCertificateTags, in the order they were added. */
export async function listServerCertificateTags(deps: ServiceDeps, input: { name: string } & PagingInput, ctx: RequestContext): Promise<Page<Tag>> {
  return listEntityTags(deps, SERVER_CERTIFICATE_TAGS, input.name, input, ctx);
}

function exists(name: string): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`The Server Certificate with name ${name} already exists.`);
}
