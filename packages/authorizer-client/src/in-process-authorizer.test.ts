import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { deriveSigningKey } from '@castellan/server/service-kit';
import { describe, expect, it } from 'vitest';
import type { CastellanAuthorizer } from './castellan-authorizer.js';
import { InProcessAuthorizer } from './in-process-authorizer.js';
import type { AuthorizationAnswer, AuthorizationQuestion, PrincipalSnapshot } from './types.js';

const SECRET = 'alice-secret-0123456789abcdefghijklmnopq';
const KEY_ID = 'AKIAALICE00000000001';
const T0 = new Date('2026-12-06T12:00:00Z');
const principal = { type: 'IAMUser' as const, accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', principalId: 'AIDAALICE', userName: 'alice', mfaAuthenticated: false };
const READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] });

type SnapshotPolicy = PrincipalSnapshot['policies']['identity'][number];

function snapshot(now: Date, policies: SnapshotPolicy[] = [{ policyId: 'user:alice:read', name: 'read', document: READ }], who: PrincipalSnapshot['principal'] = principal, session?: SnapshotPolicy[], federatingUserArn?: string): PrincipalSnapshot {
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  return { accessKeyId: KEY_ID, principal: who, signingKey: deriveSigningKey(SECRET, date, 'us-east-1', 's3').toString('hex'), scope: { date, region: 'us-east-1', service: 's3' }, policies: { identity: policies, ...(session ? { session } : {}) }, tags: {}, validUntil: new Date(now.getTime() + 300_000), ...(federatingUserArn ? { federatingUserArn } : {}) };
}

/** A stand-in for the round trip: answers allowed with a snapshot, and counts the calls. */
function fakeCastellan(clock: { now: Date }, policies?: SnapshotPolicy[], who: PrincipalSnapshot['principal'] = principal, session?: SnapshotPolicy[], federatingUserArn?: string) {
  const calls: Array<{ question: AuthorizationQuestion; snapshot: boolean }> = [];
  const castellan = {
    service: 's3',
    async ask(question: AuthorizationQuestion, includeSnapshot: boolean): Promise<AuthorizationAnswer> {
      calls.push({ question, snapshot: includeSnapshot });
      return {
        authenticated: true, principal: who, allowed: true, payload: { kind: 'unsigned' },
        authentication: { method: 'sigv4-header', accessKeyId: KEY_ID, temporaryCredentials: false, mfaAuthenticated: false, region: 'us-east-1', service: 's3', signedAt: clock.now },
        decisions: [{ action: 's3:GetObject', resource: question.authorizations[0]!.resource, effect: 'allow', decidedBy: [] }],
        ...(includeSnapshot ? { snapshot: snapshot(clock.now, policies, who, session, federatingUserArn) } : {}),
      };
    },
  };
  return { castellan: castellan as unknown as CastellanAuthorizer, calls };
}

