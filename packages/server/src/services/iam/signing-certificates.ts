/**
 * X.509 signing certificates of IAM users and of the account root (UploadSigningCertificate,
 * ListSigningCertificates, UpdateSigningCertificate, DeleteSigningCertificate): PEM, valid now,
 * at most 2 per user (and per root), each certificate once per account.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { DuplicateCertificateError, NoSuchEntityError } from '../../domain/errors.js';
import type { AccessKeyStatus, Page, SigningCertificate } from '../../domain/iam-entities.js';
import { StoreConflictError, StoreLimitError } from '../../store/store-errors.js';
import type { AccessKeyOwner, SigningCertificateRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { signingCertificateId } from './credential-ids.js';
import { toSigningCertificate } from './entity-views.js';
import { credentialSubject, pageRequest, quotaExceeded, withMarker, type CredentialSubject, type PagingInput } from './identity-common.js';
import { parseCertificate } from './x509-certificates.js';

function ownerOf(subject: CredentialSubject): AccessKeyOwner {
  return subject.kind === 'root' ? { kind: 'root' } : { kind: 'user', userId: subject.user.id };
}

function userNameOf(subject: CredentialSubject): string | undefined {
  return subject.kind === 'user' ? subject.user.name : undefined;
}

/** UploadSigningCertificate: an Active certificate of the named user (the caller without a name). */
export async function uploadSigningCertificate(deps: ServiceDeps, input: { userName?: string | undefined; body: string }, ctx: RequestContext): Promise<SigningCertificate> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  const parsed = parseCertificate(input.body, ctx.now);
  const limit = deps.quotas.signingCertificatesPerUser;
  try {
    const row = await deps.store.createSigningCertificate({
      accountId: ctx.caller.accountId,
      id: signingCertificateId(deps.ids),
      owner: ownerOf(subject),
      body: input.body.trim(),
      fingerprint: parsed.fingerprint,
      status: 'Active',
      uploadDate: ctx.now,
      maxPerOwner: limit,
    });
    return toSigningCertificate(row, userNameOf(subject));
  } catch (err) {
    if (err instanceof StoreLimitError) throw quotaExceeded('SigningCertificatesPerUser', limit);
    if (err instanceof StoreConflictError) throw new DuplicateCertificateError('The same certificate is already associated with an IAM user or the root user in this account.');
    throw err;
  }
}

/** ListSigningCertificates: with their bodies, as AWS lists them. */
export async function listSigningCertificates(deps: ServiceDeps, input: { userName?: string | undefined } & PagingInput, ctx: RequestContext): Promise<Page<SigningCertificate>> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  const page = await withMarker(() => deps.store.listSigningCertificates({ accountId: ctx.caller.accountId, owner: ownerOf(subject), ...pageRequest(input) }));
  const userName = userNameOf(subject);
  return { ...page, items: page.items.map((row) => toSigningCertificate(row, userName)) };
}

/** UpdateSigningCertificate: Active or Inactive. */
export async function updateSigningCertificate(
  deps: ServiceDeps,
  input: { userName?: string | undefined; certificateId: string; status: AccessKeyStatus },
  ctx: RequestContext,
): Promise<void> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  await requireOwnCertificate(deps, ctx, subject, input.certificateId);
  await deps.store.updateSigningCertificateStatus(input.certificateId, input.status);
}

/** DeleteSigningCertificate. */
export async function deleteSigningCertificate(deps: ServiceDeps, input: { userName?: string | undefined; certificateId: string }, ctx: RequestContext): Promise<void> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  await requireOwnCertificate(deps, ctx, subject, input.certificateId);
  await deps.store.deleteSigningCertificate(input.certificateId);
}

async function requireOwnCertificate(deps: ServiceDeps, ctx: RequestContext, subject: CredentialSubject, id: string): Promise<SigningCertificateRow> {
  const row = await deps.store.getSigningCertificate(id);
  const owner = ownerOf(subject);
  const matches =
    row !== undefined &&
    row.accountId === ctx.caller.accountId &&
    row.owner.kind === owner.kind &&
    (row.owner.kind === 'root' || (owner.kind === 'user' && row.owner.userId === owner.userId));
  if (!matches) throw new NoSuchEntityError(`The Certificate with id ${id} cannot be found.`);
  return row;
}
