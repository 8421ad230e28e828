import { describe, expect, it } from 'vitest';
import { advise } from '../advise.js';
import { readAccountSummary, readPasswordPolicy } from './account-settings.js';
import { readApiResponses, readLookupEvents } from './api-responses.js';
import { readAuthorizationDetails } from './authorization-details.js';
import { readTrailRecords } from './cloudtrail-records.js';
import { readCredentialReportResponse } from './credential-report.js';
import {
  ACCOUNT_SUMMARY,
  NOW,
  STRONG_PASSWORD_POLICY,
  authorizationDetailsJson,
  baselineAccount,
  baselineReportRows,
  credentialReportCsv,
  credentialReportResponse,
  trailRecord,
} from '../test-fixtures/test-account.js';

type Json = Record<string, unknown[]>;

/** The SDK's view of a document: ISO dates as `Date`, policy documents URL-encoded as on the wire. */
function asSdk(details: Json): Json {
  const encode = (doc: unknown): string => encodeURIComponent(JSON.stringify(doc));
  const out = structuredClone(details) as Record<string, Record<string, any>[]>;
  for (const r of out['RoleDetailList'] ?? []) r['AssumeRolePolicyDocument'] = encode(r['AssumeRolePolicyDocument']);
  for (const p of out['Policies'] ?? []) for (const v of p['PolicyVersionList'] ?? []) v['Document'] = encode(v['Document']);
  for (const u of out['UserDetailList'] ?? []) if (typeof u['CreateDate'] === 'string') u['CreateDate'] = new Date(u['CreateDate']);
  return out;
}

describe('readApiResponses', () => {
  const details = authorizationDetailsJson(baselineAccount()) as Json;
  const csv = credentialReportCsv(baselineReportRows());
  const record = trailRecord();

  it('reads SDK responses (pages, bytes, Dates, encoded documents, LookupEvents) like the exported files', () => {
    const half = (key: string) => [(details[key] ?? []).slice(0, 1), (details[key] ?? []).slice(1)];
    const pages = [0, 1].map((i) => asSdk({ UserDetailList: half('UserDetailList')[i]!, GroupDetailList: half('GroupDetailList')[i]!, RoleDetailList: half('RoleDetailList')[i]!, Policies: half('Policies')[i]! }));
    const live = readApiResponses({
      authorizationDetailsPages: pages,
      credentialReport: { Content: new TextEncoder().encode(csv), GeneratedTime: NOW },
      passwordPolicy: STRONG_PASSWORD_POLICY,
      accountSummary: ACCOUNT_SUMMARY,
      events: [{ CloudTrailEvent: JSON.stringify(record) }, { CloudTrailEvent: 'not json' }],
    });
    const offline = {
      authorizationDetails: readAuthorizationDetails(details)!,
      credentialReport: readCredentialReportResponse(credentialReportResponse(csv))!,
      passwordPolicy: readPasswordPolicy(STRONG_PASSWORD_POLICY)!,
      accountSummary: readAccountSummary(ACCOUNT_SUMMARY)!,
      trail: readTrailRecords({ Records: [record] })!,
    };
    expect(live.authorizationDetails!.users.map((u) => u.name)).toEqual(offline.authorizationDetails.users.map((u) => u.name));
    expect(live.authorizationDetails!.roles.map((r) => r.trustPolicy)).toEqual(offline.authorizationDetails.roles.map((r) => r.trustPolicy));
    expect(live.credentialReport).toEqual(offline.credentialReport);
    expect(live.trail).toEqual(offline.trail);
    expect(advise(live, { now: NOW })).toEqual(advise(offline, { now: NOW }));
  });

  it("takes 'none' for NoSuchEntity, and leaves out what was not fetched", () => {
    const inputs = readApiResponses({ passwordPolicy: 'none' });
    expect(inputs).toEqual({ passwordPolicy: { kind: 'none' } });
  });
});

describe('readLookupEvents', () => {
  it('reads `aws cloudtrail lookup-events` output and refuses other documents', () => {
    expect(readLookupEvents({ Events: [{ EventId: 'x', CloudTrailEvent: JSON.stringify(trailRecord({ eventName: 'ListUsers' })) }] })?.map((r) => r.eventName)).toEqual(['ListUsers']);
    expect(readLookupEvents({ Records: [] })).toBeUndefined();
  });
});
