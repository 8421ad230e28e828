import { describe, expect, it } from 'vitest';
import type { Principal } from '../domain/context.js';
import { IAM_MODEL } from '../protocol/model/iam-model.js';
import { STS_MODEL } from '../protocol/model/sts-model.js';
import { CLOUDTRAIL_MODEL } from '../protocol/model/cloudtrail-model.js';
import { CASTELLAN_MODEL } from '../protocol/model/castellan-model.js';
import type { ServiceModel } from '../protocol/model/service-model.js';
import type { AuditEventInput } from './audit-event.js';
import { buildCloudTrailRecord, serializeRecord } from './cloudtrail-record.js';
import { HIDDEN, isSecretMember, redactRequestParameters, redactResponseElements } from './redact.js';

const ACCOUNT = '123456789012';
const root: Principal = { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOT1234', mfaAuthenticated: false };

/** Each operation that carries a secret, with the secret values a record must never contain. */
const SECRET_CASES: { op: string; service?: AuditEventInput['service']; readOnly?: boolean; request?: Record<string, unknown>; response?: Record<string, unknown>; secrets: string[]; hidden?: string[] }[] = [
  { op: 'CreateLoginProfile', request: { UserName: 'bob', Password: 'Corr3ct-Horse-Battery!', PasswordResetRequired: true }, response: { LoginProfile: { UserName: 'bob', CreateDate: new Date(0), PasswordResetRequired: true } }, secrets: ['Corr3ct-Horse-Battery!'], hidden: ['password'] },
  { op: 'UpdateLoginProfile', request: { UserName: 'bob', Password: 'N3w-Secret-Passw0rd' }, secrets: ['N3w-Secret-Passw0rd'], hidden: ['password'] },
  { op: 'ChangePassword', request: { OldPassword: 'old-Passw0rd-1', NewPassword: 'new-Passw0rd-2' }, secrets: ['old-Passw0rd-1', 'new-Passw0rd-2'], hidden: ['oldPassword', 'newPassword'] },
  { op: 'CreateAccessKey', request: { UserName: 'bob' }, response: { AccessKey: { UserName: 'bob', AccessKeyId: 'AKIABOBNEWKEY0000001', Status: 'Active', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', CreateDate: new Date(0) } }, secrets: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'] },
  { op: 'CreateVirtualMFADevice', request: { VirtualMFADeviceName: 'bob-phone' }, response: { VirtualMFADevice: { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob-phone`, Base32StringSeed: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', QRCodePNG: 'iVBORw0KGgoAAAANSUhEUgQRCODEPNGDATA' } }, secrets: ['JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'iVBORw0KGgoAAAANSUhEUgQRCODEPNGDATA'] },
  { op: 'EnableMFADevice', request: { UserName: 'bob', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob-phone`, AuthenticationCode1: '918273', AuthenticationCode2: '564738' }, secrets: ['918273', '564738'], hidden: ['authenticationCode1', 'authenticationCode2'] },
  { op: 'ResyncMFADevice', request: { UserName: 'bob', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob-phone`, AuthenticationCode1: '102938', AuthenticationCode2: '475610' }, secrets: ['102938', '475610'] },
  { op: 'UploadServerCertificate', request: { ServerCertificateName: 'web', CertificateBody: '-----BEGIN CERTIFICATE-----', PrivateKey: '-----BEGIN RSA PRIVATE KEY-----MIIEsecretkeymaterial' }, secrets: ['MIIEsecretkeymaterial'] },
  { op: 'CreateServiceSpecificCredential', request: { UserName: 'bob', ServiceName: 'codecommit.amazonaws.com' }, response: { ServiceSpecificCredential: { ServiceUserName: 'bob-at-1', ServicePassword: 'svc-pass-0123456789abcdef', UserName: 'bob' } }, secrets: ['svc-pass-0123456789abcdef'] },
  { op: 'AssumeRole', service: 'sts', readOnly: true, request: { RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RoleSessionName: 's', SerialNumber: 'arn:mfa', TokenCode: '246810', ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'signed-context-assertion-blob' }] }, response: { Credentials: { AccessKeyId: 'ASIATEMP000000000001', SecretAccessKey: 'sts-secret-access-key-0000000000000000001', SessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN1', Expiration: new Date(0) } }, secrets: ['246810', 'signed-context-assertion-blob', 'sts-secret-access-key-0000000000000000001', 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN1'] },
  { op: 'AssumeRoleWithSAML', service: 'sts', readOnly: true, request: { RoleArn: 'arn:role', PrincipalArn: 'arn:saml', SAMLAssertion: 'PHNhbWxwOlJlc3BvbnNlIFNBTUxBU1NFUlRJT04=' }, response: { Credentials: { AccessKeyId: 'ASIATEMP000000000002', SecretAccessKey: 'sts-secret-2', SessionToken: 'session-token-2' } }, secrets: ['PHNhbWxwOlJlc3BvbnNlIFNBTUxBU1NFUlRJT04=', 'sts-secret-2', 'session-token-2'] },
  { op: 'AssumeRoleWithWebIdentity', service: 'sts', readOnly: true, request: { RoleArn: 'arn:role', RoleSessionName: 'w', WebIdentityToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3ZWIifQ.sig' }, response: { Credentials: { AccessKeyId: 'ASIATEMP000000000003', SecretAccessKey: 'sts-secret-3', SessionToken: 'session-token-3' } }, secrets: ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3ZWIifQ.sig', 'sts-secret-3', 'session-token-3'] },
  { op: 'GetSessionToken', service: 'sts', readOnly: true, request: { DurationSeconds: 3600, SerialNumber: 'arn:mfa', TokenCode: '135790' }, response: { Credentials: { AccessKeyId: 'ASIATEMP000000000004', SecretAccessKey: 'sts-secret-4', SessionToken: 'session-token-4' } }, secrets: ['135790', 'sts-secret-4', 'session-token-4'] },
  { op: 'GetFederationToken', service: 'sts', readOnly: true, request: { Name: 'fed' }, response: { Credentials: { AccessKeyId: 'ASIATEMP000000000005', SecretAccessKey: 'sts-secret-5', SessionToken: 'session-token-5' } }, secrets: ['sts-secret-5', 'session-token-5'] },
  { op: 'ConsoleLogin', service: 'signin', request: { Password: 'console-passw0rd', MfaCode: '112233' }, response: { ConsoleLogin: 'Success' }, secrets: ['console-passw0rd', '112233'] },
  { op: 'ListUsers', readOnly: true, request: { 'X-Amz-Security-Token': 'presigned-session-token', 'X-Amz-Signature': 'abcdef0123456789' }, secrets: ['presigned-session-token', 'abcdef0123456789'] },
];

describe('redaction', () => {
  for (const c of SECRET_CASES) {
    it(`${c.op}: no secret in the record`, () => {
      // Given a call that carries secrets, When its record is built and serialized
      const record = buildCloudTrailRecord({
        eventId: 'e', requestId: 'r', eventTime: new Date(0), service: c.service ?? 'iam', eventSource: `${c.service ?? 'iam'}.amazonaws.com`, global: (c.service ?? 'iam') !== 'sts', eventName: c.op, region: 'us-east-1',
        sourceIp: '192.0.2.1', userAgent: 'test', caller: root, accountId: ACCOUNT, readOnly: c.readOnly ?? false,
        ...(c.request ? { request: c.request } : {}), ...(c.response ? { response: c.response } : {}),
      });
      const json = serializeRecord(record);
      // Then none of the secrets appears anywhere, and request secrets read as AWS's placeholder
      for (const s of c.secrets) expect(json).not.toContain(s);
      for (const h of c.hidden ?? []) expect(record.requestParameters?.[h]).toBe(HIDDEN);
    });
  }

  it('scrubs a secret the error message echoes', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.' + 'x'.repeat(3000);
    const record = buildCloudTrailRecord({
      eventId: 'e', requestId: 'r', eventTime: new Date(0), service: 'sts', eventSource: 'sts.amazonaws.com', global: false, eventName: 'AssumeRoleWithWebIdentity', region: 'us-east-1',
      sourceIp: '192.0.2.1', userAgent: 'test', accountId: ACCOUNT, readOnly: true, request: { RoleArn: 'arn:role', WebIdentityToken: token },
      error: { code: 'ValidationError', message: `1 validation error detected: Value '${token}' at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 2048` },
    });
    expect(serializeRecord(record)).not.toContain(token);
    expect(record.errorMessage).toContain(`Value '${HIDDEN}' at 'webIdentityToken'`);
  });

  it('keeps what is not secret (the new key id, user, status)', () => {
    const out = redactResponseElements({ accessKey: { accessKeyId: 'AKIA1', secretAccessKey: 's', status: 'Active', userName: 'bob' } });
    expect(out).toEqual({ accessKey: { accessKeyId: 'AKIA1', status: 'Active', userName: 'bob' } });
    expect(redactRequestParameters({ userName: 'bob', password: 'p', tags: [{ key: 'password', value: 'not-a-member' }] })).toEqual({ userName: 'bob', password: HIDDEN, tags: [{ key: 'password', value: 'not-a-member' }] });
  });

  it('covers every member the AWS models mark sensitive', () => {
    const models: ServiceModel[] = [IAM_MODEL, STS_MODEL, CLOUDTRAIL_MODEL, CASTELLAN_MODEL];
    const missing: string[] = [];
    for (const model of models) {
      for (const [shapeName, shape] of Object.entries(model.shapes)) {
        if (shape.type !== 'structure') continue;
        for (const [member, ref] of Object.entries(shape.members)) {
          const target = model.shapes[ref.shape] as { sensitive?: boolean } | undefined;
          if (target?.sensitive && !isSecretMember(member)) missing.push(`${model.serviceId} ${shapeName}.${member}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  /** Each value, and the JSON text its redacted response elements must serialize to. */
  const DROP_CASES: Array<{ name: string; value: unknown; json: string; same: boolean }> = [
    { name: 'a decision (no secret member)', value: { 'castellan:decision': { effect: 'explicitDeny', action: 'iam:GetUser', decidedBy: [{ policyId: 'group:g:p', statementIndex: 0, sid: 'Password' }], missing: undefined } },
      json: '{"castellan:decision":{"effect":"explicitDeny","action":"iam:GetUser","decidedBy":[{"policyId":"group:g:p","statementIndex":0,"sid":"Password"}]}}', same: true },
    { name: 'dates, nulls and a null-prototype object', value: { at: new Date(0), none: null, bag: Object.assign(Object.create(null), { a: 1 }) }, json: '{"at":"1970-01-01T00:00:00.000Z","none":null,"bag":{"a":1}}', same: true },
    { name: 'a secret member deep in an array', value: { list: [{ ok: 1 }, { SessionToken: 't', ok: 2 }] }, json: '{"list":[{"ok":1},{"ok":2}]}', same: false },
    { name: 'a secret member at the top', value: { secretAccessKey: 's', keep: 'k' }, json: '{"keep":"k"}', same: false },
    // A class instance is copied member by member as before (a Buffer's own toJSON is not what the record keeps).
    { name: 'a Buffer', value: { data: Buffer.from('ab') }, json: '{"data":{"0":97,"1":98}}', same: false },
  ];
  for (const c of DROP_CASES) {
    it(`response elements: ${c.name}`, () => {
      const out = redactResponseElements(c.value);
      expect(JSON.stringify(out)).toBe(c.json);
      // Nothing to remove: the value itself, not a copy (the record's text is the same either way).
      expect(out === c.value).toBe(c.same);
    });
  }
});
