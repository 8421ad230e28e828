/**
 * The advisor: every check over the inputs, grouped by practice and scored.
 */
import { CheckContext, type Check } from './checks/check.js';
import { accessKeyRotation } from './checks/access-key-rotation.js';
import { consoleUsersMfa } from './checks/console-user-mfa.js';
import { rootAccessKeys } from './checks/root-access-keys.js';
import { rootMfa } from './checks/root-mfa.js';
import { rootRecentUse } from './checks/root-recent-use.js';
import { twoActiveKeys } from './checks/two-active-access-keys.js';
import { unusedCredentials } from './checks/unused-credentials.js';
import { fullAdminPolicy } from './checks/full-admin-policy.js';
import { iamWildcard } from './checks/iam-wildcard.js';
import { notActionAllow } from './checks/not-action-allow.js';
import { passRoleAnyRole } from './checks/pass-role-any-role.js';
import { passRoleWithoutCondition } from './checks/pass-role-without-service-condition.js';
import { userAttachedPolicies } from './checks/user-attached-policies.js';
import { privilegeEscalation } from './checks/privilege-escalation.js';
import { adminInstanceProfile } from './checks/admin-instance-profile.js';
import { permissiveTrust } from './checks/permissive-role-trust.js';
import { supportRole } from './checks/support-role.js';
import { auditTrail } from './checks/audit-trail.js';
import { passwordPolicy } from './checks/password-policy.js';
import { workloadLongTermKeys } from './checks/workload-long-term-keys.js';
import { inputNames, type AccountInputs } from './inputs/account-inputs.js';
import { PRACTICES } from './practices.js';
import { overallScore, scorePractice } from './score.js';
import type { AdvisorReport, Finding, PracticeResult, Severity } from './types.js';

/** Every check, in report order. */
export const CHECKS: readonly Check[] = [
  rootAccessKeys,
  rootRecentUse,
  fullAdminPolicy,
  iamWildcard,
  notActionAllow,
  passRoleAnyRole,
  privilegeEscalation,
  userAttachedPolicies,
  passRoleWithoutCondition,
  auditTrail,
  passwordPolicy,
  accessKeyRotation,
  twoActiveKeys,
  unusedCredentials,
  rootMfa,
  consoleUsersMfa,
  permissiveTrust,
  supportRole,
  adminInstanceProfile,
  workloadLongTermKeys,
];

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Options of {@link advise}. */
export interface AdviseOptions {
  /** The time the report is for (ages and "recent" are measured from it). */
  now: Date;
}

/**
 * Runs every check. Pure: the inputs and the time come from the caller.
 *
 * @example
 * ```ts
 * const report = advise({ credentialReport: readCredentialReportCsv(csv) }, { now: new Date() });
 * report.practices[8]?.findings; // practice 9: MFA
 * ```
 */
export function advise(inputs: AccountInputs, options: AdviseOptions): AdvisorReport {
  const ctx = new CheckContext(inputs, options.now);
  const practices: PracticeResult[] = PRACTICES.map(({ number, title }) => {
    const findings: Finding[] = [];
    const checksRun: string[] = [];
    const notAssessed: { checkId: string; reason: string }[] = [];
    for (const check of CHECKS.filter((c) => c.practice === number)) {
      const outcome = check.run(ctx);
      if (outcome.assessed) {
        checksRun.push(check.id);
        findings.push(...outcome.findings);
      } else notAssessed.push({ checkId: check.id, reason: outcome.reason });
    }
    // A check may file a finding under another practice; regroup below.
    return { number, title, assessed: checksRun.length > 0, findings, checksRun, notAssessed };
  });
  const all = practices.flatMap((p) => p.findings);
  const regrouped = practices.map((p) => {
    const findings = all.filter((f) => f.practice === p.number).sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    return { ...p, findings, ...(p.assessed ? { score: scorePractice(findings) } : {}) };
  });
  return {
    generatedFor: options.now.toISOString(),
    ...(inputs.authorizationDetails?.accountId ? { accountId: inputs.authorizationDetails.accountId } : {}),
    inputs: inputNames(inputs),
    practices: regrouped,
    ...(overallScore(regrouped.map((p) => p.score)) !== undefined ? { overallScore: overallScore(regrouped.map((p) => p.score))! } : {}),
    inputWarnings: ctx.library?.warnings ?? [],
  };
}
