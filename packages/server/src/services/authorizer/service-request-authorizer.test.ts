import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { compilePolicy, evaluate, parsePolicy } from '@castellan/policy';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/context.js';
import { buildConditionContext } from '../../pipeline/condition-context.js';
import type { AuditEventInput } from '../../domain/ports/audit-event.js';
import type { Authorizer } from '../../domain/ports/authorizer.js';
import { userPrincipal } from '../../domain/test-principals.js';
import { ServiceRequestAuthorizer } from './service-request-authorizer.js';
import type { ServiceRequestInput } from './service-request.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const SECRET = 'alice-secret-0123456789abcdefghijklmnopq';
const alice = userPrincipal('alice', '111111111111', 'AKIAALICE00000000001');
const servicePrincipal = userPrincipal('s3-service', '999999999999', 'AKIASERVICE000000001');
const IDENTITY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] });

/** The engine over alice's one identity policy (the real PolicyAuthorizer loads it from the store). */
const engine: Authorizer = {
  async authorize(ctx, request) {
    const parsed = parsePolicy(IDENTITY, { kind: 'identity' });
    if (!parsed.ok) throw new Error('bad test policy');
    const resource = request.resourcePolicy ? parsePolicy(request.resourcePolicy.document, { kind: 'resource' }) : undefined;
    const evaluated = { principal: { arn: ctx.caller.arn, accountId: ctx.caller.accountId, type: 'IAMUser' as const }, action: request.action, resource: request.resource, context: request.context, now: ctx.now, ...(request.resourceAccount ? { resourceAccount: request.resourceAccount } : {}) };
    const decision = evaluate(evaluated, {
      identity: [compilePolicy(parsed.policy, { policyId: 'user:alice:read', name: 'read' })],
      ...(resource?.ok ? { resource: [compilePolicy(resource.policy, { policyId: 'bucket-policy', name: 'BucketPolicy' })] } : {}),
    });
    return { decision, evaluated };
  },
};

/** The management account's services: `servicePrincipal` is listed as the platform's unless told otherwise. */
function setup(platformPrincipals: readonly string[] = [servicePrincipal.arn]) {
  const events: AuditEventInput[] = [];
  let n = 0;
  const authorizer = new ServiceRequestAuthorizer({
    credentials: {
      async resolve(id) {
        if (id === alice.accessKeyId) return { status: 'active', secretAccessKey: SECRET, principal: alice };
        if (id === 'AKIAINACTIVE00000001') return { status: 'inactive' };
        if (id === taggedSession.accessKeyId) return { status: 'active', secretAccessKey: SECRET, principal: taggedSession };
        if (id === managementClient.accessKeyId) return { status: 'active', secretAccessKey: SECRET, principal: managementClient };
        return undefined;
      },
    },
    authorizer: engine,
    audit: { record: async (e) => void events.push(e) },
    ids: { requestId: () => `id-${++n}` } as never,
    policies: {} as never,
    globalConditionKeys: buildConditionContext,
    reservedServices: ['iam', 'sts', 'cloudtrail', 'castellan'],
    managementAccount: async () => '999999999999',
    platformPrincipals,
  });
  return { authorizer, events };
}

async function signed(opts: { method?: string; path: string; query?: Record<string, string>; presign?: number; payload?: string; signingDate?: Date; key?: string; service?: string }) {
  const signer = new SignatureV4({ credentials: { accessKeyId: opts.key ?? alice.accessKeyId!, secretAccessKey: SECRET }, region: 'us-east-1', service: opts.service ?? 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: opts.payload !== undefined || opts.presign !== undefined });
  const headers: Record<string, string> = { host: 'localhost:9000', 'user-agent': 'test-agent', ...(opts.payload ? { 'x-amz-content-sha256': opts.payload } : {}) };
  const unsigned = { method: opts.method ?? 'GET', protocol: 'http:', hostname: 'localhost', port: 9000, path: opts.path, query: opts.query ?? {}, headers };
  const out = opts.presign
    ? await signer.presign(unsigned, { signingDate: opts.signingDate ?? NOW, expiresIn: opts.presign })
    : await signer.sign(unsigned, { signingDate: opts.signingDate ?? NOW });
  const query = Object.entries(out.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) lower[k.toLowerCase()] = v;
  return { method: out.method, path: out.path, query, headers: lower };
}

