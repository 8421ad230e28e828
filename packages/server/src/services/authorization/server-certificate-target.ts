/**
 * The authorization target of server certificate operations: the certificate's ARN
 * (`server-certificate/${CertificateNameWithPath}`, its real path when it exists, else the path the
 * request gives) with its tags as `aws:ResourceTag/…`, and the request's tags.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { serverCertificateArn } from '../iam/server-certificates.js';
import type { ServiceDeps } from '../service-deps.js';
import { lookedUpTarget, type IamTargetSpec, type ResolvedTarget } from './iam-target.js';

/** What a server certificate operation names. */
export interface ServerCertificateNames {
  name: string;
  /** For uploads: the path the new certificate gets. */
  path?: string | undefined;
  requestTags?: ReadonlyArray<{ Key: string; Value: string }> | undefined;
  tagKeys?: readonly string[] | undefined;
}

/** The target spec for an operation's input (the action is not needed: every one has the same ARN pattern). */
export function serverCertificateTarget<I extends object>(names: (input: I) => ServerCertificateNames): (action: string) => IamTargetSpec<I> {
  return lookedUpTarget(names, lookup);
}

async function lookup(n: ServerCertificateNames, ctx: RequestContext, deps: ServiceDeps): Promise<{ arn: string; entity?: ResolvedTarget }> {
  const accountId = ctx.caller.accountId;
  const row = await deps.store.getServerCertificateByName(accountId, n.name);
  if (!row) return { arn: serverCertificateArn(accountId, n.path ?? '/', n.name) };
  const tags = (await deps.store.listTags({ kind: 'server-certificate', id: row.id }, { maxItems: 1000 })).items;
  return { arn: row.arn, entity: { arn: row.arn, tags, iamResourceTags: false } };
}

/**
 * The ARN a rename or move gives a server certificate (AWS: the requester needs permission on both
 * the source and the target object); none when nothing changes.
 */
export async function renamedServerCertificateArns(
  deps: ServiceDeps,
  n: { name: string; newName?: string | undefined; newPath?: string | undefined },
  ctx: RequestContext,
): Promise<string[]> {
  if (n.newName === undefined && n.newPath === undefined) return [];
  const accountId = ctx.caller.accountId;
  const current = await deps.store.getServerCertificateByName(accountId, n.name);
  return [serverCertificateArn(accountId, n.newPath ?? current?.path ?? '/', n.newName ?? current?.name ?? n.name)];
}
