/**
 * castellan:AuthorizeRequest on the wire (AWS JSON 1.1, SigV4-signed like any Castellan API call):
 * who may ask (the action, its castellan:SigningService condition key), what is refused
 * (Castellan's own services, condition keys Castellan sets), the answer for a verified and an
 * unverifiable client request, the principal snapshot, and the audit trail: a decided client
 * request's data event stands for the call, which otherwise gets its own management event with the
 * client's request left out.
 */
import { createHmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand, UpdateUserCommand } from '@aws-sdk/client-iam';
import { GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastellanAuthorizer, CastellanCallError, InProcessAuthorizer } from '@castellan/authorizer-client';
import { stsClient, type StaticCredentials } from './helpers/aws-clients.js';
import { callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const A = E2E_ACCOUNT_ID;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
let t: TestCastellan;
const creds: Record<string, StaticCredentials> = {};
/** A second account, with its root's key. */
let other: { accountId: string; root: StaticCredentials };

async function user(name: string, doc?: string, root?: StaticCredentials): Promise<StaticCredentials> {
  const iam = t.iam(root);
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (doc) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: doc }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

/** A GetObject request `who` signed for `service`, as the service received it. */
async function clientRequest(who: StaticCredentials, service = 's3') {
  const signer = new SignatureV4({ credentials: who, region: 'eu-west-1', service, sha256: Sha256, uriEscapePath: false });
  const out = await signer.sign({ method: 'GET', protocol: 'http:', hostname: 'files.local', path: '/photos/cat.jpg', query: {}, headers: { host: 'files.local', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = v;
  return { Method: 'GET', Path: '/photos/cat.jpg', Query: '', Headers: headers };
}

/** A chunk-signed PutObject `who` sent (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), as the service received it. */
async function chunkSignedUpload(who: StaticCredentials) {
  const signer = new SignatureV4({ credentials: who, region: 'eu-west-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const out = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: 'files.local', path: '/photos/up.bin', query: {}, headers: { host: 'files.local', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5' } });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = v;
  return { Method: 'PUT', Path: '/photos/up.bin', Query: '', Headers: headers };
}

const ask = async (caller: StaticCredentials, extra: Record<string, unknown> = {}, client = creds['alice']!) => callCastellan(t.url, caller, 'AuthorizeRequest', {
  Service: 's3',
  ClientRequest: await clientRequest(client),
  SourceIp: '198.51.100.7',
  Authorizations: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/cat.jpg', ResourceAccount: A }],
  ...extra,
});

beforeAll(async () => {
  // files-service is the platform's (the operator's setting): trusted with carol's requests too.
  t = await startTestCastellan({ platformPrincipals: [`arn:aws:iam::${A}:user/files-service`] });
  creds['service'] = await user('files-service', policy({ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } }));
  creds['everything'] = await user('broad-service', policy({ Effect: 'Allow', Action: 'castellan:*', Resource: '*' }));
  creds['nobody'] = await user('not-a-service');
  creds['alice'] = await user('alice', policy({ Sid: 'ReadPhotos', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }));
  const created = await callCastellan(t.url, t.root, 'CreateAccount', {});
  other = { accountId: created.body['AccountId'], root: { accessKeyId: created.body['RootAccessKeyId'], secretAccessKey: created.body['RootSecretAccessKey'] } };
  creds['carol'] = await user('carol', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }), other.root);
});
afterAll(() => t?.dispose());

