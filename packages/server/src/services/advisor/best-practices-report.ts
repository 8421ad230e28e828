/**
 * castellan:GetBestPracticesReport's use case: the caller's account checked against AWS's eleven
 * IAM best practices by `@castellan/advisor`, the package `castellan advise` runs. The advisor reads
 * the documents its live and offline modes read; here they come from the same use cases that answer
 * those AWS calls, without HTTP: GetAccountAuthorizationDetails' pages, a credential report built
 * for this call (not stored: the call changes nothing), the password policy, the account summary
 * and the last 90 days of the account's trail as LookupEvents pages it.
 *
 * @module
 */
import {
  advise,
  decodePolicyDocument,
  readCredentialReportCsv,
  readTrailRecords,
  type AccountInputs,
  type AdvisorReport,
  type AuthorizationDetails,
  type ManagedPolicyDetail,
  type NamedDocument,
  type PasswordPolicyInput,
} from '@castellan/advisor';
import type { RequestContext } from '../../domain/context.js';
import type { AttachedPolicy, InlinePolicy, PasswordPolicy } from '../../domain/iam-entities.js';
import { lookupEvents } from '../cloudtrail/lookup-events.js';
import { getAccountAuthorizationDetails, getAccountSummary, type AuthorizationDetailsPage } from '../iam/account.js';
import { buildCredentialReport } from '../iam/credential-report.js';
import { accountPasswordPolicy } from '../iam/password-policy.js';
import type { ServiceDeps } from '../service-deps.js';

/** How far back the trail is read (LookupEvents' own reach) and at most how much of it, as `castellan advise` does. */
export const ADVISOR_TRAIL_DAYS = 90;
const MAX_EVENT_PAGES = 20;
const EVENTS_PER_PAGE = 50;
const DETAILS_PAGE = 1000;

const inline = (policies: readonly InlinePolicy[]): NamedDocument[] => policies.map((p) => ({ name: p.name, document: decodePolicyDocument(p.document) }));
const attached = (policies: readonly AttachedPolicy[]): string[] => policies.map((a) => a.policyArn);

/** The authorization details as the advisor reads them, from every page of the use case. */
function toAdvisorDetails(accountId: string, pages: readonly AuthorizationDetailsPage[]): AuthorizationDetails {
  const policies = new Map<string, ManagedPolicyDetail>();
  for (const { policy, versions } of pages.flatMap((p) => [...p.localPolicies, ...p.awsPolicies])) {
    const def = versions.find((v) => v.isDefaultVersion);
    policies.set(policy.arn, {
      name: policy.name,
      arn: policy.arn,
      document: def?.document === undefined ? undefined : decodePolicyDocument(def.document),
      defaultVersionId: policy.defaultVersionId,
      versionIds: versions.map((v) => v.versionId),
      awsManaged: policy.arn.includes(':iam::aws:policy/'),
    });
  }
  return {
    accountId,
    users: pages.flatMap((p) => p.users).map((u) => ({
      name: u.user.name,
      arn: u.user.arn,
      createDate: u.user.createDate.toISOString(),
      inlinePolicies: inline(u.inlinePolicies),
      attachedPolicyArns: attached(u.attached),
      groups: u.groupNames,
      ...(u.user.permissionsBoundaryArn ? { boundaryArn: u.user.permissionsBoundaryArn } : {}),
    })),
    groups: pages.flatMap((p) => p.groups).map((g) => ({ name: g.group.name, arn: g.group.arn, inlinePolicies: inline(g.inlinePolicies), attachedPolicyArns: attached(g.attached) })),
    roles: pages.flatMap((p) => p.roles).map((r) => ({
      name: r.role.name,
      arn: r.role.arn,
      path: r.role.path,
      trustPolicy: decodePolicyDocument(r.role.assumeRolePolicyDocument),
      inlinePolicies: inline(r.inlinePolicies),
      attachedPolicyArns: attached(r.attached),
      ...(r.role.permissionsBoundaryArn ? { boundaryArn: r.role.permissionsBoundaryArn } : {}),
      instanceProfiles: r.instanceProfiles.map((p) => ({ name: p.name, arn: p.arn })),
      ...(r.role.lastUsedDate ? { lastUsed: r.role.lastUsedDate.toISOString() } : {}),
    })),
    policies,
  };
}

function toAdvisorPasswordPolicy(p: PasswordPolicy | undefined): PasswordPolicyInput {
  if (!p) return { kind: 'none' };
  return {
    kind: 'policy',
    policy: {
      minimumPasswordLength: p.minimumPasswordLength,
      requireSymbols: p.requireSymbols,
      requireNumbers: p.requireNumbers,
      requireUppercaseCharacters: p.requireUppercaseCharacters,
      requireLowercaseCharacters: p.requireLowercaseCharacters,
      allowUsersToChangePassword: p.allowUsersToChangePassword,
      ...(p.hardExpiry !== undefined ? { hardExpiry: p.hardExpiry } : {}),
      ...(p.maxPasswordAge !== undefined ? { maxPasswordAge: p.maxPasswordAge } : {}),
      ...(p.passwordReusePrevention !== undefined ? { passwordReusePrevention: p.passwordReusePrevention } : {}),
    },
  };
}

/** The account's documents, as the advisor's inputs. */
async function accountInputs(deps: ServiceDeps, ctx: RequestContext): Promise<AccountInputs> {
  const accountId = ctx.caller.accountId;
  const pages: AuthorizationDetailsPage[] = [];
  let marker: string | undefined;
  do {
    const page = await getAccountAuthorizationDetails(deps, { marker, maxItems: DETAILS_PAGE }, ctx);
    pages.push(page);
    marker = page.isTruncated ? page.marker : undefined;
  } while (marker !== undefined);
  const records: unknown[] = [];
  let cursor: string | undefined;
  const startTime = new Date(ctx.now.getTime() - ADVISOR_TRAIL_DAYS * 86_400_000);
  for (let n = 0; n < MAX_EVENT_PAGES; n++) {
    const page = await lookupEvents(deps, { limit: EVENTS_PER_PAGE, startTime, endTime: ctx.now, ...(cursor ? { cursor } : {}) }, ctx);
    records.push(...page.events.map((e) => JSON.parse(e.recordJson) as unknown));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const report = readCredentialReportCsv(await buildCredentialReport(deps.store, accountId, ctx.now), ctx.now.toISOString());
  return {
    authorizationDetails: toAdvisorDetails(accountId, pages),
    ...(report ? { credentialReport: report } : {}),
    passwordPolicy: toAdvisorPasswordPolicy(await accountPasswordPolicy(deps.store, accountId)),
    accountSummary: await getAccountSummary(deps, {}, ctx),
    trail: readTrailRecords({ Records: records }) ?? [],
  };
}

/** GetBestPracticesReport: the advisor's report on the caller's account, as of the request's time. */
export async function bestPracticesReport(deps: ServiceDeps, ctx: RequestContext): Promise<AdvisorReport> {
  return advise(await accountInputs(deps, ctx), { now: ctx.now });
}
