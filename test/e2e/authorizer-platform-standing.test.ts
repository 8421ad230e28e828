/**
 * Who has the platform standing with castellan:AuthorizeRequest (trusted with the clients of every
 * account): the management-account principals the operator lists (`platformPrincipals`, a role's
 * ARN standing for every session of it), never a permission. The S3 example runs twice in front of
 * one Castellan: as an administrator of the management account (`"Action": "*"`, not listed) and as
 * a session of a listed role. Carol, of another account, uses both with @aws-sdk/client-s3 and a
 * chunk-signed upload; the client library asks about her requests directly. The administrator's
 * service gets the foreign view of her (no signing key, no `DeniedBy` nor AccessDenied text, her
 * events in its own account's trail only), and the full view of its own account's alice; the
 * listed role's service gets the full view of carol.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { chunkSignature, deriveSigningKey } from '@castellan/server/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastellanAuthorizer, type AuthorizationQuestion } from '@castellan/authorizer-client';
import { startS3Server, type S3Server } from '@castellan/example-s3-subset';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const A = E2E_ACCOUNT_ID;
const PLATFORM_ROLE = `arn:aws:iam::${A}:role/platform/S3Platform`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ASK_S3 = { Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } };

let t: TestCastellan;
let dir: string;
let other: { accountId: string; root: StaticCredentials };
const users: Record<string, StaticCredentials> = {};
/** The S3 example as each service: its server and its client of Castellan. */
const services: Record<'admin' | 'platform', { s3: S3Server; castellan: CastellanAuthorizer }> = {} as never;

const s3Client = (s3: S3Server, credentials: StaticCredentials) => new S3Client({ endpoint: s3.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });

/** A chunk-signed PutObject (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) `who` sends to `url`, signed for real: the request and its body. */
async function chunkSignedPut(who: StaticCredentials, url: URL, data: Buffer) {
  const signer = new SignatureV4({ credentials: who, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {},
    headers: { host: url.host, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length) },
  });
  const seed = /Signature=([0-9a-f]{64})/.exec(signed.headers['authorization']!)![1]!;
  const amzDate = signed.headers['x-amz-date']!;
  const ctx = { signingKey: deriveSigningKey(who.secretAccessKey, amzDate.slice(0, 8), 'us-east-1', 's3'), amzDate, scope: `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`, seedSignature: seed };
  const first = chunkSignature(ctx, seed, data);
  const last = chunkSignature(ctx, first, Buffer.alloc(0));
  const body = Buffer.concat([Buffer.from(`${data.length.toString(16)};chunk-signature=${first}\r\n`), data, Buffer.from(`\r\n0;chunk-signature=${last}\r\n\r\n`)]);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return { headers, body };
}

