/**
 * What the credential-report checks share: how they name root and users, and the report itself.
 */
import type { CredentialReport, CredentialReportRow } from '../inputs/credential-report.js';
import type { EntityRef } from '../types.js';
import type { CheckContext } from './check.js';

export const rootRef: EntityRef = { type: 'root', name: '<root_account>' };
export const userRef = (r: CredentialReportRow): EntityRef => ({ type: 'user', name: r.user, arn: r.arn });
export const credentialReport = (ctx: CheckContext): CredentialReport | undefined => ctx.inputs.credentialReport;
