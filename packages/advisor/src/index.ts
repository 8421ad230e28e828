/**
 * @castellan/advisor: AWS's eleven IAM best practices checked over an account's exported
 * documents, a policy linter, least-privilege policies generated from CloudTrail, and what-if
 * diffs of policy changes. Pure and synchronous: callers read files and pass the catalogue.
 * @module
 */
export type { Severity, PracticeNumber, EntityRef, Fix, Finding, CheckOutcome, CheckInfo, PracticeResult, AdvisorReport } from './types.js';
export { advise, CHECKS, type AdviseOptions } from './advise.js';
export { PRACTICES } from './practices.js';
export { SEVERITY_PENALTY, scorePractice, overallScore } from './score.js';
export type { AccountInputs } from './inputs/account-inputs.js';
export { readAuthorizationDetails, decodePolicyDocument, type AuthorizationDetails, type UserDetail, type GroupDetail, type RoleDetail, type ManagedPolicyDetail, type NamedDocument } from './inputs/authorization-details.js';
export { readCredentialReportCsv, readCredentialReportResponse, type CredentialReport } from './inputs/credential-report.js';
export { readPasswordPolicy, readAccountSummary, isNoPasswordPolicyText, type PasswordPolicy, type PasswordPolicyInput, type AccountSummary } from './inputs/account-settings.js';
export { readTrailRecords, actionOfRecord, type TrailRecord } from './inputs/cloudtrail-records.js';
export { readApiResponses, readLookupEvents, mergeAuthorizationDetailsPages, type ApiResponses } from './inputs/api-responses.js';
export { renderTable } from './render/render-table.js';
export { renderSarif, type SarifOptions } from './render/render-sarif.js';
export { renderHtml, scoreChartSvg } from './render/render-html.js';
export { lineDiff, prettyJson } from './diff/line-diff.js';
export type { AdvisorCatalog, CatalogAction, CatalogResourceType } from './catalog.js';
export { lintPolicy, hasFindingOf, type LintFinding, type LintFindingType, type LintOptions } from './lint/lint-policy.js';
export { TAG_ON_CREATE, tagActionOnCreate } from './tag-on-create.js';
export { generatePolicy, type GenerateOptions, type GeneratedPolicy, type ObservedCall } from './generate/generate-policy.js';
export { whatIf, applyChanges, changeProblem, WIDE_SERVICES, type PolicyChange, type PrincipalDiff, type AccessChange, type WhatIfResult, type WhatIfOptions } from './diff/what-if.js';
