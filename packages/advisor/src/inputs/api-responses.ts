/**
 * The advisor's inputs from API responses, as an SDK (or Castellan's own operation) holds them:
 * dates as `Date`, the credential report's `Content` as bytes, policy documents URL-encoded, events
 * as LookupEvents' `CloudTrailEvent` text. They are read by the same readers as the exported files,
 * so the live and offline modes run the same checks over the same documents.
 */
import type { AccountInputs } from './account-inputs.js';
import { readAccountSummary, readPasswordPolicy } from './account-settings.js';
import { readAuthorizationDetails } from './authorization-details.js';
import { readTrailRecords } from './cloudtrail-records.js';
import { readCredentialReportCsv } from './credential-report.js';

/** Responses of the calls the live mode makes; any may be missing. */
export interface ApiResponses {
  /** Every page of GetAccountAuthorizationDetails, in order. */
  readonly authorizationDetailsPages?: readonly unknown[];
  /** GetCredentialReport's answer (`Content` as bytes or text). */
  readonly credentialReport?: { readonly Content?: Uint8Array | string; readonly GeneratedTime?: Date | string };
  /** GetAccountPasswordPolicy's answer, or `'none'` when it answered NoSuchEntity. */
  readonly passwordPolicy?: unknown;
  /** GetAccountSummary's answer. */
  readonly accountSummary?: unknown;
  /** LookupEvents' events, every page (undefined when the trail was not read). */
  readonly events?: readonly { readonly CloudTrailEvent?: string }[];
}

/** Dates to ISO 8601 text, as the AWS CLI prints them; everything else as JSON has it. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

const LIST_KEYS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** Joins GetAccountAuthorizationDetails pages into one document, as `aws iam get-account-authorization-details` prints it. */
export function mergeAuthorizationDetailsPages(pages: readonly unknown[]): Record<string, unknown[]> {
  const merged: Record<string, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (const page of pages) {
    const p = plain(page) as Record<string, unknown> | null;
    for (const key of LIST_KEYS) if (Array.isArray(p?.[key])) merged[key]!.push(...(p[key] as unknown[]));
  }
  return merged;
}

/** The advisor's inputs from the responses. */
export function readApiResponses(r: ApiResponses): AccountInputs {
  const out: { -readonly [K in keyof AccountInputs]: AccountInputs[K] } = {};
  if (r.authorizationDetailsPages) {
    const details = readAuthorizationDetails(mergeAuthorizationDetailsPages(r.authorizationDetailsPages));
    if (details) out.authorizationDetails = details;
  }
  const content = r.credentialReport?.Content;
  if (content !== undefined) {
    const csv = typeof content === 'string' ? content : new TextDecoder().decode(content);
    const generated = r.credentialReport?.GeneratedTime;
    const report = readCredentialReportCsv(csv, generated instanceof Date ? generated.toISOString() : generated);
    if (report) out.credentialReport = report;
  }
  if (r.passwordPolicy === 'none') out.passwordPolicy = { kind: 'none' };
  else if (r.passwordPolicy !== undefined) {
    const policy = readPasswordPolicy(plain(r.passwordPolicy));
    if (policy) out.passwordPolicy = policy;
  }
  if (r.accountSummary !== undefined) {
    const summary = readAccountSummary(plain(r.accountSummary));
    if (summary) out.accountSummary = summary;
  }
  if (r.events) out.trail = readLookupEvents({ Events: r.events }) ?? [];
  return out;
}

/**
 * `aws cloudtrail lookup-events` output (`{"Events": [{"CloudTrailEvent": "…"}]}`): each event's
 * record is the JSON text a log file holds. Undefined when the value is not one.
 */
export function readLookupEvents(value: unknown): ReturnType<typeof readTrailRecords> {
  const events = typeof value === 'object' && value !== null ? (value as { Events?: unknown }).Events : undefined;
  if (!Array.isArray(events)) return undefined;
  const records: unknown[] = [];
  for (const e of events) {
    const text = typeof e === 'object' && e !== null ? (e as { CloudTrailEvent?: unknown }).CloudTrailEvent : undefined;
    if (typeof text !== 'string') continue;
    try {
      records.push(JSON.parse(text));
    } catch {
      // An unreadable record is skipped, as an unreadable log line would be.
    }
  }
  return readTrailRecords({ Records: records });
}
