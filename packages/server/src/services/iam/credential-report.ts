/**
 * GenerateCredentialReport and GetCredentialReport. The report is built from the store (users paged,
 * work yielded between steps), stored as CSV in the account's one report row so that any node
 * serves it, and regenerated at most every four hours, as AWS does.
 *
 * Generation runs within the GenerateCredentialReport call (it answers `STARTED` the first time,
 * as AWS does), so a GetCredentialReport right after finds it `COMPLETE`; `ReportInProgress` (and
 * `INPROGRESS` from GenerateCredentialReport) is what a caller sees while another call is still generating.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { rootArn } from '../../domain/arn.js';
import { ReportExpiredError, ReportInProgressError, ReportNotPresentError } from '../../domain/errors.js';
import type { AccessKeyOwner, AccessKeyRow, MfaDeviceOwner, SigningCertificateRow, Store, UserRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { workSlices } from '../work-slices.js';
import { credentialReportCsv, type CredentialReportEntry, type ReportedKey } from './credential-report-csv.js';
import { accountPasswordPolicy } from './password-policy.js';

/** A report is served, and not regenerated, for four hours after it was generated (AWS's rule). */
export const CREDENTIAL_REPORT_TTL_MS = 4 * 60 * 60 * 1000;
/** A generation that has not finished after this long is taken over by the next caller. */
export const CREDENTIAL_REPORT_ABANDONED_MS = 15 * 60 * 1000;
const USERS_PER_PAGE = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/** GenerateCredentialReport's answer. */
export interface CredentialReportGeneration {
  state: 'STARTED' | 'INPROGRESS' | 'COMPLETE';
  description?: string;
}

/** GetCredentialReport's answer. */
export interface CredentialReport {
  content: string;
  generatedTime: Date;
}

/**
 * GenerateCredentialReport: generates unless a report younger than four hours exists (`COMPLETE`)
 * or another call is generating one (`INPROGRESS`, AWS's state for a generation underway).
 */
export async function generateCredentialReport(deps: ServiceDeps, _input: Record<string, never>, ctx: RequestContext): Promise<CredentialReportGeneration> {
  const accountId = ctx.caller.accountId;
  const now = ctx.now.getTime();
  const claim = await deps.store.claimCredentialReportGeneration({
    accountId,
    now: ctx.now,
    staleBefore: new Date(now - CREDENTIAL_REPORT_TTL_MS),
    abandonedBefore: new Date(now - CREDENTIAL_REPORT_ABANDONED_MS),
  });
  if (!claim.claimed) return claim.current.state === 'complete' ? { state: 'COMPLETE' } : { state: 'INPROGRESS' };
  const content = await buildCredentialReport(deps.store, accountId, ctx.now);
  await deps.store.completeCredentialReport({ accountId, startedAt: ctx.now, generatedAt: ctx.now, content });
  return claim.previous?.generatedAt
    ? { state: 'STARTED' }
    : { state: 'STARTED', description: 'No report exists. Starting a new report generation task' };
}

/** GetCredentialReport: the stored CSV, unless there is none, it is being generated, or it expired. */
export async function getCredentialReport(deps: ServiceDeps, _input: Record<string, never>, ctx: RequestContext): Promise<CredentialReport> {
  const report = await deps.store.getCredentialReport(ctx.caller.accountId);
  if (!report) throw new ReportNotPresentError('The credential report does not exist. To generate a credential report, use GenerateCredentialReport.');
  if (report.state === 'generating') throw new ReportInProgressError('The credential report is being generated.');
  if (!report.generatedAt || report.content === undefined) throw new ReportNotPresentError('The credential report does not exist. To generate a credential report, use GenerateCredentialReport.');
  if (ctx.now.getTime() - report.generatedAt.getTime() > CREDENTIAL_REPORT_TTL_MS) {
    throw new ReportExpiredError('The credential report has expired. To generate a new credential report, use GenerateCredentialReport.');
  }
  return { content: report.content, generatedTime: report.generatedAt };
}

