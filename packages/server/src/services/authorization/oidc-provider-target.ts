/**
 * The authorization target of OIDC provider operations: the provider's ARN (given by the request,
 * or for CreateOpenIDConnectProvider derived from its URL) with the provider's tags as
 * `aws:ResourceTag/…`, and the request's tags.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { oidcProviderArn } from '../iam/oidc-providers.js';
import type { ServiceDeps } from '../service-deps.js';
import { lookedUpTarget, type IamTargetSpec, type ResolvedTarget } from './iam-target.js';

/** What an OIDC provider operation names: its ARN, or (create) its URL. */
export interface OidcProviderNames {
  arn?: string | undefined;
  url?: string | undefined;
  requestTags?: ReadonlyArray<{ Key: string; Value: string }> | undefined;
  tagKeys?: readonly string[] | undefined;
}

/** The target spec for an operation's input (every action has the pattern `oidc-provider/${OidcProviderName}`). */
export function oidcProviderTarget<I extends object>(names: (input: I) => OidcProviderNames): (action: string) => IamTargetSpec<I> {
  return lookedUpTarget(names, lookup);
}

async function lookup(n: OidcProviderNames, ctx: RequestContext, deps: ServiceDeps): Promise<{ arn: string; entity?: ResolvedTarget }> {
  const accountId = ctx.caller.accountId;
  const arn = n.arn ?? oidcProviderArn(accountId, (n.url ?? '').replace(/^https?:\/\//i, ''));
  const row = await deps.store.getOidcProvider(accountId, arn);
  if (!row) return { arn };
  const tags = (await deps.store.listTags({ kind: 'oidc-provider', id: row.arn }, { maxItems: 1000 })).items;
  return { arn: row.arn, entity: { arn: row.arn, tags, iamResourceTags: false } };
}
