/**
 * The authorization target of SAML provider operations: the provider's ARN (given by the request,
 * or for CreateSAMLProvider derived from its name) with the provider's tags as
 * `aws:ResourceTag/…`, and the request's tags.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { samlProviderArn } from '../iam/saml-providers.js';
import type { ServiceDeps } from '../service-deps.js';
import { lookedUpTarget, type IamTargetSpec, type ResolvedTarget } from './iam-target.js';

/** What a SAML provider operation names: its ARN, or (create) its name. */
export interface SamlProviderNames {
  arn?: string | undefined;
  name?: string | undefined;
  requestTags?: ReadonlyArray<{ Key: string; Value: string }> | undefined;
  tagKeys?: readonly string[] | undefined;
}

/** The target spec for an operation's input (the actions' pattern is `saml-provider/${SamlProviderName}`). */
export function samlProviderTarget<I extends object>(names: (input: I) => SamlProviderNames): (action: string) => IamTargetSpec<I> {
  return lookedUpTarget(names, lookup);
}

async function lookup(n: SamlProviderNames, ctx: RequestContext, deps: ServiceDeps): Promise<{ arn: string; entity?: ResolvedTarget }> {
  const accountId = ctx.caller.accountId;
  const arn = n.arn ?? samlProviderArn(accountId, n.name ?? '');
  const row = await deps.store.getSamlProvider(accountId, arn);
  if (!row) return { arn };
  const tags = (await deps.store.listTags({ kind: 'saml-provider', id: row.arn }, { maxItems: 1000 })).items;
  return { arn: row.arn, entity: { arn: row.arn, tags, iamResourceTags: false } };
}
