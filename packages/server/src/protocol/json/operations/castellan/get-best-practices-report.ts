/**
 * castellan:GetBestPracticesReport (Read, `*`): the caller's account checked against AWS's eleven
 * IAM best practices (services/advisor/best-practices-report.ts), answered in PascalCase.
 */
import type { AdvisorReport, Finding } from '@castellan/advisor';
import { bestPracticesReport } from '../../../../services/advisor/best-practices-report.js';
import { castellanOperation } from '../../../define-operation.js';
import type { AdvisorFinding, AdvisorPractice, GetBestPracticesReportResponse } from '../../../model/castellan-types.js';

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
    return toWireReport(await bestPracticesReport(deps, ctx), ctx.caller.accountId, ctx.now);
  },
});