const getObject = (request: ServiceRequestInput['request'], extra: Partial<ServiceRequestInput> = {}): ServiceRequestInput => ({
  request,
  sourceIp: '192.0.2.10',
  authorizations: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::photos/cat.jpg', resourceAccount: '111111111111' }],
  event: { eventName: 'GetObject', readOnly: true, requestParameters: { bucketName: 'photos', key: 'cat.jpg' }, resources: [{ type: 'AWS::S3::Object', arn: 'arn:aws:s3:::photos/cat.jpg' }] },
  ...extra,
});
const call = { requestId: 'req-1', now: NOW, caller: servicePrincipal, service: 's3' };
/** Alice's session with a session tag, and a service of a third, ordinary account. */
const taggedSession: Principal = {
  ...alice,
  accessKeyId: 'ASIATAGGED0000000001',
  session: { issuerArn: alice.arn, issuerType: 'IAMUser', issuerName: 'alice', issuerPrincipalId: alice.principalId, createdAt: NOW, expiresAt: new Date(NOW.getTime() + 3_600_000), mfaAuthenticated: false, tags: { clearance: 'top-secret' } },
};
const foreignCall = { ...call, caller: userPrincipal('other-service', '333333333333', 'AKIAOTHERSERVICE0001') };
/** A client of the management account itself. */
const managementClient = userPrincipal('bob', '999999999999', 'AKIABOBMANAGEMENT001');
/** A session of the management account's role `name` on `path`, as AssumeRole issues it. */
const roleSession = (path: string, name: string, session = 'worker-1'): Principal => ({
  type: 'AssumedRole',
  accountId: '999999999999',
  arn: `arn:aws:sts::999999999999:assumed-role/${name}/${session}`,
  principalId: `AROAPLATFORMROLE0001:${session}`,
  accessKeyId: 'ASIAPLATFORMROLE0001',
  mfaAuthenticated: false,
  session: { issuerArn: `arn:aws:iam::999999999999:role${path}${name}`, issuerType: 'Role', issuerName: name, issuerPrincipalId: 'AROAPLATFORMROLE0001', sessionName: session, createdAt: NOW, expiresAt: new Date(NOW.getTime() + 3_600_000), mfaAuthenticated: false, issuedBy: 'AssumeRole' },
});
/** A federated user (GetFederationToken) of the management account's user `name`. */
const federatedUser = (name: string): Principal => ({
  type: 'FederatedUser',
  accountId: '999999999999',
  arn: 'arn:aws:sts::999999999999:federated-user/app',
  principalId: '999999999999:app',
  accessKeyId: 'ASIAFEDERATEDUSER001',
  mfaAuthenticated: false,
  session: { issuerArn: `arn:aws:iam::999999999999:user/${name}`, issuerType: 'IAMUser', issuerName: name, issuerPrincipalId: 'AIDACASTELLANUSER0001', sessionName: 'app', createdAt: NOW, expiresAt: new Date(NOW.getTime() + 3_600_000), mfaAuthenticated: false, issuedBy: 'GetFederationToken' },
});

