/**
 * The advisor's public types: findings, practices and the report they make up.
 */

/** How bad a finding is. Ordered: critical is worst. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** The numbers of AWS's eleven IAM best practices, in the order the issue lists them. */
export type PracticeNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11;

/** An entity a finding is about. */
export interface EntityRef {
  readonly type: 'root' | 'user' | 'group' | 'role' | 'policy' | 'instanceProfile' | 'account' | 'accessKey' | 'trail';
  /** A user, role, group or policy name; `<root_account>` for root; the access key id for keys. */
  readonly name: string;
  readonly arn?: string;
}

/** How to fix a finding: a runnable AWS CLI command, or a policy change shown as a diff. */
export type Fix =
  | { readonly kind: 'command'; readonly command: string }
  | { readonly kind: 'policyDiff'; readonly description: string; readonly diff: string }
  | { readonly kind: 'manual'; readonly description: string };

/** One problem found. */
export interface Finding {
  /** Stable id of the check that produced it (`root-access-keys`); SARIF's ruleId. */
  readonly checkId: string;
  readonly practice: PracticeNumber;
  readonly severity: Severity;
  readonly title: string;
  readonly entities: readonly EntityRef[];
  /** Why it matters, in one sentence. */
  readonly why: string;
  readonly fix: Fix;
  /** CIS AWS Foundations Benchmark v3.0.0 control id, where one covers the finding. */
  readonly cis?: string;
  /** Prowler check ids, where Prowler has the same check. */
  readonly prowler?: readonly string[];
  /** Facts behind the finding (key age, last use…), for the reader. */
  readonly details?: string;
}

/** The result of one check over the inputs. */
export type CheckOutcome =
  | { readonly assessed: true; readonly findings: readonly Finding[] }
  | { readonly assessed: false; readonly reason: string };

/** What a check is. */
export interface CheckInfo {
  readonly id: string;
  readonly practice: PracticeNumber;
  readonly title: string;
}

/** The checks of one practice and what they found. */
export interface PracticeResult {
  readonly number: PracticeNumber;
  readonly title: string;
  /** True when at least one of its checks could be run. */
  readonly assessed: boolean;
  /** 0–100, or undefined when not assessed (see {@link scorePractice}). */
  readonly score?: number;
  readonly findings: readonly Finding[];
  readonly checksRun: readonly string[];
  /** Checks that could not run, with the missing input. */
  readonly notAssessed: readonly { readonly checkId: string; readonly reason: string }[];
}

/** The advisor's report. */
export interface AdvisorReport {
  /** The time the report was computed for (ISO 8601). */
  readonly generatedFor: string;
  readonly accountId?: string;
  /** Which inputs were given. */
  readonly inputs: readonly string[];
  readonly practices: readonly PracticeResult[];
  /** Mean of the assessed practices' scores, or undefined when none was assessed. */
  readonly overallScore?: number;
  /** Problems with the inputs themselves (an unreadable policy document…). */
  readonly inputWarnings: readonly string[];
}
