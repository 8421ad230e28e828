/**
 * The benchmark signs its own requests (synchronously, inside autocannon's per-request hook): its
 * signatures must be the ones the AWS SDK's signer computes, or every case would measure refusals.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { amzDate, queryBody, signPost, signedCloudTrail, signedQuery } from './sign-request.js';

const DATE = new Date('2026-12-06T12:34:56.789Z');
const LONG_TERM = { accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SESSION = { ...LONG_TERM, accessKeyId: 'ASIAEXAMPLE000000001', sessionToken: 'FwoGZXIvYXdzEXAMPLE//token+with/odd=chars' };

/** The Authorization header the SDK's signer gives the same request. */
async function sdkAuthorization(req: { host: string; body: string; headers: Record<string, string>; service: string; credentials: typeof SESSION | typeof LONG_TERM }) {
  const signer = new SignatureV4({ credentials: req.credentials, region: 'us-east-1', service: req.service, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: req.host.split(':')[0]!, port: Number(req.host.split(':')[1]), path: '/', query: {}, headers: { host: req.host, ...req.headers }, body: req.body },
    { signingDate: DATE },
  );
  return signed.headers['authorization'];
}

describe('signPost', () => {
  it.each([
    ['STS with a long-term key', 'sts', 'GetCallerIdentity', {}, LONG_TERM],
    ['STS with a session token', 'sts', 'GetCallerIdentity', {}, SESSION],
    ['IAM with parameters that need encoding', 'iam', 'TagUser', { UserName: 'bench-user', 'Tags.member.1.Key': 'a b/c', 'Tags.member.1.Value': 'x+y=z&' }, LONG_TERM],
  ] as const)('signs %s as the AWS SDK does', async (_name, service, action, params, credentials) => {
    // Given a Query request signed by the benchmark's signer
    const req = signedQuery({ host: '127.0.0.1:8910', service, action, params, credentials, date: DATE });
    // Then its signature is the SDK's for the same request and date
    const { host, authorization, ...rest } = req.headers;
    expect(host).toBe('127.0.0.1:8910');
    const headers = Object.fromEntries(Object.entries(rest).filter(([k]) => k === 'content-type'));
    expect(authorization).toBe(await sdkAuthorization({ host, body: req.body, headers, service, credentials }));
    expect(req.headers['x-amz-security-token']).toBe('sessionToken' in credentials ? credentials.sessionToken : undefined);
  });

  it('signs a CloudTrail JSON request with its target header as the AWS SDK does', async () => {
    const req = signedCloudTrail({ host: '127.0.0.1:8910', action: 'LookupEvents', input: { MaxResults: 50 }, credentials: LONG_TERM, date: DATE });
    expect(req.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-target,');
    const headers = { 'content-type': req.headers['content-type'], 'x-amz-target': req.headers['x-amz-target'] };
    expect(req.headers.authorization).toBe(await sdkAuthorization({ host: '127.0.0.1:8910', body: req.body, headers, service: 'cloudtrail', credentials: LONG_TERM }));
  });

  it('gives a different signature for a different body', () => {
    const sign = (body: string) => signPost({ host: 'h:1', body, service: 'iam', region: 'us-east-1', credentials: LONG_TERM, date: DATE }).authorization;
    expect(sign('a=1')).not.toBe(sign('a=2'));
  });
});

describe('amzDate and queryBody', () => {
  it.each([
    [new Date('2026-12-06T12:34:56.789Z'), '20261206T123456Z'],
    [new Date('2027-01-01T00:00:00.000Z'), '20270101T000000Z'],
  ])('formats %s as %s', (date, expected) => {
    expect(amzDate(date)).toBe(expected);
  });

  it('puts Action and Version first and encodes values', () => {
    expect(queryBody('iam', 'GetUser', { UserName: 'a+b c' })).toBe('Action=GetUser&Version=2010-05-08&UserName=a%2Bb%20c');
    expect(queryBody('sts', 'GetCallerIdentity')).toBe('Action=GetCallerIdentity&Version=2011-06-15');
  });
});
