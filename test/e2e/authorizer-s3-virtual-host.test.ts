/**
 * The S3 example (`examples/s3-subset`) behind Castellan, as a new user's clients address it by
 * default: the AWS SDK for JavaScript v3 at a custom endpoint sends virtual-hosted-style requests
 * (`Host: BUCKET.s3.localhost:PORT`, the key as the path); boto3 and the AWS CLI v2 do with
 * `s3.addressing_style = virtual` (at a custom endpoint their default is path style: botocore
 * forces it unless `virtual` is configured). Started with a virtual-host domain, the server takes
 * the bucket from the Host and Castellan checks the signature over the Host and path the client
 * signed; without one, a virtual-hosted request is a clear InvalidRequest, never a misread path.
 *
 * `*.localhost` resolves to loopback in some resolvers only: the SDK for JavaScript resolves every
 * name to 127.0.0.1 through its agent, and boto3 and the CLI reach the servers through a small
 * forward proxy that passes each request on as it came (the Host header untouched).
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand,
  ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastellanAuthorizer, InProcessAuthorizer, type RequestAuthorizer } from '@castellan/authorizer-client';
import { startS3Server, type S3Server } from '@castellan/example-s3-subset';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { awsCli, type AwsCliTextResult } from './helpers/aws-cli.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { runsCleanly } from './helpers/tool-available.js';

const DOMAIN = 's3.localhost';
/** The AWS CLI and Python start an interpreter per call: seconds each on a busy machine. */
const TIMEOUT = 300_000;
/** A Python named by the environment is required (CI sets it), never skipped. */
const REQUIRED_PYTHON = process.env['CASTELLAN_PYTHON'] || undefined;
const PYTHON = REQUIRED_PYTHON ?? '/usr/bin/python3';
const BOTO3_SCRIPT = fileURLToPath(new URL('./boto3/s3_addressing.py', import.meta.url));
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const hasBoto3 = () => runsCleanly(PYTHON, ['-c', 'import boto3']);

let t: TestCastellan;
let dir: string;
let proxy: http.Server;
let proxyUrl: string;
let virtualConfig: string;
let alice: StaticCredentials;
let service: StaticCredentials;