/** The report's CSV as of `now`: the root row, then every user by name, read page by page. */
export async function buildCredentialReport(store: Store, accountId: string, now: Date): Promise<string> {
  const policy = await accountPasswordPolicy(store, accountId);
  const maxAgeMs = policy?.maxPasswordAge ? policy.maxPasswordAge * DAY_MS : undefined;
  const account = await store.getAccount(accountId);
  const pause = workSlices();
  const rootPasswordLastUsed = await store.getRootPasswordLastUsed(accountId);
  const entries: CredentialReportEntry[] = [{
    kind: 'root',
    name: '<root_account>',
    arn: rootArn(accountId),
    creationTime: account?.createDate ?? now,
    mfaActive: await hasMfa(store, accountId, { kind: 'root' }),
    ...(rootPasswordLastUsed ? { passwordLastUsed: rootPasswordLastUsed } : {}),
    accessKeys: await reportedKeys(store, accountId, { kind: 'root' }),
    signingCertificates: await reportedCertificates(store, accountId, { kind: 'root' }),
  }];
  let marker: string | undefined;
  do {
    const page = await store.listUsers({ accountId, maxItems: USERS_PER_PAGE, ...(marker ? { marker } : {}) });
    for (const user of page.items) {
      entries.push(await userEntry(store, user, maxAgeMs));
      await pause();
    }
    marker = page.isTruncated ? page.marker : undefined;
  } while (marker);
  return credentialReportCsv(entries);
}

async function userEntry(store: Store, user: UserRow, maxAgeMs: number | undefined): Promise<CredentialReportEntry> {
  const owner = { kind: 'user', userId: user.id } as const;
  const profile = await store.getLoginProfile(user.id);
  return {
    kind: 'user',
    name: user.name,
    arn: user.arn,
    creationTime: user.createDate,
    ...(profile
      ? { password: { lastChanged: profile.passwordChangedDate, ...(maxAgeMs ? { nextRotation: new Date(profile.passwordChangedDate.getTime() + maxAgeMs) } : {}) } }
      : {}),
    ...(user.passwordLastUsed ? { passwordLastUsed: user.passwordLastUsed } : {}),
    mfaActive: await hasMfa(store, user.accountId, owner),
    accessKeys: await reportedKeys(store, user.accountId, owner),
    signingCertificates: await reportedCertificates(store, user.accountId, owner),
  };
}

async function hasMfa(store: Store, accountId: string, owner: MfaDeviceOwner): Promise<boolean> {
  const page = await store.listMfaDevices({ accountId, owner, assignment: 'Assigned', maxItems: 1 });
  // A security key is an MFA device too.
  return page.items.length > 0 || (owner.kind === 'user' && (await store.listSecurityKeys(owner.userId)).length > 0);
}

// Two of each at most (AWS's quotas, enforced by the store), so one page holds them all.
async function reportedKeys(store: Store, accountId: string, owner: AccessKeyOwner): Promise<ReportedKey[]> {
  const page = await store.listAccessKeys({ accountId, owner, maxItems: 10 });
  return page.items.map(keyView);
}

async function reportedCertificates(store: Store, accountId: string, owner: AccessKeyOwner): Promise<ReportedKey[]> {
  const page = await store.listSigningCertificates({ accountId, owner, maxItems: 10 });
  return page.items.map((c: SigningCertificateRow) => ({ active: c.status === 'Active', lastRotated: c.uploadDate }));
}

function keyView(k: AccessKeyRow): ReportedKey {
  return {
    active: k.status === 'Active',
    lastRotated: k.createDate,
    ...(k.lastUsedDate
      ? { lastUsed: { date: k.lastUsedDate, region: k.lastUsedRegion ?? 'N/A', service: k.lastUsedServiceName ?? 'N/A' } }
      : {}),
  };
}
