/**
 * castellan:GetBestPracticesReport: the caller's account checked against AWS's eleven IAM best
 * practices by `@castellan/advisor`, the same package `castellan advise` runs. The documents are
 * the ones the live and offline modes read, built here from the services without HTTP: the
 * GetAccountAuthorizationDetails pages (through that operation's own wire mapping), a credential
 * report built now (not stored: this call changes nothing), the password policy, the account
 * summary, and the last 90 days of the account's trail as LookupEvents answers it.
 */
import { advise, readApiResponses, type AdvisorReport, type Finding } from '@castellan/advisor';
import type { RequestContext } from '../../../../domain/context.js';
import { getAccountSummary } from '../../../../services/iam/account.js';
import { buildCredentialReport } from '../../../../services/iam/credential-report.js';
import { accountPasswordPolicy } from '../../../../services/iam/password-policy.js';
import { lookupEvents } from '../../../../services/cloudtrail/lookup-events.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { castellanOperation } from '../../../define-operation.js';
import type { AdvisorFinding, AdvisorPractice, GetBestPracticesReportResponse } from '../../../model/castellan-types.js';
import { getAccountAuthorizationDetails } from '../../../query/operations/iam/get-account-authorization-details.js';
import { toWirePasswordPolicy } from '../../../query/operations/iam/password-policy-wire.js';

/** How far back the trail is read (LookupEvents' own reach), and at most how many events: as `castellan advise`. */
const TRAIL_LOOKBACK_MS = 90 * 86_400_000;
const MAX_EVENT_PAGES = 20;
const EVENTS_PER_PAGE = 50;

/** The API responses the live mode would get, from the services. */
async function gatherResponses(ctx: RequestContext, deps: ServiceDeps): Promise<Parameters<typeof readApiResponses>[0]> {
  const pages: unknown[] = [];
  let marker: string | undefined;
  do {
    const page = await getAccountAuthorizationDetails.execute({ ...(marker !== undefined ? { Marker: marker } : {}), MaxItems: 1000 }, ctx, deps);
    pages.push(page);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  const accountId = ctx.caller.accountId;
  const content = await buildCredentialReport(deps.store, accountId, ctx.now);
  const policy = await accountPasswordPolicy(deps.store, accountId);
  const summary = await getAccountSummary(deps, {}, ctx);
  const events: { CloudTrailEvent: string }[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_EVENT_PAGES; page++) {
    const found = await lookupEvents(deps, { limit: EVENTS_PER_PAGE, startTime: new Date(ctx.now.getTime() - TRAIL_LOOKBACK_MS), endTime: ctx.now, ...(cursor ? { cursor } : {}) }, ctx);
    events.push(...found.events.map((e) => ({ CloudTrailEvent: e.recordJson })));
    cursor = found.nextCursor;
    if (!cursor) break;
  }
  return {
    authorizationDetailsPages: pages,
    credentialReport: { Content: content, GeneratedTime: ctx.now },
    passwordPolicy: policy ? { PasswordPolicy: toWirePasswordPolicy(policy) } : 'none',
    accountSummary: { SummaryMap: summary },
    events,
  };
}

function toWireFinding(f: Finding): AdvisorFinding {
  const fix = f.fix;
  return {
    CheckId: f.checkId,
    Practice: f.practice,
    Severity: f.severity,
    Title: f.title,
    Entities: f.entities.map((e) => ({ Type: e.type, Name: e.name, ...(e.arn ? { Arn: e.arn } : {}) })),
    Why: f.why,
    Fix: {
      Kind: fix.kind,
      ...(fix.kind === 'command' ? { Command: fix.command } : { Description: fix.description }),
      ...(fix.kind === 'policyDiff' ? { Diff: fix.diff } : {}),
    },
    ...(f.cis ? { Cis: f.cis } : {}),
    ...(f.prowler ? { Prowler: [...f.prowler] } : {}),
    ...(f.details ? { Details: f.details } : {}),
  };
}

/** The report as the wire shows it. */
export function toWireReport(report: AdvisorReport, accountId: string, now: Date): GetBestPracticesReportResponse {
  const practices: AdvisorPractice[] = report.practices.map((p) => ({
    Number: p.number,
    Title: p.title,
    Assessed: p.assessed,
    ...(p.score !== undefined ? { Score: p.score } : {}),
    Findings: p.findings.map(toWireFinding),
    ChecksRun: [...p.checksRun],
    NotAssessed: p.notAssessed.map((n) => ({ CheckId: n.checkId, Reason: n.reason })),
  }));
  return {
    AccountId: accountId,
    GeneratedFor: now,
    Inputs: [...report.inputs],
    ...(report.overallScore !== undefined ? { OverallScore: report.overallScore } : {}),
    Practices: practices,
    InputWarnings: [...report.inputWarnings],
  };
}

/** The GetBestPracticesReport operation. */
export const getBestPracticesReport = castellanOperation('GetBestPracticesReport', {
  resource: () => '*',
  async execute(_input, ctx, deps) {
    const report = advise(readApiResponses(await gatherResponses(ctx, deps)), { now: ctx.now });
    return toWireReport(report, ctx.caller.accountId, ctx.now);
  },
});