async function signed(path: string, at: Date, secret = SECRET) {
  const signer = new SignatureV4({ credentials: { accessKeyId: KEY_ID, secretAccessKey: secret }, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const out = await signer.sign({ method: 'GET', protocol: 'http:', hostname: 'localhost', path, query: {}, headers: { host: 'localhost', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, { signingDate: at });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = v;
  return { method: 'GET', path, query: '', headers };
}

const get = async (path: string, at: Date, sourceIp = '10.1.2.3', secret = SECRET): Promise<AuthorizationQuestion> => ({
  request: await signed(path, at, secret),
  sourceIp,
  authorizations: [{ action: 's3:GetObject', resource: `arn:aws:s3:::photos${path.slice('/photos'.length)}` }],
});

describe('InProcessAuthorizer', () => {
  it('asks Castellan once per key and scope, then verifies and decides locally with the snapshot’s policies', async () => {
    const clock = { now: T0 };
    const { castellan, calls } = fakeCastellan(clock);
    const local = new InProcessAuthorizer({ castellan, audit: 'off', now: () => clock.now });
    // The first request is a round trip that brings the snapshot back
    expect(await local.authorize(await get('/photos/a.jpg', T0))).toMatchObject({ authenticated: true, allowed: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.snapshot).toBe(true);
    // Later ones are decided here, by the snapshot's policy (its aws:SourceIp condition included)
    expect(await local.authorize(await get('/photos/b.jpg', T0))).toMatchObject({ authenticated: true, allowed: true, decisions: [{ effect: 'allow', decidedBy: [{ policyId: 'user:alice:read', sid: 'Read' }] }] });
    const outside = await local.authorize(await get('/photos/b.jpg', T0, '192.0.2.1'));
    expect(outside).toMatchObject({ authenticated: true, allowed: false, decisions: [{ effect: 'implicitDeny' }] });
    if (outside.authenticated) expect(outside.decisions[0]!.message).toContain('User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject');
    expect(await local.authorize(await get('/photos/c.jpg', T0, '10.1.2.3', 'wrong-secret-0000000000000000000000000000'))).toMatchObject({ authenticated: false, error: { code: 'SignatureDoesNotMatch' } });
    expect(calls).toHaveLength(1);
    expect(local.stats).toEqual({ local: 3, roundTrips: 1 });
  });

  it.each(['aws:MultiFactorAuthPresent', 'aws:username', 'aws:PrincipalTag/team', 'ec2:SourceInstanceArn'])('refuses the condition key %s as Castellan does, before deciding or asking', async (key) => {
    const clock = { now: T0 };
    const { castellan, calls } = fakeCastellan(clock);
    const local = new InProcessAuthorizer({ castellan, audit: 'write-behind', now: () => clock.now });
    await local.authorize(await get('/photos/a.jpg', T0));
    const q = { ...(await get('/photos/b.jpg', T0)), conditionKeys: { [key]: 'true' } };
    await expect(local.authorize(q)).rejects.toMatchObject({ name: 'CastellanCallError', code: 'ValidationException', message: expect.stringContaining(`'${key}'`) });
    await local.flush();
    expect(calls).toHaveLength(1);
    expect(local.stats).toEqual({ local: 0, roundTrips: 1 });
    expect(await local.authorize({ ...(await get('/photos/b.jpg', T0)), conditionKeys: { 's3:prefix': 'b', 'aws:RequestTag/team': 'x' } })).toMatchObject({ authenticated: true, allowed: true });
  });

  it('asks again when the snapshot has expired or the request is signed for another day', async () => {
    const clock = { now: T0 };
    const { castellan, calls } = fakeCastellan(clock);
    const local = new InProcessAuthorizer({ castellan, audit: 'off', now: () => clock.now });
    await local.authorize(await get('/photos/a.jpg', T0));
    clock.now = new Date(T0.getTime() + 301_000);
    await local.authorize(await get('/photos/a.jpg', clock.now));
    expect(calls).toHaveLength(2);
    clock.now = new Date('2026-12-07T00:00:05Z');
    await local.authorize(await get('/photos/a.jpg', clock.now));
    expect(calls).toHaveLength(3);
  });

  it('refuses a request outside the clock skew without asking', async () => {
    const clock = { now: T0 };
    const { castellan, calls } = fakeCastellan(clock);
    const local = new InProcessAuthorizer({ castellan, audit: 'off', now: () => clock.now });
    await local.authorize(await get('/photos/a.jpg', T0));
    expect(await local.authorize(await get('/photos/a.jpg', new Date(T0.getTime() - 16 * 60_000)))).toMatchObject({ authenticated: false, error: { code: 'SignatureDoesNotMatch' } });
    expect(calls).toHaveLength(1);
  });

  it('sends each locally decided request to Castellan afterwards, refreshing a stale snapshot on the way', async () => {
    const clock = { now: T0 };
    const { castellan, calls } = fakeCastellan(clock);
    const local = new InProcessAuthorizer({ castellan, refreshAfterMs: 10_000, now: () => clock.now });
    await local.authorize(await get('/photos/a.jpg', T0));
    await local.authorize(await get('/photos/b.jpg', T0));
    await local.flush();
    expect(calls.map((c) => [c.question.request.path, c.snapshot])).toEqual([['/photos/a.jpg', true], ['/photos/b.jpg', false]]);
    clock.now = new Date(T0.getTime() + 11_000);
    await local.authorize(await get('/photos/c.jpg', clock.now));
    await local.flush();
    expect(calls.at(-1)).toMatchObject({ snapshot: true, question: { request: { path: '/photos/c.jpg' } } });
    expect(local.droppedAuditEvents).toBe(0);
  });

  it('reuses a request context only for the same address, client, transport, second and no condition keys', async () => {
    const clock = { now: T0 };
    const until = T0.getTime() / 1000 + 1;
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Scoped', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*', Condition: {
      IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'true' }, NumericLessThan: { 'aws:EpochTime': String(until) }, StringNotEquals: { 's3:prefix': 'secret/' },
    } }] });
    const { castellan } = fakeCastellan(clock, [{ policyId: 'user:alice:scoped', name: 'scoped', document: policy }]);
    const local = new InProcessAuthorizer({ castellan, audit: 'off', now: () => clock.now });
    const ask = async (over: Partial<AuthorizationQuestion>) => {
      const answer = await local.authorize({ ...(await get('/photos/a.jpg', T0)), secureTransport: true, ...over });
      return answer.authenticated ? answer.allowed : 'unauthenticated';
    };
    await ask({}); // the round trip that brings the snapshot
    // Each row differs from the one before in one input of the context, within one second
    const rows: Array<[Partial<AuthorizationQuestion>, boolean]> = [
      [{}, true],
      [{ sourceIp: '192.0.2.1' }, false],
      [{}, true],
      [{ secureTransport: false }, false],
      [{}, true],
      [{ conditionKeys: { 's3:prefix': 'secret/' } }, false],
      [{}, true],
    ];
    for (const [over, allowed] of rows) expect([over, await ask(over)]).toEqual([over, allowed]);
    // The next second is a new context: aws:EpochTime moved past the policy's limit
    clock.now = new Date(T0.getTime() + 1_000);
    expect(await ask({})).toBe(false);
  });
  it('applies a resource policy naming the IAM user who federated to that user’s federated session, limited by the session policy', async () => {
    const clock = { now: T0 };
    const fed = {
      type: 'FederatedUser' as const, accountId: '111111111111', arn: 'arn:aws:sts::111111111111:federated-user/app', principalId: '111111111111:app', mfaAuthenticated: false,
      session: { issuerArn: principal.arn, issuerType: 'IAMUser' as const, issuerName: 'alice', issuerPrincipalId: 'AIDAALICE', createdAt: T0, expiresAt: new Date(T0.getTime() + 3_600_000), mfaAuthenticated: false },
    };
    const allow = (action: string) => [{ policyId: 'session:0', name: 'session', document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }) }];
    const resourcePolicy = { policyId: 'photos', document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] }) };
    for (const [session, allowed] of [[allow('s3:GetObject'), true], [allow('s3:ListBucket'), false]] as const) {
      // alice's own policies do not allow s3:GetObject: only the resource policy naming her can
      const { castellan } = fakeCastellan(clock, [], fed, [...session], principal.arn);
      const local = new InProcessAuthorizer({ castellan, audit: 'off', now: () => clock.now });
      await local.authorize({ ...(await get('/photos/a.jpg', T0)), resourcePolicy }); // the round trip that brings the snapshot
      expect(await local.authorize({ ...(await get('/photos/b.jpg', T0)), resourcePolicy })).toMatchObject({ authenticated: true, allowed, decisions: [{ effect: allowed ? 'allow' : 'implicitDeny' }] });
      expect(local.stats.local).toBe(1);
    }
  });
  it('names the IAM user who federated by the snapshot’s current ARN, not the session’s issuer ARN (a rename leaves that behind)', async () => {
    const clock = { now: T0 };
    // The token was issued to alice, since renamed to alice2; a new alice is another user.
    const fed = {
      type: 'FederatedUser' as const, accountId: '111111111111', arn: 'arn:aws:sts::111111111111:federated-user/app', principalId: '111111111111:app', mfaAuthenticated: false,
      session: { issuerArn: principal.arn, issuerType: 'IAMUser' as const, issuerName: 'alice', issuerPrincipalId: 'AIDAALICE', createdAt: T0, expiresAt: new Date(T0.getTime() + 3_600_000), mfaAuthenticated: false },
    };
    const session = [{ policyId: 'session:0', name: 'session', document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) }];
    const naming = (arn: string) => ({ policyId: `names:${arn}`, document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] }) });
    for (const [arn, allowed] of [['arn:aws:iam::111111111111:user/alice2', true], [principal.arn, false]] as const) {
      const { castellan } = fakeCastellan(clock, [], fed, session, 'arn:aws:iam::111111111111:user/alice2');
      const local = new InProcessAuthorizer({ castellan, audit: 'off', now: () => clock.now });
      await local.authorize({ ...(await get('/photos/a.jpg', T0)), resourcePolicy: naming(arn) });
      expect(await local.authorize({ ...(await get('/photos/b.jpg', T0)), resourcePolicy: naming(arn) })).toMatchObject({ allowed, decisions: [{ effect: allowed ? 'allow' : 'implicitDeny' }] });
      expect(local.stats.local).toBe(1);
    }
  });
});