/** What the client library's service asks about `who`'s chunk-signed upload to `bucket/key` and GetObject of it (her policy does not allow it). */
async function questions(who: StaticCredentials, owner: string, bucket: string, key: string): Promise<{ upload: AuthorizationQuestion; read: AuthorizationQuestion }> {
  const url = new URL(`http://files.local/${bucket}/${key}`);
  const put = await chunkSignedPut(who, url, Buffer.from('hello'));
  const signer = new SignatureV4({ credentials: who, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const get = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, path: url.pathname, query: {}, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  const resource = `arn:aws:s3:::${bucket}/${key}`;
  return {
    upload: { request: { method: 'PUT', path: url.pathname, query: '', headers: put.headers }, sourceIp: '198.51.100.7', authorizations: [{ action: 's3:PutObject', resource, resourceAccount: owner }] },
    read: { request: { method: 'GET', path: url.pathname, query: '', headers: lower(get.headers) }, sourceIp: '198.51.100.7', authorizations: [{ action: 's3:GetObject', resource, resourceAccount: owner }] },
  };
}

/** The S3 events of `eventName` in the trail `root` reads whose key is `key`, once `ready` holds (the trail is written behind). */
async function s3Events(root: StaticCredentials, eventName: string, key: string, ready: (records: Array<Record<string, any>>) => boolean = (rs) => rs.length > 0) {
  let found: Array<Record<string, any>> = [];
  for (let i = 0; i < 50; i++) {
    const events = (await t.cloudTrail(root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }))).Events ?? [];
    found = events.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).filter((r) => r['eventSource'] === 's3.amazonaws.com' && r['requestParameters']?.['key'] === key);
    if (ready(found)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

beforeAll(async () => {
  // The operator lists one role of the management account as the platform's; nothing else is.
  t = await startTestCastellan({ platformPrincipals: [PLATFORM_ROLE] });
  dir = await mkdtemp(join(tmpdir(), 'castellan-platform-'));
  const iam = t.iam();
  // An administrator of the management account: allowed everything, castellan:AuthorizeRequest included.
  users['admin'] = await createUserWithKey(iam, 'admin', policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
  // The listed role, on a path, assumed by its deployer.
  users['deployer'] = await createUserWithKey(iam, 'deployer', policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: PLATFORM_ROLE }));
  await iam.send(new CreateRoleCommand({ RoleName: 'S3Platform', Path: '/platform/', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/deployer` }, Action: 'sts:AssumeRole' }) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'S3Platform', PolicyName: 'authorize', PolicyDocument: policy(ASK_S3) }));
  // Alice of the management account and carol of another: each may create and write her own buckets, not read them.
  const writer = (prefix: string) => policy({ Effect: 'Allow', Action: ['s3:CreateBucket', 's3:ListBucket', 's3:PutObject'], Resource: [`arn:aws:s3:::${prefix}-*`, `arn:aws:s3:::${prefix}-*/*`] });
  users['alice'] = await createUserWithKey(iam, 'alice', writer('alice'));
  const created = await callCastellan(t.url, t.root, 'CreateAccount', {});
  other = { accountId: created.body['AccountId'], root: { accessKeyId: created.body['RootAccessKeyId'], secretAccessKey: created.body['RootSecretAccessKey'] } };
  users['carol'] = await createUserWithKey(t.iam(other.root), 'carol', writer('carol'));

  const roleSession = async () => {
    const c = (await t.sts(users['deployer']!).send(new AssumeRoleCommand({ RoleArn: PLATFORM_ROLE, RoleSessionName: 's3-platform' }))).Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration! };
  };
  for (const [name, credentials] of [['admin', users['admin']!], ['platform', roleSession]] as const) {
    const castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials });
    services[name] = { castellan, s3: await startS3Server({ dataDir: join(dir, name), authorizer: castellan }) };
  }
});

afterAll(async () => {
  for (const service of Object.values(services)) {
    await service.s3.close();
    service.castellan.close();
  }
  await t?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an unlisted administrator of the management account ("Action": "*")', () => {
  it('gets the foreign view of another account’s client: no signing key, no DeniedBy nor AccessDenied text, her session facts only', async () => {
    const { upload, read } = await questions(users['carol']!, other.accountId, 'carol-admin', 'q.txt');
    const uploaded = await services.admin.castellan.authorize(upload);
    expect(uploaded).toMatchObject({ authenticated: true, allowed: true, principal: { arn: `arn:aws:iam::${other.accountId}:user/carol` }, payload: { kind: 'streaming-signed' } });
    if (!uploaded.authenticated) return;
    expect(uploaded.streaming).toMatchObject({ seedSignature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(uploaded.streaming?.signingKey).toBeUndefined();
    const denied = await services.admin.castellan.authorize(read);
    expect(denied).toMatchObject({ authenticated: true, allowed: false, decisions: [{ action: 's3:GetObject', effect: 'implicitDeny', decidedBy: [] }] });
    if (!denied.authenticated) return;
    expect(denied.decisions[0]!.deniedBy).toBeUndefined();
    expect(denied.decisions[0]!.message).toBeUndefined();
  });

  it('serves her through the S3 example as such: S3’s bare AccessDenied, a chunk-signed upload refused 501, her events in the management account’s trail only', async () => {
    const carol = s3Client(services.admin.s3, users['carol']!);
    await carol.send(new CreateBucketCommand({ Bucket: 'carol-admin' }));
    await carol.send(new PutObjectCommand({ Bucket: 'carol-admin', Key: 'via-admin.txt', Body: 'hello' }));
    expect(await sdkError(() => carol.send(new GetObjectCommand({ Bucket: 'carol-admin', Key: 'via-admin.txt' })))).toMatchObject({ name: 'AccessDenied', status: 403, message: 'Access Denied' });
    const url = new URL(`${services.admin.s3.url}/carol-admin/chunked.bin`);
    const { headers, body } = await chunkSignedPut(users['carol']!, url, Buffer.from('chunked'));
    delete headers['host'];
    const res = await fetch(url, { method: 'PUT', headers, body });
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('<Code>NotImplemented</Code>');
    // The management account's copy, as an owner's: carol is an AWSAccount identity, the decision without her statements.
    const theirs = await s3Events(t.root, 'PutObject', 'via-admin.txt');
    expect(theirs).toEqual([expect.objectContaining({ recipientAccountId: A, userIdentity: expect.objectContaining({ type: 'AWSAccount', accountId: other.accountId }), additionalEventData: expect.objectContaining({ 'castellan:authorizedBy': `arn:aws:iam::${A}:user/admin` }) })]);
    const refused = await s3Events(t.root, 'GetObject', 'via-admin.txt');
    expect(refused).toEqual([expect.objectContaining({ errorCode: 'AccessDenied', errorMessage: 'Access Denied' })]);
    // Carol's account: a later event of the platform's service is there, the administrator's are not.
    await s3Client(services.platform.s3, users['carol']!).send(new CreateBucketCommand({ Bucket: 'carol-marker' }));
    await s3Client(services.platform.s3, users['carol']!).send(new PutObjectCommand({ Bucket: 'carol-marker', Key: 'after-admin.txt', Body: 'x' }));
    expect(await s3Events(other.root, 'PutObject', 'after-admin.txt')).toHaveLength(1);
    expect(await s3Events(other.root, 'PutObject', 'via-admin.txt', () => true)).toEqual([]);
    expect(await s3Events(other.root, 'GetObject', 'via-admin.txt', () => true)).toEqual([]);
  });

  it('still gets the full view of its own account’s client', async () => {
    const { upload, read } = await questions(users['alice']!, A, 'alice-admin', 'q.txt');
    const uploaded = await services.admin.castellan.authorize(upload);
    expect(uploaded.authenticated && uploaded.streaming?.signingKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await services.admin.castellan.authorize(read)).toMatchObject({ authenticated: true, allowed: false, decisions: [{ effect: 'implicitDeny', deniedBy: 'identity', message: expect.stringContaining(`User: arn:aws:iam::${A}:user/alice is not authorized to perform: s3:GetObject`) }] });
  });
});

describe('a session of a listed role (the platform’s)', () => {
  it('gets the full view of another account’s client: the signing key, DeniedBy and AccessDenied text', async () => {
    const { upload, read } = await questions(users['carol']!, other.accountId, 'carol-platform', 'q.txt');
    const uploaded = await services.platform.castellan.authorize(upload);
    expect(uploaded.authenticated && uploaded.streaming?.signingKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await services.platform.castellan.authorize(read)).toMatchObject({ authenticated: true, allowed: false, decisions: [{ effect: 'implicitDeny', deniedBy: 'identity', message: expect.stringContaining(`User: arn:aws:iam::${other.accountId}:user/carol is not authorized to perform: s3:GetObject`) }] });
  });

  it('serves her through the S3 example as such: AWS’s AccessDenied text, a chunk-signed upload verified and stored, her events in her own trail', async () => {
    const carol = s3Client(services.platform.s3, users['carol']!);
    await carol.send(new CreateBucketCommand({ Bucket: 'carol-platform' }));
    await carol.send(new PutObjectCommand({ Bucket: 'carol-platform', Key: 'via-platform.txt', Body: 'hello' }));
    expect(await sdkError(() => carol.send(new GetObjectCommand({ Bucket: 'carol-platform', Key: 'via-platform.txt' })))).toMatchObject({
      name: 'AccessDenied', status: 403, message: expect.stringContaining(`User: arn:aws:iam::${other.accountId}:user/carol is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::carol-platform/via-platform.txt because no identity-based policy allows the s3:GetObject action`),
    });
    const url = new URL(`${services.platform.s3.url}/carol-platform/chunked.bin`);
    const { headers, body } = await chunkSignedPut(users['carol']!, url, Buffer.from('chunked'));
    delete headers['host'];
    expect((await fetch(url, { method: 'PUT', headers, body })).status).toBe(200);
    const hers = await s3Events(other.root, 'PutObject', 'via-platform.txt');
    expect(hers).toEqual([expect.objectContaining({ recipientAccountId: other.accountId, userIdentity: expect.objectContaining({ type: 'IAMUser', arn: `arn:aws:iam::${other.accountId}:user/carol` }), additionalEventData: expect.objectContaining({ 'castellan:authorizedBy': expect.stringContaining(`:assumed-role/S3Platform/s3-platform`) }) })]);
    expect(await s3Events(other.root, 'PutObject', 'chunked.bin')).toHaveLength(1);
  });
});
