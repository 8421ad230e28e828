import { describe, expect, it } from 'vitest';
import type { Principal } from '../domain/context.js';
import type { AuditEventInput } from './audit-event.js';
import { buildCloudTrailRecord, serializeRecord } from './cloudtrail-record.js';
import { formatElementDate, formatEventTime, toCloudTrailStyle } from './cloudtrail-style.js';
import { redactRequestParameters, redactResponseElements } from './redact.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-03-04T15:06:07.890Z');

const root: Principal = { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOT1234', mfaAuthenticated: false };
const bob: Principal = { type: 'IAMUser', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/bob`, principalId: 'AIDABOBBOBBOBBOBBOB12', userName: 'bob', accessKeyId: 'AKIABOBBOBBOBBOB1234', mfaAuthenticated: false };
const roleSession: Principal = {
  type: 'AssumedRole',
  accountId: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run`,
  principalId: 'AROADEPLOYERDEPLOYER1:ci-run',
  accessKeyId: 'ASIATEMPTEMPTEMP1234',
  mfaAuthenticated: true,
  session: {
    issuerArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
    issuerType: 'Role',
    issuerName: 'deployer',
    issuerPrincipalId: 'AROADEPLOYERDEPLOYER1',
    sessionName: 'ci-run',
    createdAt: new Date('2026-03-04T14:00:00Z'),
    expiresAt: new Date('2026-03-04T15:00:00Z'),
    mfaAuthenticated: true,
  },
};

/** An event as the pipeline hands it over: event source and global flag from the service table, error codes as the client received them. */
function input(over: Partial<AuditEventInput>): AuditEventInput {
  return {
    eventId: '11111111-2222-3333-4444-555555555555',
    requestId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    eventTime: NOW,
    service: 'iam',
    eventSource: `${over.service ?? 'iam'}.amazonaws.com`,
    global: ['iam', 'signin'].includes(over.service ?? 'iam'),
    eventName: 'CreateUser',
    region: 'eu-west-3',
    sourceIp: '192.0.2.10',
    userAgent: 'aws-cli/2.15.0',
    caller: root,
    accountId: ACCOUNT,
    readOnly: false,
    ...over,
  };
}

describe('buildCloudTrailRecord', () => {
  const cases: { name: string; given: Partial<AuditEventInput>; expect: Record<string, unknown> }[] = [
    {
      name: 'root CreateUser: camelCase parameters, user with createDate as AWS renders it, IAM in us-east-1',
      given: {
        request: { UserName: 'carol', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] },
        response: { User: { Path: '/eng/', UserName: 'carol', UserId: 'AIDACAROLCAROLCAROL12', Arn: `arn:aws:iam::${ACCOUNT}:user/eng/carol`, CreateDate: new Date('2026-03-04T15:06:07Z') } },
      },
      expect: {
        eventVersion: '1.09',
        userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOT1234' },
        eventTime: '2026-03-04T15:06:07Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        awsRegion: 'us-east-1',
        sourceIPAddress: '192.0.2.10',
        userAgent: 'aws-cli/2.15.0',
        requestParameters: { userName: 'carol', path: '/eng/', tags: [{ key: 'team', value: 'core' }] },
        responseElements: { user: { path: '/eng/', userName: 'carol', userId: 'AIDACAROLCAROLCAROL12', arn: `arn:aws:iam::${ACCOUNT}:user/eng/carol`, createDate: 'Mar 4, 2026 3:06:07 PM' } },
        requestID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        eventID: '11111111-2222-3333-4444-555555555555',
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: ACCOUNT,
        eventCategory: 'Management',
      },
    },
    {
      name: 'IAM user denied: errorCode and errorMessage, no responseElements, userName in identity',
      given: {
        caller: bob,
        eventName: 'DeleteUser',
        request: { UserName: 'carol' },
        error: { code: 'AccessDenied', message: `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: iam:DeleteUser on resource: arn:aws:iam::${ACCOUNT}:user/carol because no identity-based policy allows the iam:DeleteUser action` },
      },
      expect: {
        userIdentity: { type: 'IAMUser', principalId: 'AIDABOBBOBBOBBOBBOB12', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, accessKeyId: 'AKIABOBBOBBOBBOB1234', userName: 'bob' },
        errorCode: 'AccessDenied',
        errorMessage: expect.stringContaining('is not authorized to perform: iam:DeleteUser'),
        requestParameters: { userName: 'carol' },
        responseElements: null,
      },
    },
    {
      name: 'read-only call: no response recorded, parameters null without input',
      given: { eventName: 'ListUsers', readOnly: true, request: {}, response: { Users: [], IsTruncated: false } },
      expect: { readOnly: true, requestParameters: null, responseElements: null },
    },
    {
      name: 'assumed-role session: sessionContext with issuer, creation date and MFA as strings',
      given: { caller: roleSession, eventName: 'ListRoles', readOnly: true },
      expect: {
        userIdentity: {
          type: 'AssumedRole',
          principalId: 'AROADEPLOYERDEPLOYER1:ci-run',
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run`,
          accountId: ACCOUNT,
          accessKeyId: 'ASIATEMPTEMPTEMP1234',
          sessionContext: {
            sessionIssuer: { type: 'Role', principalId: 'AROADEPLOYERDEPLOYER1', arn: `arn:aws:iam::${ACCOUNT}:role/deployer`, accountId: ACCOUNT, userName: 'deployer' },
            webIdFederationData: {},
            attributes: { creationDate: '2026-03-04T14:00:00Z', mfaAuthenticated: 'true' },
          },
        },
      },
    },
    {
      name: 'failed authentication: identity of type Unknown with only the claimed key',
      given: { caller: undefined, claimedAccessKeyId: 'AKIANOSUCHKEY0000000', eventName: 'ListUsers', readOnly: true, error: { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' } },
      expect: { userIdentity: { type: 'Unknown', principalId: '', accountId: ACCOUNT, accessKeyId: 'AKIANOSUCHKEY0000000' }, errorCode: 'InvalidClientTokenId' },
    },
    {
      name: 'STS keeps the signing region and records the issued credentials without secrets',
      given: {
        service: 'sts',
        eventName: 'AssumeRole',
        region: 'eu-west-3',
        readOnly: true,
        request: { RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ci-run', TokenCode: '123456' },
        response: {
          Credentials: { AccessKeyId: 'ASIATEMPTEMPTEMP1234', SecretAccessKey: 'tempsecret/abcdefghijklmnopqrstuvwxyz012', SessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN', Expiration: new Date('2026-03-04T16:06:07Z') },
          AssumedRoleUser: { AssumedRoleId: 'AROADEPLOYERDEPLOYER1:ci-run', Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run` },
        },
      },
      expect: {
        eventSource: 'sts.amazonaws.com',
        awsRegion: 'eu-west-3',
        requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, roleSessionName: 'ci-run', tokenCode: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        responseElements: {
          credentials: { accessKeyId: 'ASIATEMPTEMPTEMP1234', expiration: 'Mar 4, 2026 4:06:07 PM' },
          assumedRoleUser: { assumedRoleId: 'AROADEPLOYERDEPLOYER1:ci-run', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run` },
        },
      },
    },
    {
      name: 'console sign-in: AwsConsoleSignIn event with additional data',
      given: { service: 'signin', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', caller: bob, response: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.example' } },
      expect: { eventSource: 'signin.amazonaws.com', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.example' } },
    },
    {
      name: 'console sign-in naming no user of the account: an IAMUser whose name is hidden, AWS\'s errorMessage',
      given: { service: 'signin', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', caller: undefined, unknownSignInName: true, response: { ConsoleLogin: 'Failure' }, error: { code: 'ConsoleLoginFailure', message: 'No username found in supplied account' } },
      expect: { userIdentity: { type: 'IAMUser', accountId: ACCOUNT, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, errorMessage: 'No username found in supplied account', responseElements: { ConsoleLogin: 'Failure' } },
    },
    {
      name: 'IAM user\'s call with a console session: the session in sessionContext (sign-in time, MFA), sessionCredentialFromConsole',
      given: { caller: { ...bob, accessKeyId: undefined, mfaAuthenticated: true }, eventName: 'ListUsers', readOnly: true, consoleSession: { signedInAt: new Date('2026-03-04T14:59:00.250Z') } },
      expect: {
        userIdentity: { type: 'IAMUser', principalId: 'AIDABOBBOBBOBBOBBOB12', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, userName: 'bob', sessionContext: { sessionIssuer: {}, attributes: { creationDate: '2026-03-04T14:59:00Z', mfaAuthenticated: 'true' } } },
        sessionCredentialFromConsole: 'true',
      },
    },
    {
      // CloudTrail User Guide, userIdentity element: a Root identity's userName is the account alias when one is set.
      name: 'root\'s call in an account with an alias: the alias as userName',
      given: { caller: { ...root, accountAlias: 'example-corp' }, eventName: 'ListUsers', readOnly: true },
      expect: { userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOT1234', userName: 'example-corp' } },
    },
    {
      name: 'root\'s call with a console session: Root identity with its session, sessionCredentialFromConsole',
      given: { caller: { ...root, accessKeyId: undefined }, eventName: 'ListUsers', readOnly: true, consoleSession: { signedInAt: new Date('2026-03-04T14:59:00Z') } },
      expect: {
        userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, sessionContext: { sessionIssuer: {}, attributes: { creationDate: '2026-03-04T14:59:00Z', mfaAuthenticated: 'false' } } },
        sessionCredentialFromConsole: 'true',
      },
    },
    {
      name: 'CreateRole: the trust policy raw in requestParameters, URL-encoded in responseElements as IAM returns it',
      given: {
        eventName: 'CreateRole',
        request: { RoleName: 'r1', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}' },
        response: { Role: { RoleName: 'r1', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}' } },
      },
      expect: {
        requestParameters: { roleName: 'r1', assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}' },
        responseElements: { role: { roleName: 'r1', assumeRolePolicyDocument: '%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A123456789012%3Aroot%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D' } },
      },
    },
    {
      name: 'CloudTrail (AWS JSON) call denied: the error code its client received, AccessDeniedException',
      given: { service: 'cloudtrail', eventName: 'LookupEvents', readOnly: true, caller: bob, error: { code: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: cloudtrail:LookupEvents' } },
      expect: { eventSource: 'cloudtrail.amazonaws.com', errorCode: 'AccessDeniedException' },
    },
    {
      name: 'CloudTrail (AWS JSON) call with an unknown key: UnrecognizedClientException',
      given: { service: 'cloudtrail', eventName: 'LookupEvents', readOnly: true, caller: undefined, claimedAccessKeyId: 'AKIANOSUCHKEY0000000', error: { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } },
      expect: { errorCode: 'UnrecognizedClientException' },
    },
    {
      name: 'CloudTrail (AWS JSON) call with a bad signature: InvalidSignatureException; its own codes unchanged',
      given: { service: 'cloudtrail', eventName: 'LookupEvents', readOnly: true, error: { code: 'InvalidSignatureException', message: 'The request signature we calculated does not match the signature you provided.' } },
      expect: { errorCode: 'InvalidSignatureException' },
    },
    {
      name: 'TLS details when known',
      given: { tls: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'iam.example.com' } },
      expect: { tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'iam.example.com' } },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      // Given the request, When the record is built, Then it has AWS's members and values
      const record = buildCloudTrailRecord(input(c.given));
      expect(record).toMatchObject(c.expect);
      expect(JSON.parse(serializeRecord(record))).toEqual(JSON.parse(JSON.stringify(record)));
    });
  }

  // The order is that of the stored text (members that do not apply are undefined in the object).
  const writtenKeys = (record: ReturnType<typeof buildCloudTrailRecord>) => Object.keys(JSON.parse(serializeRecord(record)) as object);

  it('writes members in the order AWS does', () => {
    const keys = writtenKeys(buildCloudTrailRecord(input({ error: { code: 'AccessDenied', message: 'no' }, request: { UserName: 'x' } })));
    expect(keys).toEqual([
      'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
      'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'requestID', 'eventID', 'readOnly', 'eventType',
      'managementEvent', 'recipientAccountId', 'eventCategory',
    ]);
  });

  it('writes sessionCredentialFromConsole last, only for a console session\'s call', () => {
    const keys = writtenKeys(buildCloudTrailRecord(input({ consoleSession: { signedInAt: NOW } })));
    expect(keys.slice(keys.indexOf('eventCategory'))).toEqual(['eventCategory', 'sessionCredentialFromConsole']);
    const signed = buildCloudTrailRecord(input({}));
    expect(signed.sessionCredentialFromConsole).toBeUndefined();
    expect(signed.userIdentity.sessionContext).toBeUndefined();
  });

  it('keeps the identity of an unknown sign-in name apart from a failed authentication\'s', () => {
    expect(buildCloudTrailRecord(input({ caller: undefined, error: { code: 'InvalidClientTokenId', message: 'x' } })).userIdentity).toEqual({ type: 'Unknown', principalId: '', accountId: ACCOUNT });
    expect(buildCloudTrailRecord(input({ service: 'signin', eventType: 'AwsConsoleSignIn', caller: undefined, unknownSignInName: true, error: { code: 'ConsoleLoginFailure', message: 'x' } })).userIdentity)
      .toEqual({ type: 'IAMUser', accountId: ACCOUNT, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
  });

  it('writes sharedEventID after recipientAccountId, only for a call delivered to two trails', () => {
    const keys = writtenKeys(buildCloudTrailRecord(input({ sharedEventId: '8f1c0a4e-5d4b-4b8a-9a51-0c7d2b1e3f60' })));
    expect(keys.slice(keys.indexOf('recipientAccountId'))).toEqual(['recipientAccountId', 'sharedEventID', 'eventCategory']);
    expect(buildCloudTrailRecord(input({})).sharedEventID).toBeUndefined();
  });

  it("shows a caller of another account as AWSAccount in the resource owner's copy, in the caller's own record in full", () => {
    const caller = { type: 'IAMUser' as const, accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice', principalId: 'AIDAALICEALICEALICE1', userName: 'alice', accessKeyId: 'AKIAALICEALICEALICE1', mfaAuthenticated: false };
    const shared = { caller, sharedEventId: 'e0b7f0a2-8d0c-4f3e-9c62-2a1d6c1b9e11' };
    expect(buildCloudTrailRecord(input({ ...shared, accountId: '444455556666' })).userIdentity).toEqual({ type: 'AWSAccount', principalId: 'AIDAALICEALICEALICE1', accountId: '111122223333' });
    expect(buildCloudTrailRecord(input({ ...shared, accountId: '111122223333' })).userIdentity).toMatchObject({ type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAALICEALICEALICE1' });
  });
});

describe('request parameters and response elements', () => {
  it('keeps the keys of a federation call\'s principalTags as the token wrote them, as AWS\'s records do', () => {
    const record = buildCloudTrailRecord(input({ service: 'sts', eventName: 'AssumeRoleWithSAML', request: { RoleArn: 'r', SAMLAssertionID: '_a1', PrincipalTags: { CostCenter: '987654', Project: 'Unicorn' } } }));
    expect(record.requestParameters).toEqual({ roleArn: 'r', sAMLAssertionID: '_a1', principalTags: { CostCenter: '987654', Project: 'Unicorn' } });
  });

  it('keeps the keys of a chained AssumeRole\'s incomingTransitiveTags as the caller wrote them, as AWS\'s records do', () => {
    const record = buildCloudTrailRecord(input({ service: 'sts', readOnly: false, request: { RoleArn: 'r', IncomingTransitiveTags: { Department: 'Engineering', CostCenter: '1' } } }));
    expect(record.requestParameters).toEqual({ roleArn: 'r', incomingTransitiveTags: { Department: 'Engineering', CostCenter: '1' } });
  });

  // The record builds them in one walk; these pin it to the composition it replaced (camelCase
  // rendering, then redaction), member order included, since the record text is hashed.
  const composed = (value: Record<string, unknown>, kind: 'request' | 'response') => {
    const styled = toCloudTrailStyle(value) as Record<string, unknown>;
    return kind === 'request' ? redactRequestParameters(styled) : redactResponseElements(styled);
  };
  const values: Record<string, unknown>[] = [
    { UserName: 'u', Password: 'p', Gone: undefined, Nothing: null, Tags: [{ Key: 'Password', Value: 'v' }, undefined], Blob: new Uint8Array([1, 2]), When: new Date(0), Big: 7n },
    { Password: null, UserName: 'u', password: 'later' },
    { password: 'first', UserName: 'u', Password: null },
    { UserName: 'u', userName: 'v', Nested: { SecretAccessKey: 's', SessionToken: null, List: [{ TokenCode: '123456' }] } },
    { RoleArn: 'r', IncomingTransitiveTags: { Department: 'Eng', Password: 'tag', When: new Date(0) }, Tags: [{ Key: 'Department', Value: 'x' }] },
  ];
  for (const [i, value] of values.entries()) {
    for (const kind of ['request', 'response'] as const) {
      it(`renders ${kind} ${i} as toCloudTrailStyle then redaction would`, () => {
        const record = buildCloudTrailRecord(input({ service: 'sts', readOnly: false, request: value, response: value }));
        const got = kind === 'request' ? record.requestParameters : record.responseElements;
        expect(JSON.stringify(got)).toBe(JSON.stringify(composed(value, kind)));
      });
    }
  }

  it('URL-encodes IAM policy documents in responses only, as the wire carried them', () => {
    const doc = '{"Version":"2012-10-17"}';
    const record = buildCloudTrailRecord(input({ request: { RoleName: 'r', AssumeRolePolicyDocument: doc }, response: { Role: { RoleName: 'r', AssumeRolePolicyDocument: doc, document: doc } } }));
    expect(record.requestParameters).toEqual({ roleName: 'r', assumeRolePolicyDocument: doc });
    expect(record.responseElements).toEqual({ role: { roleName: 'r', assumeRolePolicyDocument: encodeURIComponent(doc), document: doc } });
  });
});

describe('CloudTrail date forms', () => {
  const cases = [
    { d: '2026-01-02T00:05:09.999Z', event: '2026-01-02T00:05:09Z', element: 'Jan 2, 2026 12:05:09 AM' },
    { d: '2026-12-31T12:00:00Z', event: '2026-12-31T12:00:00Z', element: 'Dec 31, 2026 12:00:00 PM' },
    { d: '2026-07-14T23:59:59Z', event: '2026-07-14T23:59:59Z', element: 'Jul 14, 2026 11:59:59 PM' },
    { d: '2026-07-14T23:59:59.001Z', event: '2026-07-14T23:59:59Z', element: 'Jul 14, 2026 11:59:59 PM' },
    { d: '+020000-01-01T00:00:00.500Z', event: '+020000-01-01T00:00:00Z', element: 'Jan 1, 20000 12:00:00 AM' },
    { d: '1969-12-31T23:59:59.500Z', event: '1969-12-31T23:59:59Z', element: 'Dec 31, 1969 11:59:59 PM' },
  ];
  for (const c of cases) {
    it(c.d, () => {
      expect(formatEventTime(new Date(c.d))).toBe(c.event);
      expect(formatElementDate(new Date(c.d))).toBe(c.element);
    });
  }
});
