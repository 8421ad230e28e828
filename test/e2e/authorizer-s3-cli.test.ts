/**
 * Castellan in front of another service: the example S3 subset (`examples/s3-subset`) protected by
 * Castellan's AuthorizeRequest, driven by the unmodified AWS CLI v2 (`aws s3api`, `aws s3 cp`,
 * `aws s3 presign`) and @aws-sdk/client-s3. The S3 server runs as a role it assumes, which the
 * server's settings make the platform's (`platformPrincipals`); users of two
 * accounts are decided by identity policies, a bucket policy granting the other account, conditions
 * on aws:SourceIp and s3:prefix, a presigned URL that works then expires, and an AssumeRole
 * session; every S3 call is a data event in LookupEvents.
 */
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand,
  HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { chunkSignature, deriveSigningKey, trailerSignature } from '@castellan/server/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastellanAuthorizer, InProcessAuthorizer, type RequestAuthorizer } from '@castellan/authorizer-client';
import { startS3Server, type S3Server } from '@castellan/example-s3-subset';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { awsCli, type AwsCliTextResult } from './helpers/aws-cli.js';
import { callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const A = E2E_ACCOUNT_ID;
/** The AWS CLI starts a Python interpreter per call: seconds each on a busy machine. */
const CLI_TIMEOUT = 300_000;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

let t: TestCastellan;
let dir: string;
let cliConfig: string;
let other: { accountId: string; root: StaticCredentials };
const users: Record<string, StaticCredentials> = {};

async function user(iam: IAMClient, name: string, identityPolicy?: string): Promise<StaticCredentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (identityPolicy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: identityPolicy }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

/** The AWS CLI against the S3 server (path-style addressing, from its config file): its output, or the error text. */
const aws = (s3: S3Server, creds: StaticCredentials, ...args: string[]): Promise<AwsCliTextResult> =>
  awsCli(s3.url, creds, args, { AWS_CONFIG_FILE: cliConfig, ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}) });
async function ok(s3: S3Server, creds: StaticCredentials, ...args: string[]): Promise<any> {
  const r = await aws(s3, creds, ...args);
  if (!r.ok) throw new Error(`aws ${args.join(' ')} failed: ${r.err}`);
  return r.out.trim() ? (r.out.trim().startsWith('{') ? JSON.parse(r.out) : r.out.trim()) : {};
}
async function refused(s3: S3Server, creds: StaticCredentials, ...args: string[]): Promise<string> {
  const r = await aws(s3, creds, ...args);
  if (r.ok) throw new Error(`aws ${args.join(' ')} succeeded: ${r.out}`);
  return r.err;
}

const s3Client = (s3: S3Server, credentials: StaticCredentials) => new S3Client({ endpoint: s3.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });

/** The data events of `eventName` in an account's trail, waiting for batched records. */
async function dataEvents(credentials: StaticCredentials, eventName: string, count = 1, which: (r: Record<string, any>) => boolean = () => true): Promise<Array<Record<string, any>>> {
  let found: Array<Record<string, any>> = [];
  for (let i = 0; i < 50; i++) {
    const events = (await t.cloudTrail(credentials).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }))).Events ?? [];
    found = events.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).filter((r) => r['eventSource'] === 's3.amazonaws.com' && which(r));
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