describe('AuthorizeRequest', () => {
  it('answers the verified principal and the decision with its deciding statement', async () => {
    const res = await ask(creds['service']!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      Authenticated: true,
      Allowed: true,
      Principal: { Type: 'IAMUser', AccountId: A, Arn: `arn:aws:iam::${A}:user/alice`, UserName: 'alice' },
      Authentication: { Method: 'sigv4-header', AccessKeyId: creds['alice']!.accessKeyId, Region: 'eu-west-1', Service: 's3', TemporaryCredentials: false },
      Decisions: [{ Action: 's3:GetObject', Effect: 'allow', DecidedBy: [{ PolicyId: 'user:alice:p', PolicyKind: 'identity', StatementIndex: 0, Sid: 'ReadPhotos', Effect: 'Allow' }] }],
      Payload: { Kind: 'unsigned' },
    });
    expect(typeof res.body['Authentication'].SignedAt).toBe('number');
  });

  it('answers Authenticated false with AWS’s code for a request whose signature does not verify', async () => {
    const res = await ask(creds['service']!, {}, { ...creds['alice']!, secretAccessKey: 'x'.repeat(40) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ Authenticated: false, Error: { Code: 'SignatureDoesNotMatch', Message: expect.stringContaining('signature') } });
  });

  it.each([
    ['a principal without castellan:AuthorizeRequest', 'nobody', {}, 400, 'AccessDeniedException'],
    ['a service asking for another signing service than its policy names', 'service', { Service: 'sqs' }, 400, 'AccessDeniedException'],
    ['a request signed for Castellan’s own IAM', 'everything', { Service: 'iam' }, 400, 'ValidationError'],
    ['a condition key Castellan sets from the verified request', 'service', { ConditionKeys: { 'aws:PrincipalArn': ['arn:aws:iam::999999999999:root'] } }, 400, 'ValidationError'],
    ['no authorizations', 'service', { Authorizations: [] }, 400, 'ValidationException'],
  ])('refuses %s', async (_name, who, extra, status, type) => {
    const res = await ask(creds[who]!, extra);
    expect(res.status).toBe(status);
    expect(String(res.body['__type'])).toContain(type.replace(/Exception$|Error$/, ''));
  });

  // A service may not write another service's records into a trail, of either category.
  it.each([
    ['another service’s event source', { EventSource: 'iam.amazonaws.com', EventName: 'DeleteRole', ReadOnly: false }, "EventSource 'iam.amazonaws.com'"],
    ['another service’s management event', { EventSource: 'iam.amazonaws.com', EventName: 'DeleteRole', ReadOnly: false, EventCategory: 'Management' }, "EventSource 'iam.amazonaws.com'"],
  ])('refuses an event with %s (ValidationError naming it)', async (_name, Event, named) => {
    const res = await ask(creds['service']!, { Event });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ __type: expect.stringContaining('Validation'), message: expect.stringContaining(named) });
  });

  // Its own calls in either category (CloudTrail records S3's CreateBucket as a management event).
  it.each(['Data', 'Management'])('accepts the service’s own event source with the %s category', async (EventCategory) => {
    const res = await ask(creds['service']!, { Event: { EventSource: 's3.amazonaws.com', EventCategory, EventName: 'GetObject', ReadOnly: true } });
    expect(res.body).toMatchObject({ Authenticated: true, Allowed: true });
  });

  // Keys Castellan sets for the verified caller, or leaves absent where they do not apply (alice signs
  // with a long-term key: no MFA, no token, no source identity), and the catalogue's other session keys.
  it.each([
    'aws:MultiFactorAuthPresent', 'AWS:MULTIFACTORAUTHPRESENT', 'aws:MultiFactorAuthAge', 'aws:TokenIssueTime', 'aws:SourceIdentity', 'aws:username', 'aws:userid',
    'aws:PrincipalTag/team', 'aws:PrincipalOrgID', 'aws:SourceVpce', 'aws:ViaAWSService', 'aws:CalledVia', 'aws:ResourceAccount', 'aws:FederatedProvider', 'aws:SomeFutureKey',
    'ec2:SourceInstanceArn', 'lambda:SourceFunctionArn',
  ])('refuses the condition key %s from the service, naming it', async (key) => {
    const res = await ask(creds['service']!, { ConditionKeys: { [key]: ['true'] } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ __type: expect.stringContaining('Validation'), message: expect.stringContaining(`'${key}'`) });
  });

  it.each(['s3:prefix', 'aws:RequestTag/team', 'aws:TagKeys', 'aws:ResourceTag/team', 'aws:Referer'])('takes the condition key %s from the service', async (key) => {
    const res = await ask(creds['service']!, { ConditionKeys: { [key]: ['x'] } });
    expect(res.body).toMatchObject({ Authenticated: true, Allowed: true });
  });

  it('keeps an MFA condition: a long-term key without MFA is denied, and the service cannot say otherwise', async () => {
    const mfaOnly = await user('mfa-only', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
    const plain = await ask(creds['service']!, {}, mfaOnly);
    expect(plain.body).toMatchObject({ Authenticated: true, Allowed: false, Decisions: [{ Effect: 'implicitDeny', MissingContextKeys: ['aws:MultiFactorAuthPresent'] }] });
    const claimed = await ask(creds['service']!, { ConditionKeys: { 'aws:MultiFactorAuthPresent': ['true'] } }, mfaOnly);
    expect(claimed.status).toBe(400);
  });

  it('gives a principal snapshot only to a service of the principal’s own account', async () => {
    const foreignAsker = await ask(other.root, { IncludePrincipalSnapshot: true });
    expect(foreignAsker.body).toMatchObject({ Authenticated: true, Principal: { Arn: `arn:aws:iam::${A}:user/alice` } });
    expect(foreignAsker.body['Snapshot']).toBeUndefined();
    const foreignClient = await ask(creds['service']!, { IncludePrincipalSnapshot: true }, creds['carol']!);
    expect(foreignClient.body).toMatchObject({ Authenticated: true, Principal: { Arn: `arn:aws:iam::${other.accountId}:user/carol` } });
    expect(foreignClient.body['Snapshot']).toBeUndefined();
    const own = await ask(creds['service']!, { IncludePrincipalSnapshot: true });
    expect(own.body['Snapshot']).toMatchObject({ Principal: { Arn: `arn:aws:iam::${A}:user/alice` } });
  });

  it('decides in process only for principals it may snapshot: another account’s are round trips, each decided by Castellan', async () => {
    const castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: creds['service']! });
    const local = new InProcessAuthorizer({ castellan, audit: 'off' });
    try {
      const question = async (who: StaticCredentials) => {
        const r = await clientRequest(who);
        return { request: { method: r.Method, path: r.Path, query: r.Query, headers: r.Headers }, sourceIp: '198.51.100.7', authorizations: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::photos/cat.jpg', resourceAccount: A }] };
      };
      const ResourcePolicy = { document: policy({ Effect: 'Allow', Principal: { AWS: other.accountId }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }) };
      for (let i = 0; i < 2; i++) expect(await local.authorize({ ...(await question(creds['carol']!)), resourcePolicy: ResourcePolicy })).toMatchObject({ authenticated: true, allowed: true });
      expect(local.stats).toEqual({ local: 0, roundTrips: 2 });
      for (let i = 0; i < 2; i++) expect(await local.authorize(await question(creds['alice']!))).toMatchObject({ authenticated: true, allowed: true });
      expect(local.stats).toEqual({ local: 1, roundTrips: 3 });
      // The in-process check refuses the keys Castellan refuses, without asking.
      await expect(local.authorize({ ...(await question(creds['alice']!)), conditionKeys: { 'aws:MultiFactorAuthPresent': 'true' } })).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringContaining("'aws:MultiFactorAuthPresent'") });
      await expect(castellan.authorize({ ...(await question(creds['alice']!)), conditionKeys: { 'aws:MultiFactorAuthPresent': 'true' } })).rejects.toBeInstanceOf(CastellanCallError);
      expect(local.stats).toEqual({ local: 1, roundTrips: 3 });
    } finally {
      castellan.close();
    }
  });

  it('applies a resource policy naming the IAM user who federated to its federated user session, limited by the session policy', async () => {
    // AWS's evaluation logic: a resource-based policy granting "to the ARN of the IAM user who
    // federated" applies to the federated user's requests, limited by the session policy.
    const fedder = await user('fedder', policy({ Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: '*' }));
    const session = async (name: string, action: string): Promise<StaticCredentials> => {
      const c = (await stsClient(t.url, fedder).send(new GetFederationTokenCommand({ Name: name, Policy: policy({ Effect: 'Allow', Action: action, Resource: '*' }) }))).Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    };
    const ResourcePolicy = { PolicyId: 'photos-bucket', Document: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/fedder` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }) };
    const allowed = await ask(creds['service']!, { ResourcePolicy }, await session('reader', 's3:GetObject'));
    expect(allowed.body).toMatchObject({ Authenticated: true, Allowed: true, Principal: { Type: 'FederatedUser', Arn: `arn:aws:sts::${A}:federated-user/reader` } });
    expect(allowed.body['Decisions'][0]).toMatchObject({ Effect: 'allow', DecidedBy: [{ PolicyId: 'photos-bucket', PolicyKind: 'resource' }] });
    const limited = await ask(creds['service']!, { ResourcePolicy }, await session('lister', 's3:ListBucket'));
    expect(limited.body).toMatchObject({ Authenticated: true, Allowed: false, Decisions: [{ Effect: 'implicitDeny', DeniedBy: 'session' }] });
  });

  it('names the federating IAM user by its current ARN: after a rename and a new user of the old name, a policy naming the old name does not apply', async () => {
    const getToken = policy({ Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: '*' });
    const fedder = await user('fed-alice', getToken);
    const c = (await stsClient(t.url, fedder).send(new GetFederationTokenCommand({ Name: 'renamed-app', Policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }))).Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    await t.iam().send(new UpdateUserCommand({ UserName: 'fed-alice', NewUserName: 'fed-alice2' }));
    await user('fed-alice');
    const naming = (name: string) => ({ PolicyId: `names-${name}`, Document: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/${name}` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }) });
    const renamed = await ask(creds['service']!, { ResourcePolicy: naming('fed-alice2'), IncludePrincipalSnapshot: true }, session);
    expect(renamed.body).toMatchObject({ Authenticated: true, Allowed: true, Decisions: [{ DecidedBy: [{ PolicyId: 'names-fed-alice2' }] }] });
    // The in-process authorizer takes the federating user's ARN from the snapshot, not from the token's issuer.
    expect(renamed.body['Snapshot']).toMatchObject({ FederatingUserArn: `arn:aws:iam::${A}:user/fed-alice2`, Principal: { Session: { IssuerArn: `arn:aws:iam::${A}:user/fed-alice` } } });
    const newUser = await ask(creds['service']!, { ResourcePolicy: naming('fed-alice') }, session);
    expect(newUser.body).toMatchObject({ Authenticated: true, Allowed: false, Decisions: [{ Effect: 'implicitDeny' }] });
  });

  it('answers a snapshot whose signing key is the scope’s kSigning, never the secret', async () => {
    const res = await ask(creds['service']!, { IncludePrincipalSnapshot: true });
    const snap = res.body['Snapshot'];
    expect(snap).toMatchObject({ AccessKeyId: creds['alice']!.accessKeyId, Principal: { Arn: `arn:aws:iam::${A}:user/alice` }, Scope: { Region: 'eu-west-1', Service: 's3' }, Policies: { Identity: [{ PolicyId: 'user:alice:p', Name: 'p' }] } });
    const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
    const kSigning = hmac(hmac(hmac(hmac(`AWS4${creds['alice']!.secretAccessKey}`, snap.Scope.Date), 'eu-west-1'), 's3'), 'aws4_request');
    expect(snap.SigningKey).toBe(kSigning.toString('hex'));
    expect(JSON.stringify(res.body)).not.toContain(creds['alice']!.secretAccessKey);
    expect(snap.ValidUntil * 1000 - Date.now()).toBeLessThanOrEqual(300_000);
  });

  /** The records LookupEvents returns for `attribute` = `value` once `ready` holds (the trail is written behind). */
  async function lookUp(attribute: 'Username' | 'EventSource', value: string, ready: (records: Array<Record<string, any>>) => boolean) {
    let records: Array<Record<string, any>> = [];
    for (let i = 0; i < 50; i++) {
      const events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: attribute, AttributeValue: value }] }))).Events ?? [];
      records = events.map((e) => JSON.parse(e.CloudTrailEvent!));
      if (ready(records)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return records;
  }

  it('records a decided client request once: the data event in alice’s account, naming the service, and no management event of the call', async () => {
    const res = await ask(creds['service']!, { Event: { EventName: 'GetObject', ReadOnly: true, RequestParameters: { bucketName: 'photos', key: 'recorded-once.jpg' } } });
    const data = (await lookUp('EventSource', 's3.amazonaws.com', (rs) => rs.some((r) => r.requestParameters?.key === 'recorded-once.jpg'))).find((r) => r.requestParameters?.key === 'recorded-once.jpg');
    expect(data).toMatchObject({ eventCategory: 'Data', managementEvent: false, eventSource: 's3.amazonaws.com', userIdentity: { arn: `arn:aws:iam::${A}:user/alice` }, sourceIPAddress: '198.51.100.7', recipientAccountId: A, additionalEventData: { 'castellan:authorizedBy': `arn:aws:iam::${A}:user/files-service`, AuthenticationMethod: 'AuthHeader' } });
    // The data event carries the call's request id; the service's call has no event of its own.
    expect(data!['requestID']).toBe(res.requestId);
    // A later call that is recorded (no Event): once its event is there, the first one's would be too.
    const later = (await ask(creds['service']!)).requestId;
    const calls = await lookUp('Username', 'files-service', (rs) => rs.some((r) => r.requestID === later));
    expect(calls.some((r) => r.requestID === later)).toBe(true);
    expect(calls.filter((r) => r.requestID === data!['requestID'])).toEqual([]);
  });

  /** The s3 data events in `root`'s account (LookupEvents by event source) once `ready` holds. */
  async function s3Events(root: StaticCredentials, ready: (records: Array<Record<string, any>>) => boolean) {
    let records: Array<Record<string, any>> = [];
    for (let i = 0; i < 50; i++) {
      const events = (await t.cloudTrail(root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }] }))).Events ?? [];
      records = events.map((e) => JSON.parse(e.CloudTrailEvent!));
      if (ready(records)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return records;
  }
  const keyed = (records: Array<Record<string, any>>, key: string) => records.filter((r) => r.requestParameters?.key === key);

  it('records a Data event of the service’s own source, and copies it to no account the service merely names as an owner', async () => {
    // The service names the other account as the owner of everything: the decision is cross-account
    // (denied: no resource policy), the event stays in alice's account alone.
    const named = await ask(creds['service']!, {
      Authorizations: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::theirs/x', ResourceAccount: other.accountId }],
      Event: { EventName: 'GetObject', ReadOnly: true, RequestParameters: { key: 'named-owner' }, Resources: [{ Type: 'AWS::S3::Object', Arn: 'arn:aws:s3:::theirs/x', AccountId: other.accountId }] },
    });
    expect(named.body).toMatchObject({ Authenticated: true, Allowed: false, Decisions: [{ Effect: 'implicitDeny' }] });
    const mine = keyed(await s3Events(t.root, (rs) => keyed(rs, 'named-owner').length > 0), 'named-owner');
    expect(mine).toEqual([expect.objectContaining({ eventCategory: 'Data', managementEvent: false, eventSource: 's3.amazonaws.com', recipientAccountId: A })]);
    // Carol's request to a bucket of the service's own account: her account's copy and the service account's.
    const ResourcePolicy = { Document: policy({ Effect: 'Allow', Principal: { AWS: other.accountId }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }) };
    const shared = await ask(creds['service']!, { ResourcePolicy, Event: { EventName: 'GetObject', ReadOnly: true, RequestParameters: { key: 'service-owned' }, Resources: [{ Type: 'AWS::S3::Object', Arn: 'arn:aws:s3:::photos/cat.jpg', AccountId: A }] } }, creds['carol']!);
    expect(shared.body).toMatchObject({ Authenticated: true, Allowed: true });
    const carols = keyed(await s3Events(other.root, (rs) => keyed(rs, 'service-owned').length > 0), 'service-owned');
    expect(carols).toEqual([expect.objectContaining({ recipientAccountId: other.accountId, eventCategory: 'Data' })]);
    const owners = keyed(await s3Events(t.root, (rs) => keyed(rs, 'service-owned').length > 0), 'service-owned');
    expect(owners).toEqual([expect.objectContaining({ recipientAccountId: A, sharedEventID: carols[0]!['sharedEventID'], userIdentity: expect.objectContaining({ type: 'AWSAccount', accountId: other.accountId }) })]);
    // The other account's trail, read after carol's later event is there: no copy of the first one.
    expect(keyed(await s3Events(other.root, () => true), 'named-owner')).toEqual([]);
  });

  it('records the call as a castellan management event, without the client’s request, when no data event stands for it', async () => {
    // No Event asked for, a client request that fails authentication (no data event, as S3), a refused call.
    const unrecorded = await ask(creds['service']!);
    const forged = await ask(creds['service']!, { Event: { EventName: 'GetObject', ReadOnly: true } }, { ...creds['alice']!, secretAccessKey: 'x'.repeat(40) });
    const refused = await ask(creds['service']!, { Service: 'sqs', Event: { EventName: 'GetObject', ReadOnly: true } });
    expect(forged.body['Authenticated']).toBe(false);
    expect(refused.status).toBe(400);
    const ids = [unrecorded, forged, refused].map((r) => r.requestId);
    const calls = await lookUp('Username', 'files-service', (rs) => ids.every((id) => rs.some((r) => r.requestID === id)));
    const [call, forgedCall, refusedCall] = ids.map((id) => calls.find((r) => r.requestID === id));
    expect(call).toMatchObject({ eventName: 'AuthorizeRequest', eventSource: 'castellan.amazonaws.com', eventCategory: 'Management', userIdentity: { arn: `arn:aws:iam::${A}:user/files-service` } });
    expect(forgedCall).toMatchObject({ eventName: 'AuthorizeRequest', eventCategory: 'Management' });
    expect(refusedCall).toMatchObject({ eventName: 'AuthorizeRequest', errorCode: 'AccessDeniedException' });
    const text = JSON.stringify([call, forgedCall, refusedCall]);
    expect(text).not.toContain('Signature=');
    expect(text).not.toContain('AWS4-HMAC-SHA256 Credential');
  });

  // Who asks: a service of the client's account, a platform principal the operator listed (trusted
  // as AWS's own services are), or any other, which learns who signed and the decisions but nothing
  // it could act or write as the client with (authorizer-platform-standing.test.ts: the management
  // account's unlisted principals are such others).
  describe('a service of another account than its client’s, not the platform’s', () => {
    const bucketPolicy = (sid: string) => ({ PolicyId: 'bucket', Document: policy({ Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }) });

    it('gets no streaming signing key, which the client’s account’s service and a platform principal get', async () => {
      const upload = { ClientRequest: await chunkSignedUpload(creds['alice']!), Authorizations: [{ Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/up.bin' }] };
      const foreign = await ask(other.root, upload);
      expect(foreign.body).toMatchObject({ Authenticated: true, Principal: { Arn: `arn:aws:iam::${A}:user/alice` }, Payload: { Kind: 'streaming-signed' }, Streaming: { SeedSignature: expect.any(String), Scope: expect.stringContaining('/eu-west-1/s3/aws4_request') } });
      expect(foreign.body['Streaming']['SigningKey']).toBeUndefined();
      expect((await ask(creds['service']!, upload)).body['Streaming']).toMatchObject({ SigningKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
      // The listed platform principal, for a client of another account: trusted.
      const carols = { ClientRequest: await chunkSignedUpload(creds['carol']!), Authorizations: upload.Authorizations };
      expect((await ask(creds['service']!, carols)).body['Streaming']).toMatchObject({ SigningKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    });

    it('gets the decisions without the client’s statements or AccessDenied text, the resource policy’s statements kept', async () => {
      const allowed = await ask(other.root);
      expect(allowed.body).toMatchObject({ Authenticated: true, Allowed: true, Decisions: [{ Action: 's3:GetObject', Effect: 'allow', DecidedBy: [] }] });
      const denied = await ask(other.root, { Authorizations: [{ Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/cat.jpg', ResourceAccount: A }] });
      expect(denied.body).toMatchObject({ Authenticated: true, Allowed: false, Decisions: [{ Effect: 'implicitDeny', DecidedBy: [] }] });
      expect(denied.body['Decisions'][0]['Message']).toBeUndefined();
      // Nor which of the client's layers denied, nor which condition keys its policies want.
      expect(denied.body['Decisions'][0]['DeniedBy']).toBeUndefined();
      const mfaOnly = await user('mfa-only-foreign', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
      const wantsMfa = await ask(other.root, {}, mfaOnly);
      expect(wantsMfa.body).toMatchObject({ Authenticated: true, Allowed: false, Decisions: [{ Effect: 'implicitDeny', DecidedBy: [] }] });
      expect(wantsMfa.body['Decisions'][0]['MissingContextKeys']).toBeUndefined();
      expect(wantsMfa.body['Decisions'][0]['DeniedBy']).toBeUndefined();
      expect((await ask(creds['service']!, {}, mfaOnly)).body).toMatchObject({ Decisions: [{ DeniedBy: 'identity', MissingContextKeys: ['aws:MultiFactorAuthPresent'] }] });
      // A bucket of the service's own account shared with alice's: its own policy's statement is named.
      const shared = await ask(other.root, { ResourcePolicy: bucketPolicy('ShareWithA'), Authorizations: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/cat.jpg', ResourceAccount: other.accountId }] });
      expect(shared.body).toMatchObject({ Allowed: true, Decisions: [{ DecidedBy: [{ PolicyKind: 'resource', Sid: 'ShareWithA' }] }] });
      expect(JSON.stringify([allowed.body, denied.body, shared.body])).not.toContain('ReadPhotos');
      // The client's own account's service still sees which statement decided.
      expect((await ask(creds['service']!)).body).toMatchObject({ Decisions: [{ DecidedBy: [{ Sid: 'ReadPhotos' }] }] });
    });

    it('records its event in its own account’s trail only, never in the client’s, whatever category it asks', async () => {
      const Event = { EventName: 'DeleteBucket', EventCategory: 'Management', ReadOnly: false, RequestParameters: { bucketName: 'alice-prod', key: 'foreign-asker' }, Resources: [{ Type: 'AWS::S3::Bucket', Arn: 'arn:aws:s3:::alice-prod', AccountId: A }] };
      const res = await ask(other.root, { Event });
      expect(res.body).toMatchObject({ Authenticated: true });
      const theirs = keyed(await s3Events(other.root, (rs) => keyed(rs, 'foreign-asker').length > 0), 'foreign-asker');
      expect(theirs).toEqual([expect.objectContaining({ recipientAccountId: other.accountId, eventName: 'DeleteBucket', userIdentity: expect.objectContaining({ type: 'AWSAccount', accountId: A }) })]);
      expect(JSON.stringify(theirs)).not.toContain('ReadPhotos');
      // Alice's account: a later event of its own service is there, the foreign one is not.
      await ask(creds['service']!, { Event: { EventName: 'GetObject', ReadOnly: true, RequestParameters: { key: 'after-foreign-asker' } } });
      const alices = await s3Events(t.root, (rs) => keyed(rs, 'after-foreign-asker').length > 0);
      expect(keyed(alices, 'after-foreign-asker')).toHaveLength(1);
      expect(keyed(alices, 'foreign-asker')).toEqual([]);
    });
  });

  // Every asker asks only about its own service's actions: not what its client may do in IAM.
  it.each([
    ['a service of the client’s account', 'iam:ListRoles', 'service'],
    ['a service of the client’s account', 'sqs:SendMessage', 'service'],
    ['a service of another account', 'iam:ListRoles', 'foreign'],
    ['a service of the client’s account', 's3', 'service'],
    ['a service of the client’s account', 's3x:GetObject', 'service'],
  ])('refuses %s asking about %s (ValidationException naming the action)', async (_name, Action, who) => {
    const res = await ask(who === 'foreign' ? other.root : creds[who]!, { Authorizations: [{ Action, Resource: '*' }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ __type: expect.stringContaining('ValidationException'), message: expect.stringContaining(`'${Action}'`) });
  });

  it('takes its own service’s actions in any case, as IAM does', async () => {
    const res = await ask(creds['service']!, { Authorizations: [{ Action: 'S3:GetObject', Resource: 'arn:aws:s3:::photos/cat.jpg', ResourceAccount: A }] });
    expect(res.body).toMatchObject({ Authenticated: true, Allowed: true });
  });

  it('refuses the same questions in process, without asking Castellan', async () => {
    const castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: creds['service']! });
    const local = new InProcessAuthorizer({ castellan, audit: 'off' });
    try {
      const r = await clientRequest(creds['alice']!);
      const question = { request: { method: r.Method, path: r.Path, query: r.Query, headers: r.Headers }, sourceIp: '198.51.100.7', authorizations: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::photos/cat.jpg', resourceAccount: A }] };
      // A snapshot first, so the refusals below would otherwise be decided locally.
      expect(await local.authorize(question)).toMatchObject({ authenticated: true, allowed: true });
      const stats = { ...local.stats };
      await expect(local.authorize({ ...question, event: { eventSource: 'iam.amazonaws.com', eventName: 'DeleteRole', readOnly: false } })).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringContaining("'iam.amazonaws.com'") });
      await expect(local.authorize({ ...question, authorizations: [{ action: 'iam:ListRoles', resource: '*' }] })).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringContaining("'iam:ListRoles'") });
      expect(local.stats).toEqual(stats);
    } finally {
      castellan.close();
    }
  });
});
