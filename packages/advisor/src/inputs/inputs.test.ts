import { describe, expect, it } from 'vitest';
import { readAuthorizationDetails } from './authorization-details.js';
import { readCredentialReportCsv, readCredentialReportResponse } from './credential-report.js';
import { isNoPasswordPolicyText, readPasswordPolicy } from './account-settings.js';
import { actionOfRecord, readTrailRecords } from './cloudtrail-records.js';
import { baselineAccount, authorizationDetailsJson, baselineReportRows, credentialReportCsv, credentialReportResponse, trailRecord } from '../test-fixtures/test-account.js';

describe('credential report', () => {
  it('reads the JSON response with base64 content like the decoded CSV', () => {
    const csv = credentialReportCsv(baselineReportRows());
    const fromJson = readCredentialReportResponse(credentialReportResponse(csv))!;
    expect(fromJson.rows).toEqual(readCredentialReportCsv(csv)!.rows);
    expect(fromJson.generatedTime).toBe('2026-06-01T12:00:00.000Z');
    const root = fromJson.rows[0]!;
    expect(root).toMatchObject({ isRoot: true, passwordEnabled: false, mfaActive: true });
    expect(root.passwordLastChanged).toBeUndefined(); // not_supported
    expect(fromJson.rows[1]!.accessKeys[0]).toMatchObject({ slot: 1, active: true, lastUsedService: 's3' });
    expect(fromJson.rows[1]!.accessKeys[1]).toEqual({ slot: 2, active: false });
  });

  it('refuses what is not a credential report', () => {
    expect(readCredentialReportCsv('name,value\na,b\n')).toBeUndefined();
    expect(readCredentialReportResponse({ Users: [] })).toBeUndefined();
  });
});

describe('authorization details', () => {
  it('accepts URL-encoded policy documents as the raw API returns them', () => {
    const json = authorizationDetailsJson(baselineAccount()) as { RoleDetailList: { AssumeRolePolicyDocument: unknown }[] };
    const trust = json.RoleDetailList[0]!.AssumeRolePolicyDocument;
    json.RoleDetailList[0]!.AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify(trust));
    const d = readAuthorizationDetails(json)!;
    expect(d.roles[0]!.trustPolicy).toEqual(trust);
    expect(d.accountId).toBe('111122223333');
    expect(d.policies.get('arn:aws:iam::aws:policy/AWSSupportAccess')?.awsManaged).toBe(true);
  });
});

describe('password policy', () => {
  it("recognises the AWS CLI's NoSuchEntity error as no policy", () => {
    expect(isNoPasswordPolicyText('\nAn error occurred (NoSuchEntity) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name 111122223333 cannot be found.\n')).toBe(true);
    // A trail that recorded that failed call is not the CLI's message.
    expect(isNoPasswordPolicyText(JSON.stringify({ Events: [{ CloudTrailEvent: JSON.stringify({ errorCode: 'NoSuchEntity', errorMessage: 'The Password Policy with domain name 111122223333 cannot be found.' }) }] }))).toBe(false);
    expect(readPasswordPolicy({ PasswordPolicy: { MinimumPasswordLength: 12 } })).toEqual({ kind: 'policy', policy: { minimumPasswordLength: 12 } });
  });
});

describe('CloudTrail records', () => {
  it('maps event sources to action prefixes', () => {
    expect(actionOfRecord({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' })).toBe('iam:CreateUser');
    expect(actionOfRecord({ eventSource: 'monitoring.amazonaws.com', eventName: 'PutMetricData' })).toBe('cloudwatch:PutMetricData');
  });

  it('keeps the session issuer of an assumed role', () => {
    const [r] = readTrailRecords({ Records: [trailRecord({ user: 'deployer', roleSession: 'ci' })] })!;
    expect(r!.identity).toMatchObject({ type: 'AssumedRole', sessionIssuerArn: 'arn:aws:iam::111122223333:role/deployer' });
  });
});