/** Every name resolves to loopback for the SDK for JavaScript (its agent's lookup). */
const loopback = new http.Agent({
  lookup: (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (err: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else (callback as (err: null, address: string, family: number) => void)(null, '127.0.0.1', 4);
  },
});
/** The SDK for JavaScript v3 as a new user makes it: an endpoint, no forcePathStyle. */
const sdk = (endpoint: string, credentials: StaticCredentials) => new S3Client({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: { httpAgent: loopback } });

/** The AWS CLI through the proxy, with the config file `config` (virtual-hosted, or none: its default). */
const aws = (endpoint: string, config: string, ...args: string[]): Promise<AwsCliTextResult> =>
  awsCli(endpoint, alice, args, { AWS_CONFIG_FILE: config, HTTP_PROXY: proxyUrl, http_proxy: proxyUrl, NO_PROXY: undefined, no_proxy: undefined });
async function ok(endpoint: string, config: string, ...args: string[]): Promise<string> {
  const r = await aws(endpoint, config, ...args);
  if (!r.ok) throw new Error(`aws ${args.join(' ')} failed: ${r.err}`);
  return r.out;
}

/** boto3's answers (each call's result, or its error) with `style` addressing, through the proxy. */
async function boto3(endpoint: string, style: 'auto' | 'virtual', bucket: string, credentials: StaticCredentials): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(PYTHON, [BOTO3_SCRIPT], {
    env: {
      PATH: process.env['PATH'], HOME: process.env['HOME'],
      S3_ENDPOINT: endpoint, S3_ADDRESSING_STYLE: style, S3_PROXY: proxyUrl, S3_BUCKET: bucket,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** A GET of `url` sent to 127.0.0.1 with the URL's own Host (a presigned URL at a virtual host). */
function getAt(url: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: u.port, path: u.pathname + u.search, headers: { host: u.host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  t = await startTestCastellan();
  dir = await mkdtemp(join(tmpdir(), 'castellan-s3-vh-'));
  virtualConfig = join(dir, 'aws-config-virtual');
  await writeFile(virtualConfig, '[default]\nregion = us-east-1\ns3 =\n    addressing_style = virtual\n');
  const iam = t.iam();
  service = await createUserWithKey(iam, 's3-service', policy({ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } }));
  // Alice may use the photos* buckets (and my.photos) only: a bucket named by the Host is decided as one named by the path.
  alice = await createUserWithKey(iam, 'alice', policy(
    { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::photos*', 'arn:aws:s3:::photos*/*', 'arn:aws:s3:::my.photos', 'arn:aws:s3:::my.photos/*'] },
    { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
  ));
  // The forward proxy boto3 and the CLI reach BUCKET.s3.localhost:PORT through: each request goes to
  // 127.0.0.1 at the URL's port, its Host header and bytes as the client sent them.
  proxy = http.createServer((req, res) => {
    const u = new URL(req.url!);
    const forward = http.request({ host: '127.0.0.1', port: u.port, method: req.method, path: u.pathname + u.search, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  loopback.destroy();
  await t?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['round trip', (c: CastellanAuthorizer): RequestAuthorizer => c],
  ['in process', (c: CastellanAuthorizer): RequestAuthorizer => new InProcessAuthorizer({ castellan: c, refreshAfterMs: 0 })],
] as const)('the S3 subset with --virtual-host-domain %s (%s)', (mode, make) => {
  let s3: S3Server;
  let castellan: CastellanAuthorizer;
  let authorizer: RequestAuthorizer;
  /** What the server forwarded to Castellan (Host and path as received) and whether it was allowed. */
  const forwarded: Array<{ host: string; path: string; action: string; allowed: boolean }> = [];
  let endpoint: string;

  beforeAll(async () => {
    castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: service });
    authorizer = make(castellan);
    const recording: RequestAuthorizer = {
      authorize: async (q) => {
        const answer = await authorizer.authorize(q);
        forwarded.push({ host: q.request.headers['host'] ?? '', path: q.request.path, action: q.authorizations[0]?.action ?? '', allowed: answer.authenticated && answer.allowed });
        return answer;
      },
    };
    s3 = await startS3Server({ dataDir: await mkdtemp(join(dir, 'data-')), authorizer: recording, virtualHostDomain: DOMAIN });
    endpoint = `http://${DOMAIN}:${s3.port}`;
  });
  afterAll(async () => {
    if (authorizer instanceof InProcessAuthorizer) await authorizer.flush();
    await s3?.close();
    castellan?.close();
  });

  it('serves @aws-sdk/client-s3 with its default addressing: the bucket in the Host, signed over that Host, decided by Castellan', async () => {
    const client = sdk(endpoint, alice);
    forwarded.length = 0;
    expect((await client.send(new CreateBucketCommand({ Bucket: 'photos' }))).Location).toBe('/photos');
    await client.send(new PutObjectCommand({ Bucket: 'photos', Key: 'cats/one cat.jpg', Body: 'meow' }));
    expect(await (await client.send(new GetObjectCommand({ Bucket: 'photos', Key: 'cats/one cat.jpg' }))).Body!.transformToString()).toBe('meow');
    expect((await client.send(new HeadObjectCommand({ Bucket: 'photos', Key: 'cats/one cat.jpg' }))).ContentLength).toBe(4);
    await client.send(new CopyObjectCommand({ Bucket: 'photos', Key: 'cats/copy.jpg', CopySource: 'photos/cats/one%20cat.jpg' }));
    expect((await client.send(new ListObjectsV2Command({ Bucket: 'photos' }))).Contents!.map((o) => o.Key)).toEqual(['cats/copy.jpg', 'cats/one cat.jpg']);
    // ListBuckets goes to the domain itself.
    expect((await client.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toEqual(['photos']);
    expect(forwarded.slice(0, 2)).toEqual([
      { host: `photos.${DOMAIN}:${s3.port}`, path: '/', action: 's3:CreateBucket', allowed: true },
      { host: `photos.${DOMAIN}:${s3.port}`, path: '/cats/one%20cat.jpg', action: 's3:PutObject', allowed: true },
    ]);
    expect(forwarded.at(-1)).toEqual({ host: `${DOMAIN}:${s3.port}`, path: '/', action: 's3:ListAllMyBuckets', allowed: true });
    // A multipart upload, completed at the virtual host.
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'photos', Key: 'big.bin' }));
    const part = await client.send(new UploadPartCommand({ Bucket: 'photos', Key: 'big.bin', UploadId, PartNumber: 1, Body: Buffer.alloc(1000, 1) }));
    const done = await client.send(new CompleteMultipartUploadCommand({ Bucket: 'photos', Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag! }] } }));
    expect(done.Location).toBe(`http://photos.${DOMAIN}:${s3.port}/big.bin`);
    // A bucket of another name is refused as a path-style one would be; a name with dots the SDK sends path style.
    expect(await sdkError(() => client.send(new CreateBucketCommand({ Bucket: 'other' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    await client.send(new CreateBucketCommand({ Bucket: 'my.photos' }));
    await client.send(new PutObjectCommand({ Bucket: 'my.photos', Key: 'k', Body: 'dots' }));
    expect(forwarded.at(-1)).toMatchObject({ host: `${DOMAIN}:${s3.port}`, path: '/my.photos/k', action: 's3:PutObject', allowed: true });
  });

  it('checks the signature over the Host the client signed: a request signed for one bucket and sent to another is SignatureDoesNotMatch', async () => {
    const signer = new SignatureV4({ credentials: alice, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
    const host = `photos.${DOMAIN}:${s3.port}`;
    const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: `photos.${DOMAIN}`, port: s3.port, path: '/cats/copy.jpg', headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const send = (hostHeader: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: s3.port, path: '/cats/copy.jpg', headers: { ...signed.headers, host: hostHeader } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      }).on('error', reject);
    });
    expect(await send(host)).toEqual({ status: 200, body: 'meow' });
    await sdk(endpoint, alice).send(new CreateBucketCommand({ Bucket: 'photos-b' }));
    const moved = await send(`photos-b.${DOMAIN}:${s3.port}`);
    expect([moved.status, /<Code>(\w+)</.exec(moved.body)?.[1]]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('serves a presigned URL at the virtual host (@aws-sdk/s3-request-presigner)', async () => {
    const url = await getSignedUrl(sdk(endpoint, alice), new GetObjectCommand({ Bucket: 'photos', Key: 'cats/one cat.jpg' }), { expiresIn: 600 });
    expect(new URL(url).host).toBe(`photos.${DOMAIN}:${s3.port}`);
    expect(await getAt(url)).toEqual({ status: 200, body: 'meow' });
  });

  it.skipIf(REQUIRED_PYTHON === undefined && !hasBoto3())('serves boto3, virtual-hosted (addressing_style virtual) and with its default (path style at a custom endpoint)', async () => {
    const calls = { create_bucket: 200, put_object: expect.any(String), list_objects_v2: ['dir/a b.txt'], get_object: 'from boto3', head_bucket: 200, delete_object: 204, delete_bucket: 204 };
    const virtual = await boto3(endpoint, 'virtual', 'photos-py-virtual', alice);
    expect(virtual).toMatchObject(calls);
    expect(virtual['list_buckets']).toContain('photos-py-virtual');
    expect(await boto3(endpoint, 'auto', 'photos-py-auto', alice)).toMatchObject(calls);
    expect(forwarded.filter((f) => f.host === `photos-py-virtual.${DOMAIN}:${s3.port}`).map((f) => [f.path, f.action, f.allowed])).toEqual([
      ['/', 's3:CreateBucket', true], ['/dir/a%20b.txt', 's3:PutObject', true], ['/', 's3:ListBucket', true], ['/dir/a%20b.txt', 's3:GetObject', true],
      ['/', 's3:ListBucket', true], ['/dir/a%20b.txt', 's3:DeleteObject', true], ['/', 's3:DeleteBucket', true],
    ]);
    expect(forwarded.some((f) => f.host === `${DOMAIN}:${s3.port}` && f.path === '/photos-py-auto/dir/a%20b.txt')).toBe(true);
  }, TIMEOUT);

  it('serves the AWS CLI v2 with addressing_style virtual (s3 mb/cp/ls/rm/rb, s3api, presign), and with its default', async () => {
    const file = join(dir, `cli-${mode.replace(' ', '-')}.txt`);
    await writeFile(file, 'from the cli\n');
    await ok(endpoint, virtualConfig, 's3', 'mb', 's3://photos-cli');
    await ok(endpoint, virtualConfig, 's3', 'cp', file, 's3://photos-cli/docs/hello.txt');
    expect(await ok(endpoint, virtualConfig, 's3', 'ls', 's3://photos-cli/docs/')).toContain('hello.txt');
    const back = `${file}.back`;
    await ok(endpoint, virtualConfig, 's3', 'cp', 's3://photos-cli/docs/hello.txt', back);
    expect(await readFile(back, 'utf8')).toBe('from the cli\n');
    expect(JSON.parse(await ok(endpoint, virtualConfig, 's3api', 'head-object', '--bucket', 'photos-cli', '--key', 'docs/hello.txt'))).toMatchObject({ ContentLength: 13 });
    const presigned = (await ok(endpoint, virtualConfig, 's3', 'presign', 's3://photos-cli/docs/hello.txt', '--expires-in', '600')).trim();
    expect(new URL(presigned).host).toBe(`photos-cli.${DOMAIN}:${s3.port}`);
    expect(await getAt(presigned)).toEqual({ status: 200, body: 'from the cli\n' });
    // Its default at a custom endpoint is path style, at the domain itself: served as before.
    expect(await ok(endpoint, '/dev/null', 's3', 'ls', 's3://photos-cli/docs/')).toContain('hello.txt');
    await ok(endpoint, virtualConfig, 's3', 'rm', 's3://photos-cli/docs/hello.txt');
    await ok(endpoint, virtualConfig, 's3', 'rb', 's3://photos-cli');
    expect(forwarded.filter((f) => f.host === `photos-cli.${DOMAIN}:${s3.port}` && f.action === 's3:PutObject').map((f) => [f.path, f.allowed])).toEqual([['/docs/hello.txt', true]]);
    const denied = await aws(endpoint, virtualConfig, 's3', 'mb', 's3://other-cli');
    expect(denied.ok ? denied.out : denied.err).toContain('AccessDenied');
  }, TIMEOUT);

  it.runIf(mode === 'round trip')('records the data event with the Host the client sent (requestParameters.host)', async () => {
    let found: Array<Record<string, any>> = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      const events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutObject' }] }))).Events ?? [];
      found = events.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).filter((r) => r['requestParameters']?.['host'] === `photos.${DOMAIN}:${s3.port}`);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found[0]).toMatchObject({ eventCategory: 'Data', eventSource: 's3.amazonaws.com', requestParameters: { bucketName: 'photos', key: 'cats/one cat.jpg' } });
  });
});

describe('the S3 subset without --virtual-host-domain', () => {
  let s3: S3Server;
  let castellan: CastellanAuthorizer;
  let endpoint: string;
  beforeAll(async () => {
    castellan = new CastellanAuthorizer({ endpoint: t.url, service: 's3', credentials: service });
    s3 = await startS3Server({ dataDir: await mkdtemp(join(dir, 'plain-')), authorizer: castellan });
    endpoint = `http://localhost:${s3.port}`;
  });
  afterAll(async () => {
    await s3?.close();
    castellan?.close();
  });

  it('answers a virtual-hosted request (the SDK for JavaScript at http://localhost:PORT) with InvalidRequest naming the option, creating nothing', async () => {
    const client = sdk(endpoint, alice);
    for (const call of [() => client.send(new CreateBucketCommand({ Bucket: 'photos' })), () => client.send(new PutObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', Body: '' }))]) {
      const e = await sdkError(call);
      expect(e).toMatchObject({ name: 'InvalidRequest', status: 400 });
      expect(e.message).toContain('--virtual-host-domain');
    }
    // Path style at the same endpoint is served; the misread bucket (cat.jpg) was never created.
    expect((await client.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const pathStyle = new S3Client({ endpoint, region: 'us-east-1', credentials: alice, maxAttempts: 1, forcePathStyle: true });
    await pathStyle.send(new CreateBucketCommand({ Bucket: 'photos' }));
    expect((await pathStyle.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toEqual(['photos']);
  });

  it('answers the AWS CLI with addressing_style virtual the same way', async () => {
    const r = await aws(endpoint, virtualConfig, 's3api', 'put-object', '--bucket', 'photos', '--key', 'cat.jpg');
    expect(r.ok ? r.out : r.err).toMatch(/InvalidRequest.*--virtual-host-domain/s);
  }, TIMEOUT);
});