beforeAll(async () => {
  // The S3 service's role is the platform's (the operator's setting, naming the role for all its
  // sessions): trusted with the other account's carol as with the management account's users.
  t = await startTestCastellan({ platformPrincipals: [`arn:aws:iam::${A}:role/S3Service`] });
  dir = await mkdtemp(join(tmpdir(), 'castellan-s3-e2e-'));
  cliConfig = join(dir, 'aws-config');
  await writeFile(cliConfig, '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n');
  const iam = t.iam();
  // The S3 service runs as a role it assumes, allowed to ask Castellan about s3 requests only.
  users['runner'] = await user(iam, 's3-runner', policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${A}:role/S3Service` }));
  await iam.send(new CreateRoleCommand({ RoleName: 'S3Service', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/s3-runner` }, Action: 'sts:AssumeRole' }) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'S3Service', PolicyName: 'authorize', PolicyDocument: policy({ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } }) }));
  users['alice'] = await user(iam, 'alice', policy(
    { Effect: 'Allow', Action: ['s3:CreateBucket', 's3:ListBucket', 's3:PutBucketPolicy', 's3:GetBucketPolicy'], Resource: 'arn:aws:s3:::photos' },
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: 'arn:aws:s3:::photos/*' },
    { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
    { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::alice-*', 'arn:aws:s3:::alice-*/*'] },
  ));
  users['bob'] = await user(iam, 'bob');
  users['dave'] = await user(iam, 'dave');
  await iam.send(new CreateRoleCommand({ RoleName: 'PhotoReader', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/bob` }, Action: 'sts:AssumeRole' }) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'PhotoReader', PolicyName: 'read', PolicyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }) }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${A}:role/PhotoReader` }) }));
  // Another account, whose user carol may read what the bucket policy shares with her account.
  const created = await callCastellan(t.url, t.root, 'CreateAccount', {});
  other = { accountId: created.body['AccountId'], root: { accessKeyId: created.body['RootAccessKeyId'], secretAccessKey: created.body['RootSecretAccessKey'] } };
  users['carol'] = await user(t.iam(other.root), 'carol', policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: ['arn:aws:s3:::photos', 'arn:aws:s3:::photos/*'] }));
});

afterAll(async () => {
  await t?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The S3 service's credentials: a session of the S3Service role, refreshed by the client before it expires. */
const serviceCredentials = async () => {
  const out = await t.sts(users['runner']!).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/S3Service`, RoleSessionName: 's3-subset' }));
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration! };
};

describe.each([
  ['round trip', (c: CastellanAuthorizer): RequestAuthorizer => c],
  ['in process', (c: CastellanAuthorizer): RequestAuthorizer => new InProcessAuthorizer({ castellan: c, refreshAfterMs: 0 })],
] as const)('the S3 subset behind Castellan (%s)', (mode, make) => {
  let s3: S3Server;
  let dataDir: string;
  let castellan: CastellanAuthorizer;
  let authorizer: RequestAuthorizer;
  const bucket = 'photos';

  beforeAll(async () => {
    castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: serviceCredentials });
    authorizer = make(castellan);
    dataDir = await mkdtemp(join(dir, 'data-'));
    s3 = await startS3Server({ dataDir, authorizer });
  });
  afterAll(async () => {
    if (authorizer instanceof InProcessAuthorizer) await authorizer.flush();
    await s3?.close();
    castellan?.close();
  });

  it('lets alice create the bucket, upload with `aws s3 cp`, read, list and delete, as her identity policy allows', async () => {
    expect(await ok(s3, users['alice']!, 's3api', 'create-bucket', '--bucket', bucket)).toMatchObject({ Location: `/${bucket}` });
    const file = join(dir, `hello-${mode.replace(' ', '-')}.txt`);
    await writeFile(file, 'hello, castellan\n');
    await ok(s3, users['alice']!, 's3', 'cp', file, `s3://${bucket}/docs/hello.txt`);
    await ok(s3, users['alice']!, 's3api', 'put-object', '--bucket', bucket, '--key', 'shared/a b+c.txt', '--body', file);
    await ok(s3, users['alice']!, 's3api', 'put-object', '--bucket', bucket, '--key', 'private/secret.txt', '--body', file);
    const back = join(dir, `back-${mode.replace(' ', '-')}.txt`);
    await ok(s3, users['alice']!, 's3', 'cp', `s3://${bucket}/docs/hello.txt`, back);
    expect(await readFile(back, 'utf8')).toBe('hello, castellan\n');
    const listed = await ok(s3, users['alice']!, 's3api', 'list-objects-v2', '--bucket', bucket);
    expect(listed.Contents.map((o: { Key: string }) => o.Key)).toEqual(['docs/hello.txt', 'private/secret.txt', 'shared/a b+c.txt']);
    const folders = await ok(s3, users['alice']!, 's3api', 'list-objects-v2', '--bucket', bucket, '--delimiter', '/');
    expect(folders.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix)).toEqual(['docs/', 'private/', 'shared/']);
    await ok(s3, users['alice']!, 's3api', 'put-object', '--bucket', bucket, '--key', 'tmp.txt', '--body', file);
    await ok(s3, users['alice']!, 's3api', 'delete-object', '--bucket', bucket, '--key', 'tmp.txt');
    expect(await refused(s3, users['alice']!, 's3api', 'head-object', '--bucket', bucket, '--key', 'tmp.txt')).toContain('404');
  }, CLI_TIMEOUT);

  it('refuses bob, whom no policy allows, as S3 does: AccessDenied, and 403 rather than 404 for a missing key', async () => {
    expect(await refused(s3, users['bob']!, 's3api', 'get-object', '--bucket', bucket, '--key', 'docs/hello.txt', join(dir, 'x'))).toContain('AccessDenied');
    expect(await refused(s3, users['bob']!, 's3api', 'list-objects-v2', '--bucket', bucket)).toContain('AccessDenied');
    expect(await refused(s3, users['bob']!, 's3api', 'get-object', '--bucket', bucket, '--key', 'nothing-here', join(dir, 'x'))).toContain('AccessDenied');
    expect(await refused(s3, users['alice']!, 's3api', 'get-object', '--bucket', bucket, '--key', 'nothing-here', join(dir, 'x'))).toContain('NoSuchKey');
    expect(await refused(s3, { ...users['bob']!, secretAccessKey: 'wrong-secret-0000000000000000000000000000' }, 's3api', 'list-objects-v2', '--bucket', bucket)).toContain('SignatureDoesNotMatch');
    expect(await refused(s3, { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x'.repeat(40) }, 's3api', 'list-objects-v2', '--bucket', bucket)).toContain('InvalidAccessKeyId');
  }, CLI_TIMEOUT);

  it('applies a bucket policy: another account reads shared/ (and lists it by s3:prefix), dave reads ip/ only from 127.0.0.0/8', async () => {
    const bucketPolicy = policy(
      { Sid: 'ShareWithPartner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other.accountId}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/shared/*' },
      { Sid: 'PartnerListsShared', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other.accountId}:root` }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::photos', Condition: { StringLike: { 's3:prefix': 'shared/*' } } },
      { Sid: 'DaveFromLoopback', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/dave` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
      { Sid: 'DaveWritesFromOffice', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/dave` }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    );
    await ok(s3, users['alice']!, 's3api', 'put-bucket-policy', '--bucket', bucket, '--policy', bucketPolicy);
    expect(JSON.parse((await ok(s3, users['alice']!, 's3api', 'get-bucket-policy', '--bucket', bucket)).Policy)).toEqual(JSON.parse(bucketPolicy));
    expect(await refused(s3, users['alice']!, 's3api', 'put-bucket-policy', '--bucket', bucket, '--policy', '{"Statement": "nope"}')).toContain('MalformedPolicy');

    const carol = s3Client(s3, users['carol']!);
    const shared = await carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/a b+c.txt' }));
    expect(await shared.Body!.transformToString()).toBe('hello, castellan\n');
    expect(await sdkError(() => carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'private/secret.txt' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect((await carol.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'shared/' }))).Contents!.map((o) => o.Key)).toEqual(['shared/a b+c.txt']);
    expect(await sdkError(() => carol.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'private/' })))).toMatchObject({ name: 'AccessDenied' });
    // Carol's own identity policy allows PutObject, but nothing on the bucket's side does: cross-account needs both.
    expect(await sdkError(() => carol.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared/from-carol.txt', Body: 'x' })))).toMatchObject({ name: 'AccessDenied' });

    const dave = s3Client(s3, users['dave']!);
    expect(await (await dave.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }))).Body!.transformToString()).toBe('hello, castellan\n');
    expect(await sdkError(() => dave.send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/dave.txt', Body: 'x' })))).toMatchObject({ name: 'AccessDenied' });
  }, CLI_TIMEOUT);

  it('serves a presigned URL from `aws s3 presign` and @aws-sdk/s3-request-presigner, until it expires', async () => {
    const presign = async (seconds: number) => [
      await ok(s3, users['alice']!, 's3', 'presign', `s3://${bucket}/docs/hello.txt`, '--expires-in', String(seconds)),
      await getSignedUrl(s3Client(s3, users['alice']!), new GetObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }), { expiresIn: seconds }),
    ];
    for (const u of await presign(600)) {
      const res = await fetch(u);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('hello, castellan\n');
    }
    // Seven days, the longest a SigV4 presigned URL may live, work; a second more is refused as S3 refuses it (the CLI signs it all the same).
    for (const u of await presign(604_800)) {
      expect(new URL(u).searchParams.get('X-Amz-Expires')).toBe('604800');
      expect((await fetch(u)).status).toBe(200);
    }
    // A seven-day URL signed six days ago still works (its scope's day is not today's); one signed more than seven days ago has expired.
    const signedAgo = (days: number) => getSignedUrl(s3Client(s3, users['alice']!), new GetObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }), { expiresIn: 604_800, signingDate: new Date(Date.now() - days * 86_400_000) });
    expect((await fetch(await signedAgo(6))).status).toBe(200);
    const stale = await fetch(await signedAgo(7.01));
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain('<Message>Request has expired</Message>');
    const tooLong = await fetch(await ok(s3, users['alice']!, 's3', 'presign', `s3://${bucket}/docs/hello.txt`, '--expires-in', '604801'));
    expect(tooLong.status).toBe(403);
    expect(await tooLong.text()).toContain('<Code>AuthorizationQueryParametersError</Code>');
    const short = await presign(1);
    await new Promise((r) => setTimeout(r, 2100));
    for (const u of short) {
      const res = await fetch(u);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Message>Request has expired</Message>');
    }
  }, CLI_TIMEOUT);

  it('decides an AssumeRole session by its role’s policies, with @aws-sdk/client-s3', async () => {
    const out = await t.sts(users['bob']!).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/PhotoReader`, RoleSessionName: `bob-${mode.replace(' ', '-')}` }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    const client = s3Client(s3, session);
    expect(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' }))).Body!.transformToString()).toBe('hello, castellan\n');
    const denied = await sdkError(() => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'docs/hello.txt' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain(`assumed-role/PhotoReader/bob-${mode.replace(' ', '-')} is not authorized to perform: s3:DeleteObject`);
    // The session through the CLI too.
    await ok(s3, session, 's3api', 'head-object', '--bucket', bucket, '--key', 'docs/hello.txt');
  }, CLI_TIMEOUT);

  it('takes uploads from @aws-sdk/client-s3, a string and a stream', async () => {
    const alice = s3Client(s3, users['alice']!);
    await alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'sdk/string.txt', Body: 'from the sdk' }));
    await alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'sdk/stream.bin', Body: Readable.from([Buffer.alloc(70_000, 7)]), ContentLength: 70_000 }));
    expect(await (await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk/string.txt' }))).Body!.transformToString()).toBe('from the sdk');
    expect((await (await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk/stream.bin' }))).Body!.transformToByteArray()).length).toBe(70_000);
  });

  it('takes a chunk-signed upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), and refuses one whose chunk was altered', async () => {
    const upload = async (key: string, tamper: boolean) => {
      const url = new URL(`${s3.url}/${bucket}/${key}`);
      const data = [Buffer.alloc(65_536, 'a'), Buffer.alloc(1_000, 'b')];
      const chunkHeader = (size: number) => `${size.toString(16)};chunk-signature=`.length + 64 + 2;
      const encodedLength = [...data, Buffer.alloc(0)].reduce((n, c) => n + chunkHeader(c.length) + c.length + 2, 0);
      const signer = new SignatureV4({ credentials: users['alice']!, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
      const signed = await signer.sign({
        method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {},
        headers: { host: url.host, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '66536', 'content-length': String(encodedLength) },
      });
      const seed = /Signature=([0-9a-f]{64})/.exec(signed.headers['authorization']!)![1]!;
      const amzDate = signed.headers['x-amz-date']!;
      const ctx = { signingKey: deriveSigningKey(users['alice']!.secretAccessKey, amzDate.slice(0, 8), 'us-east-1', 's3'), amzDate, scope: `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`, seedSignature: seed };
      let previous = seed;
      const parts: Buffer[] = [];
      for (const chunk of [...data, Buffer.alloc(0)]) {
        previous = chunkSignature(ctx, previous, chunk);
        const sent = tamper && chunk.length === 1_000 ? Buffer.alloc(1_000, 'c') : chunk;
        parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), sent, Buffer.from('\r\n'));
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host' && k !== 'content-length') headers.set(k, v);
      return fetch(url, { method: 'PUT', headers, body: Buffer.concat(parts) });
    };
    expect((await upload('chunked/good.bin', false)).status).toBe(200);
    const alice = s3Client(s3, users['alice']!);
    const stored = await (await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked/good.bin' }))).Body!.transformToByteArray();
    expect(stored.length).toBe(66_536);
    expect(Buffer.from(stored).subarray(65_536).toString()).toBe('b'.repeat(1_000));
    const bad = await upload('chunked/bad.bin', true);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await sdkError(() => alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked/bad.bin' })))).toMatchObject({ name: 'NoSuchKey' });
  });

  it('takes a chunk-signed upload with a signed checksum trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER), and refuses an unsigned, altered or wrong trailer', async () => {
    const data = Buffer.alloc(70_000, 'd');
    const crc = (b: Buffer) => { const x = Buffer.alloc(4); x.writeUInt32BE(crc32(b)); return x.toString('base64'); };
    const upload = async (key: string, trailer: 'signed' | 'unsigned' | 'altered' | 'wrong checksum') => {
      const url = new URL(`${s3.url}/${bucket}/${key}`);
      const signer = new SignatureV4({ credentials: users['alice']!, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
      const signed = await signer.sign({
        method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {},
        headers: { host: url.host, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': 'x-amz-checksum-crc32' },
      });
      const seed = /Signature=([0-9a-f]{64})/.exec(signed.headers['authorization']!)![1]!;
      const amzDate = signed.headers['x-amz-date']!;
      const ctx = { signingKey: deriveSigningKey(users['alice']!.secretAccessKey, amzDate.slice(0, 8), 'us-east-1', 's3'), amzDate, scope: `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`, seedSignature: seed };
      const first = chunkSignature(ctx, seed, data);
      const last = chunkSignature(ctx, first, Buffer.alloc(0));
      const checksum = `x-amz-checksum-crc32:${trailer === 'wrong checksum' ? crc(Buffer.from('other')) : crc(data)}`;
      const signature = trailerSignature(ctx, last, `${checksum}\n`);
      const trailers = trailer === 'unsigned' ? `${checksum}\r\n`
        : trailer === 'altered' ? `x-amz-checksum-crc32:${crc(Buffer.from('other'))}\r\nx-amz-trailer-signature:${signature}\r\n`
        : `${checksum}\r\nx-amz-trailer-signature:${signature}\r\n`;
      const body = Buffer.concat([Buffer.from(`${data.length.toString(16)};chunk-signature=${first}\r\n`), data, Buffer.from(`\r\n0;chunk-signature=${last}\r\n${trailers}\r\n`)]);
      const headers = new Headers();
      for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') headers.set(k, v);
      return fetch(url, { method: 'PUT', headers, body });
    };
    const good = await upload('trailer/good.bin', 'signed');
    expect(good.status).toBe(200);
    expect(good.headers.get('x-amz-checksum-crc32')).toBe(crc(data));
    const alice = s3Client(s3, users['alice']!);
    expect((await (await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'trailer/good.bin' }))).Body!.transformToByteArray()).length).toBe(70_000);
    for (const [trailer, code] of [['unsigned', 'SignatureDoesNotMatch'], ['altered', 'SignatureDoesNotMatch'], ['wrong checksum', 'BadDigest']] as const) {
      const res = await upload(`trailer/${trailer.replace(' ', '-')}.bin`, trailer);
      expect(await res.text(), trailer).toContain(`<Code>${code}</Code>`);
      expect(await sdkError(() => alice.send(new GetObjectCommand({ Bucket: bucket, Key: `trailer/${trailer.replace(' ', '-')}.bin` })))).toMatchObject({ name: 'NoSuchKey' });
    }
  });

  it('lists the caller’s own buckets (`aws s3 ls`, ListBuckets as s3:ListAllMyBuckets), not another account’s; lists objects with ListObjects and V2, paged', async () => {
    const partner = s3Client(s3, other.root);
    await partner.send(new CreateBucketCommand({ Bucket: 'partner-bucket' }));
    expect((await ok(s3, users['alice']!, 's3', 'ls')).split('\n').map((l: string) => l.split(' ').pop())).toEqual([bucket]);
    expect((await partner.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toEqual(['partner-bucket']);
    const denied = await refused(s3, users['bob']!, 's3', 'ls');
    expect(denied).toContain('AccessDenied');
    expect(denied).toContain('s3:ListAllMyBuckets');
    // `aws s3 ls` of a folder: ListObjectsV2 with a prefix and the delimiter.
    expect(await ok(s3, users['alice']!, 's3', 'ls', `s3://${bucket}/shared/`)).toMatch(/ 17 a b\+c\.txt$/);
    // Both listings, paged by the CLI one entry at a time: each common prefix once, V1 by NextMarker, V2 by its token.
    const alice = s3Client(s3, users['alice']!);
    for (const k of ['page/a/1', 'page/a/2', 'page/b/1', 'page/c.txt']) await alice.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
    for (const op of ['list-objects', 'list-objects-v2']) {
      const paged = await ok(s3, users['alice']!, 's3api', op, '--bucket', bucket, '--prefix', 'page/', '--delimiter', '/', '--page-size', '1');
      expect([paged.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix), paged.Contents.map((o: { Key: string }) => o.Key)]).toEqual([['page/a/', 'page/b/'], ['page/c.txt']]);
    }
  }, CLI_TIMEOUT);

  it('takes a file above the CLI’s multipart threshold with `aws s3 cp` (multipart upload as s3:PutObject) and sends it back by ranges', async () => {
    const data = randomBytes(9 * 1024 * 1024 + 123);
    const file = join(dir, `big-${mode.replace(' ', '-')}.bin`);
    await writeFile(file, data);
    await ok(s3, users['alice']!, 's3', 'cp', file, `s3://${bucket}/big/nine.bin`);
    const head = await ok(s3, users['alice']!, 's3api', 'head-object', '--bucket', bucket, '--key', 'big/nine.bin');
    expect(head).toMatchObject({ ContentLength: data.length, ETag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/) });
    const back = join(dir, `big-back-${mode.replace(' ', '-')}.bin`);
    await ok(s3, users['alice']!, 's3', 'cp', `s3://${bucket}/big/nine.bin`, back);
    expect((await readFile(back)).equals(data)).toBe(true);
    // A ranged GetObject is a 206 with that range, and a range past the end S3's InvalidRange (416).
    const part = join(dir, `part-${mode.replace(' ', '-')}.bin`);
    expect(await ok(s3, users['alice']!, 's3api', 'get-object', '--bucket', bucket, '--key', 'big/nine.bin', '--range', 'bytes=100-199', part)).toMatchObject({ ContentLength: 100, ContentRange: `bytes 100-199/${data.length}` });
    expect((await readFile(part)).equals(data.subarray(100, 200))).toBe(true);
    expect(await refused(s3, users['alice']!, 's3api', 'get-object', '--bucket', bucket, '--key', 'big/nine.bin', '--range', `bytes=${data.length}-`, part)).toContain('InvalidRange');
    // Aborting is s3:AbortMultipartUpload; an upload aborted (or never begun) is NoSuchUpload.
    const alice = s3Client(s3, users['alice']!);
    const { UploadId } = await alice.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big/abandoned.bin' }));
    const bob = await sdkError(() => s3Client(s3, users['bob']!).send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'big/abandoned.bin', UploadId })));
    expect(bob).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(bob.message).toContain('s3:AbortMultipartUpload');
    await alice.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'big/abandoned.bin', UploadId }));
    expect(await sdkError(() => alice.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'big/abandoned.bin', UploadId })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  }, CLI_TIMEOUT);

  it('syncs a folder up and down, removes it recursively and the bucket with `aws s3 rb`, keeping user metadata; refuses tagging', async () => {
    const name = `alice-${mode.replace(' ', '-')}`;
    const tree = join(dir, `tree-${mode.replace(' ', '-')}`);
    await mkdir(join(tree, 'a'), { recursive: true });
    await writeFile(join(tree, 'a', 'x.txt'), 'x');
    await writeFile(join(tree, 'top.txt'), 'top');
    await ok(s3, users['alice']!, 's3', 'mb', `s3://${name}`);
    await ok(s3, users['alice']!, 's3', 'sync', tree, `s3://${name}/tree`);
    const down = join(dir, `down-${mode.replace(' ', '-')}`);
    await ok(s3, users['alice']!, 's3', 'sync', `s3://${name}/tree`, down);
    expect(await readFile(join(down, 'a', 'x.txt'), 'utf8')).toBe('x');
    await ok(s3, users['alice']!, 's3api', 'put-object', '--bucket', name, '--key', 'meta.txt', '--body', join(tree, 'top.txt'), '--metadata', 'colour=blue');
    expect(await ok(s3, users['alice']!, 's3api', 'head-object', '--bucket', name, '--key', 'meta.txt')).toMatchObject({ Metadata: { colour: 'blue' } });
    // Tagging is not part of the example: refused, and the object is left as it was (not replaced by the tag set).
    expect(await refused(s3, users['alice']!, 's3api', 'put-object-tagging', '--bucket', name, '--key', 'meta.txt', '--tagging', 'TagSet=[{Key=k,Value=v}]')).toContain('NotImplemented');
    expect(await ok(s3, users['alice']!, 's3api', 'head-object', '--bucket', name, '--key', 'meta.txt')).toMatchObject({ ContentLength: 3 });
    expect(await refused(s3, users['alice']!, 's3', 'rb', `s3://${name}`)).toContain('BucketNotEmpty');
    await ok(s3, users['alice']!, 's3', 'rm', '--recursive', `s3://${name}/tree`);
    await ok(s3, users['alice']!, 's3', 'rb', `s3://${name}`, '--force');
    expect(await refused(s3, users['alice']!, 's3api', 'head-bucket', '--bucket', name)).toContain('404');
    expect(await refused(s3, users['alice']!, 's3', 'mb', 's3://Not_A_Bucket')).toContain('InvalidBucketName');
  }, CLI_TIMEOUT);

  it('copies and moves between keys with `aws s3 cp`, `mv` and `sync` (CopyObject; UploadPartCopy above the multipart threshold) and syncs the copies down', async () => {
    const name = `alice-copy-${mode.replace(' ', '-')}`;
    const tag = mode.replace(' ', '-');
    const tree = join(dir, `copy-tree-${tag}`);
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'a.txt'), 'a');
    await writeFile(join(tree, 'sub', 'c d+é.txt'), 'encoded key');
    const big = randomBytes(9 * 1024 * 1024 + 7);
    await writeFile(join(tree, 'big.bin'), big);
    await ok(s3, users['alice']!, 's3', 'mb', `s3://${name}`);
    await ok(s3, users['alice']!, 's3', 'sync', tree, `s3://${name}/src`);
    // Between keys: a key that must be URL-encoded in x-amz-copy-source, and one above the threshold (copied in parts).
    await ok(s3, users['alice']!, 's3', 'cp', `s3://${name}/src/sub/c d+é.txt`, `s3://${name}/copy/c d+é.txt`);
    await ok(s3, users['alice']!, 's3', 'cp', `s3://${name}/src/big.bin`, `s3://${name}/copy/big.bin`);
    const alice = s3Client(s3, users['alice']!);
    expect(await (await alice.send(new GetObjectCommand({ Bucket: name, Key: 'copy/c d+é.txt' }))).Body!.transformToString()).toBe('encoded key');
    const bigCopy = await alice.send(new GetObjectCommand({ Bucket: name, Key: 'copy/big.bin' }));
    expect(bigCopy.ETag).toMatch(/-2"$/);
    expect(Buffer.from(await bigCopy.Body!.transformToByteArray()).equals(big)).toBe(true);
    await ok(s3, users['alice']!, 's3', 'mv', `s3://${name}/src/a.txt`, `s3://${name}/moved/a.txt`);
    expect(await refused(s3, users['alice']!, 's3api', 'head-object', '--bucket', name, '--key', 'src/a.txt')).toContain('404');
    // From one prefix to another, then down to disk.
    await ok(s3, users['alice']!, 's3', 'sync', `s3://${name}/src`, `s3://${name}/mirror`);
    const down = join(dir, `copy-down-${tag}`);
    await ok(s3, users['alice']!, 's3', 'sync', `s3://${name}/mirror`, down);
    expect(await readFile(join(down, 'sub', 'c d+é.txt'), 'utf8')).toBe('encoded key');
    expect((await readFile(join(down, 'big.bin'))).equals(big)).toBe(true);
    // Someone allowed nothing is refused the source's read (s3:GetObject), and nothing is written.
    const bob = await refused(s3, users['bob']!, 's3api', 'copy-object', '--bucket', name, '--key', 'bob.txt', '--copy-source', `${name}/moved/a.txt`);
    expect(bob).toContain('AccessDenied');
    expect(bob).toContain('s3:GetObject');
    expect(await sdkError(() => alice.send(new HeadObjectCommand({ Bucket: name, Key: 'bob.txt' })))).toMatchObject({ status: 404 });
  }, CLI_TIMEOUT);

  it('deletes in batches (DeleteObjectsCommand, `s3api delete-objects`) and copies (CopyObjectCommand) from @aws-sdk/client-s3, a bucket policy denying s3:DeleteObject on a prefix giving AccessDenied entries', async () => {
    const name = `alice-batch-${mode.replace(' ', '-')}`;
    const alice = s3Client(s3, users['alice']!);
    await alice.send(new CreateBucketCommand({ Bucket: name }));
    await alice.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policy(
      { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${name}/keep/*` },
      { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${name}/readonly/*` },
    ) }));
    const keys = ['keep/1', 'tmp/1', 'tmp/a & b', 'keep/2', ...Array.from({ length: 40 }, (_, i) => `tmp/many/${i}`)];
    for (const Key of keys) await alice.send(new PutObjectCommand({ Bucket: name, Key, Body: Key }));
    const out = await alice.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    expect((out.Deleted ?? []).map((d) => d.Key).sort()).toEqual(keys.filter((k) => k.startsWith('tmp/')).sort());
    expect(out.Errors).toEqual([{ Key: 'keep/1', Code: 'AccessDenied', Message: 'Access Denied' }, { Key: 'keep/2', Code: 'AccessDenied', Message: 'Access Denied' }]);
    const left = await alice.send(new ListObjectsV2Command({ Bucket: name }));
    expect(left.Contents!.map((o) => o.Key)).toEqual(['keep/1', 'keep/2']);
    const quiet = await alice.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Quiet: true, Objects: [{ Key: 'keep/1' }, { Key: 'gone' }] } }));
    expect([quiet.Deleted, quiet.Errors!.map((e) => e.Key)]).toEqual([undefined, ['keep/1']]);
    // The CLI's delete-objects sends Content-MD5.
    await alice.send(new PutObjectCommand({ Bucket: name, Key: 'cli/1', Body: 'x' }));
    const cli = await ok(s3, users['alice']!, 's3api', 'delete-objects', '--bucket', name, '--delete', JSON.stringify({ Objects: [{ Key: 'cli/1' }, { Key: 'keep/2' }] }));
    expect([cli.Deleted, cli.Errors.map((e: { Key: string; Code: string }) => `${e.Key} ${e.Code}`)]).toEqual([[{ Key: 'cli/1' }], ['keep/2 AccessDenied']]);
    // CopyObject: the source's key URL-encoded, its metadata copied or replaced.
    await alice.send(new PutObjectCommand({ Bucket: name, Key: 'doc/a b+c.txt', Body: 'original', Metadata: { colour: 'blue' } }));
    const copied = await alice.send(new CopyObjectCommand({ Bucket: name, Key: 'doc/copy.txt', CopySource: `${name}/${encodeURIComponent('doc/a b+c.txt')}` }));
    const head = await alice.send(new HeadObjectCommand({ Bucket: name, Key: 'doc/copy.txt' }));
    expect([copied.CopyObjectResult!.ETag, head.Metadata]).toEqual([head.ETag, { colour: 'blue' }]);
    await alice.send(new CopyObjectCommand({ Bucket: name, Key: 'doc/copy.txt', CopySource: `${name}/doc/copy.txt`, MetadataDirective: 'REPLACE', Metadata: { colour: 'red' } }));
    expect((await alice.send(new HeadObjectCommand({ Bucket: name, Key: 'doc/copy.txt' }))).Metadata).toEqual({ colour: 'red' });
    expect(await sdkError(() => alice.send(new CopyObjectCommand({ Bucket: name, Key: 'doc/copy.txt', CopySource: `${name}/doc/copy.txt` })))).toMatchObject({ name: 'InvalidRequest', status: 400 });
    // A destination the bucket policy closes to writes: the copy is refused on its s3:PutObject, nothing written.
    const closed = await sdkError(() => alice.send(new CopyObjectCommand({ Bucket: name, Key: 'readonly/copy.txt', CopySource: `${name}/doc/copy.txt` })));
    expect(closed).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(closed.message).toContain('s3:PutObject');
    expect(await sdkError(() => alice.send(new HeadObjectCommand({ Bucket: name, Key: 'readonly/copy.txt' })))).toMatchObject({ status: 404 });
    if (authorizer instanceof InProcessAuthorizer) await authorizer.flush();
    const inBucket = (r: Record<string, any>) => r['requestParameters']['bucketName'] === name;
    // 44 keys in batches of 19, then the quiet request and the CLI's: 5 calls, each with its event.
    const events = await dataEvents(t.root, 'DeleteObjects', 5, inBucket);
    expect(events.length).toBe(5);
    expect(events.map((r) => r['eventCategory'])).toEqual(events.map(() => 'Data'));
    expect(events.some((r) => r['errorCode'] === 'AccessDenied')).toBe(true);
    expect((await dataEvents(t.root, 'CopyObject', 1, inBucket)).length).toBeGreaterThan(0);
  }, CLI_TIMEOUT);

  it('verifies the SDK’s default CRC32 (header and STREAMING-UNSIGNED-PAYLOAD-TRAILER) and Content-MD5, and returns the checksum for the SDK to validate', async () => {
    const alice = s3Client(s3, users['alice']!);
    const put = await alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'sums/string.txt', Body: 'checked' }));
    expect(put.ChecksumCRC32).toBeDefined();
    const streamed = await alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'sums/stream.bin', Body: Readable.from([Buffer.alloc(70_000, 5)]), ContentLength: 70_000 }));
    const got = await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'sums/stream.bin' }));
    expect(got.ChecksumCRC32).toBe(streamed.ChecksumCRC32);
    expect((await got.Body!.transformToByteArray()).length).toBe(70_000);
    // The SDK validates what it reads against the returned CRC32: an object altered on disk is caught.
    const file = join(dataDir, bucket, 'objects', Buffer.from('sums/string.txt').toString('hex'));
    // The data comes first in the object's file (its metadata after it): altered in place.
    const altered = await open(file, 'r+');
    await altered.write('CHECKED', 0);
    await altered.close();
    await expect((await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'sums/string.txt' }))).Body!.transformToString()).rejects.toThrow(/[Cc]hecksum mismatch/);

    // An unsigned-payload trailer whose CRC32 is not the body's is S3's BadDigest, and nothing is stored.
    const trailerUpload = async (key: string, crc: string) => {
      const url = new URL(`${s3.url}/${bucket}/${key}`);
      const data = Buffer.from('trailer body');
      const body = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`)]);
      const signer = new SignatureV4({ credentials: users['alice']!, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
      const signed = await signer.sign({
        method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {},
        headers: { host: url.host, 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32' },
      });
      const headers = new Headers();
      for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') headers.set(k, v);
      return fetch(url, { method: 'PUT', headers, body });
    };
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.from('trailer body')));
    const good = await trailerUpload('sums/trailer-good.txt', crc.toString('base64'));
    expect(good.status).toBe(200);
    expect(good.headers.get('x-amz-checksum-crc32')).toBe(crc.toString('base64'));
    const bad = await trailerUpload('sums/trailer-bad.txt', 'AAAAAA==');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<Code>BadDigest</Code>');
    expect(await sdkError(() => alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'sums/trailer-bad.txt' })))).toMatchObject({ name: 'NoSuchKey' });

    // The CLI's Content-MD5, when it is not the body's.
    const file2 = join(dir, `md5-${mode.replace(' ', '-')}.txt`);
    await writeFile(file2, 'md5 body');
    expect(await refused(s3, users['alice']!, 's3api', 'put-object', '--bucket', bucket, '--key', 'sums/md5.txt', '--body', file2, '--content-md5', Buffer.alloc(16).toString('base64'))).toContain('BadDigest');
  }, CLI_TIMEOUT);

  it('honours conditional reads (304, 412) and conditional writes (If-None-Match: *, If-Match) from @aws-sdk/client-s3', async () => {
    const alice = s3Client(s3, users['alice']!);
    const first = await alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/once.txt', Body: 'first', IfNoneMatch: '*' }));
    expect(await sdkError(() => alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/once.txt', Body: 'second', IfNoneMatch: '*' })))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await sdkError(() => alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/once.txt', Body: 'second', IfMatch: '"0123456789abcdef0123456789abcdef"' })))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await sdkError(() => alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/none.txt', Body: 'x', IfMatch: first.ETag })))).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(await (await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond/once.txt' }))).Body!.transformToString()).toBe('first');
    const second = await alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/once.txt', Body: 'second', IfMatch: first.ETag }));
    expect(await sdkError(() => alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond/once.txt', IfNoneMatch: second.ETag })))).toMatchObject({ status: 304 });
    expect(await sdkError(() => alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond/once.txt', IfMatch: first.ETag })))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await (await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond/once.txt', IfMatch: second.ETag, IfNoneMatch: first.ETag }))).Body!.transformToString()).toBe('second');
  });

  it('enforces If-None-Match with AWS’s documented bucket policy: PutObject and CompleteMultipartUpload need it, the other multipart steps do not', async () => {
    const alice = s3Client(s3, users['alice']!);
    const name = `alice-inm-${mode.replace(' ', '-')}`;
    await alice.send(new CreateBucketCommand({ Bucket: name }));
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
    await alice.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${name}/*`, Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } } }) }));
    expect(await sdkError(() => alice.send(new PutObjectCommand({ Bucket: name, Key: 'a', Body: 'x' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    await alice.send(new PutObjectCommand({ Bucket: name, Key: 'a', Body: 'x', IfNoneMatch: '*' }));
    const { UploadId } = await alice.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'b' }));
    const part = await alice.send(new UploadPartCommand({ Bucket: name, Key: 'b', UploadId, PartNumber: 1, Body: 'y' }));
    const complete = () => alice.send(new CompleteMultipartUploadCommand({ Bucket: name, Key: 'b', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await sdkError(complete)).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('records every S3 call as a data event in the caller’s account, and a cross-account read in the owner’s too', async () => {
    if (authorizer instanceof InProcessAuthorizer) await authorizer.flush();
    const gets = await dataEvents(t.root, 'GetObject');
    const mine = gets.find((r) => r['userIdentity']['arn'] === `arn:aws:iam::${A}:user/alice` && r['requestParameters']['bucketName'] === bucket);
    expect(mine).toMatchObject({ eventCategory: 'Data', managementEvent: false, eventSource: 's3.amazonaws.com', recipientAccountId: A, readOnly: true, requestParameters: { bucketName: bucket } });
    expect(mine!['resources']).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'AWS::S3::Object' })]));
    const denied = gets.find((r) => r['userIdentity']['arn'] === `arn:aws:iam::${A}:user/bob` && r['errorCode'] === 'AccessDenied');
    expect(denied).toBeDefined();
    const carolInPartner = (await dataEvents(other.root, 'GetObject')).find((r) => r['userIdentity']['arn'] === `arn:aws:iam::${other.accountId}:user/carol`);
    expect(carolInPartner).toMatchObject({ recipientAccountId: other.accountId, eventCategory: 'Data' });
    // The owner's copy names carol's account only (CloudTrail's AWSAccount identity), and none of her policies.
    const carolInOwner = gets.find((r) => r['sharedEventID'] === carolInPartner!['sharedEventID']);
    expect(carolInOwner).toMatchObject({ recipientAccountId: A, userIdentity: { type: 'AWSAccount', accountId: other.accountId } });
    expect(carolInOwner!['userIdentity']['arn']).toBeUndefined();
    expect(carolInOwner!['additionalEventData']['castellan:decision'].decidedBy.every((st: { policyKind: string }) => st.policyKind === 'resource')).toBe(true);
    const puts = await dataEvents(t.root, 'PutObject');
    expect(puts.length).toBeGreaterThan(0);
    const created = await dataEvents(t.root, 'CreateBucket');
    expect(created[0]).toMatchObject({ eventCategory: 'Management', managementEvent: true });
  });
});
