/**
 * What a check is, and the context every check reads: the inputs, the time of the report, and
 * the account's policies compiled once.
 */
import type { AccountInputs } from '../inputs/account-inputs.js';
import type { AuthorizationDetails } from '../inputs/authorization-details.js';
import { PolicyLibrary, principalPolicies, type PrincipalPolicies } from '../principal-policies.js';
import type { CheckInfo, CheckOutcome, Finding } from '../types.js';

/** Shared, lazily computed state of one advisor run. */
export class CheckContext {
  private principalsCache?: PrincipalPolicies[];
  readonly library?: PolicyLibrary;

  constructor(readonly inputs: AccountInputs, readonly now: Date) {
    if (inputs.authorizationDetails) this.library = new PolicyLibrary(inputs.authorizationDetails);
  }

  /** Every user and role with compiled policies (requires the authorization details). */
  principals(): PrincipalPolicies[] {
    if (!this.principalsCache) this.principalsCache = this.library && this.inputs.authorizationDetails ? principalPolicies(this.inputs.authorizationDetails, this.library) : [];
    return this.principalsCache;
  }

  /** Whole days from `iso` to now; undefined for an unreadable date. */
  daysSince(iso: string | undefined): number | undefined {
    if (!iso) return undefined;
    const t = Date.parse(iso);
    return Number.isNaN(t) ? undefined : Math.floor((this.now.getTime() - t) / 86_400_000);
  }
}

/** One check: what it is, and how it runs. */
export interface Check extends CheckInfo {
  run(ctx: CheckContext): CheckOutcome;
}

/** The outcome of a check whose input is missing. */
export const notAssessed = (reason: string): CheckOutcome => ({ assessed: false, reason });
/** The outcome of a check that ran. */
export const assessed = (findings: readonly Finding[]): CheckOutcome => ({ assessed: true, findings });

export const NEED_DETAILS = 'needs `aws iam get-account-authorization-details`';
export const NEED_REPORT = 'needs `aws iam get-credential-report`';

/** Runs `body` with the authorization details, or reports the check as not assessed. */
export function withDetails(ctx: CheckContext, body: (d: AuthorizationDetails) => readonly Finding[]): CheckOutcome {
  const d = ctx.inputs.authorizationDetails;
  return d ? assessed(body(d)) : notAssessed(NEED_DETAILS);
}

/** Quotes a value for a POSIX shell command line. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
export const NEED_TRAIL = 'needs CloudTrail log files or LookupEvents';
