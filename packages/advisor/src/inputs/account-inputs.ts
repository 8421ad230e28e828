/**
 * Everything the offline advisor reads. Any part may be missing: a check whose input is missing
 * is reported as not assessed, never as passing.
 */
import type { AuthorizationDetails } from './authorization-details.js';
import type { CredentialReport } from './credential-report.js';
import type { AccountSummary, PasswordPolicyInput } from './account-settings.js';
import type { TrailRecord } from './cloudtrail-records.js';

export interface AccountInputs {
  readonly authorizationDetails?: AuthorizationDetails;
  readonly credentialReport?: CredentialReport;
  readonly passwordPolicy?: PasswordPolicyInput;
  readonly accountSummary?: AccountSummary;
  /** CloudTrail records; undefined when no log files were given (an empty list means files without events). */
  readonly trail?: readonly TrailRecord[];
}

/** The names of the inputs present, for the report. */
export function inputNames(inputs: AccountInputs): string[] {
  const names: string[] = [];
  if (inputs.authorizationDetails) names.push('authorization-details');
  if (inputs.credentialReport) names.push('credential-report');
  if (inputs.passwordPolicy) names.push('password-policy');
  if (inputs.accountSummary) names.push('account-summary');
  if (inputs.trail) names.push('cloudtrail');
  return names;
}