describe('ServiceRequestAuthorizer', () => {
  it('gives a session’s tags to a service of its account or the platform, not to a service of another ordinary account', async () => {
    const { authorizer } = setup();
    const request = await signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD', key: taggedSession.accessKeyId });
    const platform = await authorizer.authorize(getObject(request), call);
    expect(platform).toMatchObject({ authenticated: true, principal: { session: { tags: { clearance: 'top-secret' } } } });
    const foreign = await authorizer.authorize(getObject(request), foreignCall);
    expect(foreign).toMatchObject({ authenticated: true, principal: { arn: alice.arn, session: { issuerName: 'alice' } } });
    if (foreign.authenticated) expect(foreign.principal.session?.tags).toBeUndefined();
  });

  it.each([
    ['header auth with a body hash', { path: '/photos/cat.jpg', payload: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }, 'sha256', 'sigv4-header'],
    ['header auth, UNSIGNED-PAYLOAD', { path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD' }, 'unsigned', 'sigv4-header'],
    ['a presigned URL (7 days)', { path: '/photos/cat.jpg', presign: 604_800, payload: 'UNSIGNED-PAYLOAD' }, 'unsigned', 'sigv4-presigned'],
    ['a key with characters S3 does not normalize', { path: '/photos/a%20b//c.jpg', payload: 'UNSIGNED-PAYLOAD' }, 'unsigned', 'sigv4-header'],
  ] as const)('verifies %s and decides the actions', async (_name, opts, payloadKind, method) => {
    // Given a request alice signed for s3
    const { authorizer, events } = setup();
    const request = await signed(opts);
    // When the service asks
    const answer = await authorizer.authorize(getObject(request), call);
    // Then she is verified and allowed by her identity policy, and the data event is in her account
    expect(answer).toMatchObject({ authenticated: true, allowed: true, principal: { arn: alice.arn }, authentication: { method, accessKeyId: alice.accessKeyId, service: 's3' }, payload: { kind: payloadKind } });
    if (!answer.authenticated) return;
    expect(answer.decisions).toEqual([{ action: 's3:GetObject', resource: 'arn:aws:s3:::photos/cat.jpg', effect: 'allow', decidedBy: [{ policyId: 'user:alice:read', policyName: 'read', policyKind: 'identity', statementIndex: 0, sid: 'Read', effect: 'Allow' }] }]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventCategory: 'Data', eventSource: 's3.amazonaws.com', eventName: 'GetObject', accountId: '111111111111', caller: alice, sourceIp: '192.0.2.10', userAgent: 'test-agent' });
    expect(events[0]!.error).toBeUndefined();
  });

  it.each([
    ['a presigned URL past its expiry', async () => signed({ path: '/photos/cat.jpg', presign: 60, signingDate: new Date(NOW.getTime() - 61_000) }), 'RequestExpired'],
    ['a header signature 16 minutes old', async () => signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD', signingDate: new Date(NOW.getTime() - 16 * 60_000) }), 'SignatureDoesNotMatch'],
    ['an altered path', async () => ({ ...(await signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD' })), path: '/photos/dog.jpg' }), 'SignatureDoesNotMatch'],
    ['an unknown key', async () => signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD', key: 'AKIAUNKNOWN000000001' }), 'InvalidClientTokenId'],
    ['an inactive key', async () => signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD', key: 'AKIAINACTIVE00000001' }), 'InvalidClientTokenId'],
    ['a request scoped to another service', async () => signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD', service: 'sqs' }), 'SignatureDoesNotMatch'],
    ['a header-signed S3 request without x-amz-content-sha256', async () => signed({ path: '/photos/cat.jpg' }), 'SignatureDoesNotMatch'],
    ['no signature at all', async () => ({ method: 'GET', path: '/photos/cat.jpg', query: '', headers: { host: 'localhost:9000' } }), 'MissingAuthenticationToken'],
    ['a header-signed request whose query is presigned too', async () => ({ ...(await signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD' })), query: (await signed({ path: '/photos/cat.jpg', presign: 60 })).query }), 'InvalidParameterCombination'],
  ])('answers unauthenticated for %s, and records nothing', async (_name, make, code) => {
    const { authorizer, events } = setup();
    const answer = await authorizer.authorize(getObject(await make()), call);
    expect(answer).toMatchObject({ authenticated: false, error: { code } });
    expect(events).toHaveLength(0);
  });

  it('denies what no policy allows, with AWS’s message, and records the denial', async () => {
    const { authorizer, events } = setup();
    const request = await signed({ method: 'DELETE', path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD' });
    const answer = await authorizer.authorize({ ...getObject(request), authorizations: [{ action: 's3:DeleteObject', resource: 'arn:aws:s3:::photos/cat.jpg', resourceAccount: '111111111111' }] }, call);
    expect(answer).toMatchObject({ authenticated: true, allowed: false, decisions: [{ effect: 'implicitDeny', deniedBy: 'identity' }] });
    if (answer.authenticated) expect(answer.decisions[0]!.message).toContain(`User: ${alice.arn} is not authorized to perform: s3:DeleteObject on resource: arn:aws:s3:::photos/cat.jpg because no identity-based policy allows the s3:DeleteObject action`);
    expect(events[0]).toMatchObject({ error: { code: 'AccessDenied', message: expect.stringContaining(`User: ${alice.arn} is not authorized to perform: s3:DeleteObject`) }, eventCategory: 'Data' });
  });

  it('evaluates the resource policy with the service’s condition keys, and records in both accounts when the service’s own account owns the resource', async () => {
    const { authorizer, events } = setup();
    const bucketPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*', Condition: { StringEquals: { 's3:ExistingObjectTag/secret': 'yes' } } }, { Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }] });
    const request = await signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD' });
    const input = (tag: string, owner = servicePrincipal.accountId) => ({ ...getObject(request), authorizations: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::photos/cat.jpg', resourceAccount: owner }], resourcePolicy: { document: bucketPolicy }, conditionKeys: { 's3:ExistingObjectTag/secret': tag } });
    // An owner that is neither the client's account nor the service's decides cross-account evaluation, and gets no copy.
    expect(await authorizer.authorize(input('no', '222222222222'), call)).toMatchObject({ allowed: true, decisions: [{ decidedBy: [{ policyKind: 'identity' }, { policyKind: 'resource' }] }] });
    expect(events.map((e) => [e.accountId, e.sharedEventId])).toEqual([['111111111111', undefined]]);
    events.length = 0;
    expect(await authorizer.authorize(input('no'), call)).toMatchObject({ allowed: true, decisions: [{ decidedBy: [{ policyKind: 'identity' }, { policyKind: 'resource' }] }] });
    expect(events.map((e) => e.accountId)).toEqual(['111111111111', '999999999999']);
    expect(events[0]!.sharedEventId).toBeDefined();
    expect(events[0]!.sharedEventId).toBe(events[1]!.sharedEventId);
    // The owner's copy keeps only the bucket policy's statements of the decision
    expect((events[1]!.additionalEventData!['castellan:decision'] as { decidedBy: Array<{ policyKind: string }> }).decidedBy.map((s) => s.policyKind)).toEqual(['resource']);
    expect(await authorizer.authorize(input('yes'), call)).toMatchObject({ allowed: false, decisions: [{ effect: 'explicitDeny', deniedBy: 'resource' }] });
  });

  it.each(['aws:PrincipalArn', 'aws:SourceIp', 'AWS:userid', 'aws:PrincipalTag/team'])('refuses a service-supplied %s', async (key) => {
    const { authorizer } = setup();
    const request = await signed({ path: '/photos/cat.jpg', payload: 'UNSIGNED-PAYLOAD' });
    await expect(authorizer.authorize({ ...getObject(request), conditionKeys: { [key]: 'x' } }, call)).rejects.toMatchObject({ code: 'ValidationError' });
  });

  it('refuses to verify requests for Castellan’s own services', async () => {
    const { authorizer } = setup();
    const request = await signed({ path: '/', payload: 'UNSIGNED-PAYLOAD', service: 'iam' });
    await expect(authorizer.authorize(getObject(request), { ...call, service: 'iam' })).rejects.toMatchObject({ code: 'ValidationError' });
  });

  // The platform's standing is a deployment setting naming principals (compared as `aws:PrincipalArn`:
  // a role's ARN, path included, for all its sessions), never a permission: the management
  // account's other principals are trusted with their own account's clients only.
  describe('whose service has the platform standing', () => {
    const ROLE = 'arn:aws:iam::999999999999:role/platform/s3-platform';
    /** What a service signing as `caller` learns of a denied streaming upload by `client`, and where the event goes. */
    async function viewOf(caller: Principal, listed: readonly string[], client: Principal = alice) {
      const { authorizer, events } = setup(listed);
      const request = await signed({ method: 'PUT', path: '/photos/up.bin', payload: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', key: client.accessKeyId! });
      const input = { ...getObject(request), authorizations: [{ action: 's3:PutObject', resource: 'arn:aws:s3:::photos/up.bin', resourceAccount: client.accountId }] };
      const answer = await authorizer.authorize(input, { ...call, caller });
      if (!answer.authenticated) throw new Error('not authenticated');
      return {
        signingKey: answer.streaming?.signingKey !== undefined,
        deniedBy: answer.decisions[0]!.deniedBy,
        message: answer.decisions[0]!.message !== undefined,
        trails: events.map((e) => e.accountId),
      };
    }
    const full = { signingKey: true, deniedBy: 'identity', message: true, trails: ['111111111111'] };
    const foreign = { signingKey: false, deniedBy: undefined, message: false, trails: ['999999999999'] };

    it.each([
      ['a listed user', servicePrincipal, [servicePrincipal.arn], full],
      ['a session of a listed role, whatever its session name', roleSession('/platform/', 's3-platform', 'any-session'), [ROLE], full],
      ['an unlisted administrator of the management account', userPrincipal('admin', '999999999999', 'AKIAADMIN00000000001'), [servicePrincipal.arn, ROLE], foreign],
      ['any management-account service when none is listed (the default)', servicePrincipal, [], foreign],
      ['a session of a role of the listed name on another path', roleSession('/', 's3-platform'), [ROLE], foreign],
      ['a role listed by its session’s assumed-role ARN', roleSession('/platform/', 's3-platform'), ['arn:aws:sts::999999999999:assumed-role/s3-platform/worker-1'], foreign],
      ['a federated user of a listed user', federatedUser('s3-service'), [servicePrincipal.arn], foreign],
      // Its ARN is the user's name when the session was issued: a rename would not reach it.
      ['a GetSessionToken session of a listed user', { ...servicePrincipal, session: { issuerArn: servicePrincipal.arn, issuerType: 'IAMUser' as const, issuerName: 's3-service', issuerPrincipalId: servicePrincipal.principalId, createdAt: new Date(0), expiresAt: new Date(0), mfaAuthenticated: false, issuedBy: 'GetSessionToken' as const } }, [servicePrincipal.arn], foreign],
      ['a listed principal of another account than the management account', foreignCall.caller, [foreignCall.caller.arn], { ...foreign, trails: ['333333333333'] }],
    ])('%s', async (_name, caller, listed, expected) => {
      expect(await viewOf(caller, listed)).toEqual(expected);
    });

    it('is not needed for the asker’s own account’s clients: an unlisted administrator gets their full view', async () => {
      const admin = userPrincipal('admin', '999999999999', 'AKIAADMIN00000000001');
      expect(await viewOf(admin, [], managementClient)).toEqual({ ...full, trails: ['999999999999'] });
    });
  });

  it('gives the signing key and seed signature of a streaming upload, with which the chunks verify', async () => {
    const { authorizer } = setup();
    const request = await signed({ method: 'PUT', path: '/photos/cat.jpg', payload: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    const answer = await authorizer.authorize(getObject(request), call);
    expect(answer).toMatchObject({ authenticated: true, payload: { kind: 'streaming-signed', trailer: false } });
    if (!answer.authenticated) return;
    expect(answer.streaming).toMatchObject({ seedSignature: expect.stringMatching(/^[0-9a-f]{64}$/), signingKey: expect.stringMatching(/^[0-9a-f]{64}$/), amzDate: '20261206T120000Z', scope: '20261206/us-east-1/s3/aws4_request' });
  });
});

export type { Principal };
