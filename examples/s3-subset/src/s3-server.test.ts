import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizationQuestion, RequestAuthorizer } from '@castellan/authorizer-client';
import { compilePolicy, evaluate, parsePolicy } from '@castellan/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from './s3-server.js';

/** Allows everything, unsigned payloads; the account is the `x-acct` header's (default 111111111111). */
const asked: AuthorizationQuestion[] = [];
const authorizer: RequestAuthorizer = {
  authorize: async (q) => {
    asked.push(q);
    const headers = q.request.headers as unknown as Record<string, string> | [string, string][];
    const acct = Array.isArray(headers) ? headers.find(([k]) => k.toLowerCase() === 'x-acct')?.[1] : headers['x-acct'];
    return { authenticated: true, allowed: true, decisions: [], payload: { kind: 'unsigned' }, principal: { accountId: acct ?? '111111111111' } } as never;
  },
};

let s3: S3Server;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 's3-subset-'));
  s3 = await startS3Server({ dataDir, authorizer });
  await req('PUT', '/bkt', '');
});
afterAll(async () => {
  await s3.close();
  await rm(dataDir, { recursive: true, force: true });
});

function req(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request(s3.url + path, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString() }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

describe('S3 server', () => {
  it('closes the file of a download the client abandons', async () => {
    await req('PUT', '/bkt/big', Buffer.alloc(8 * 1024 * 1024, 122));
    const before = (await readdir('/proc/self/fd')).length;
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const r = http.get(`${s3.url}/bkt/big`, (res) => res.once('data', () => { r.destroy(); setTimeout(resolve, 20); }));
        r.on('error', () => undefined);
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await readdir('/proc/self/fd')).length).toBeLessThan(before + 5);
  });

  it.each([['if-none-match', '*'], ['if-match', '"0123"']])('refuses a conditional CompleteMultipartUpload (%s) with 501, leaving the object as it was', async (name, value) => {
    await req('PUT', '/bkt/mpu', 'original');
    const id = /<UploadId>(\w+)</.exec((await req('POST', '/bkt/mpu?uploads', '')).body)![1]!;
    const part = await req('PUT', `/bkt/mpu?uploadId=${id}&partNumber=1`, 'replacement');
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag}</ETag></Part></CompleteMultipartUpload>`;
    const done = await req('POST', `/bkt/mpu?uploadId=${id}`, xml, { [name]: value });
    expect([done.status, /<Code>(\w+)</.exec(done.body)?.[1]]).toEqual([501, 'NotImplemented']);
    expect((await req('GET', '/bkt/mpu')).body).toBe('original');
  });

  it('answers a GET racing a PUT with one version: the body matches the ETag', async () => {
    await req('PUT', '/bkt/torn', 'a'.repeat(1000));
    let torn = 0;
    let read = 0;
    for (let i = 0; i < 300; i++) {
      const [, got] = await Promise.all([req('PUT', '/bkt/torn', (i % 2 ? 'a' : 'b').repeat(i % 2 ? 1000 : 3000)), req('GET', '/bkt/torn')]);
      if (got.status === 200) read++;
      if (got.status === 200 && createHash('md5').update(got.body).digest('hex') !== String(got.headers.etag).replace(/"/g, '')) torn++;
    }
    expect(torn).toBe(0);
    expect(read).toBeGreaterThan(0);
  });

  it('answers a GET racing a DELETE with the object or 404, and goes on serving', async () => {
    for (let i = 0; i < 300; i++) {
      await req('PUT', '/bkt/gone', 'y'.repeat(1000));
      const [got] = await Promise.all([req('GET', '/bkt/gone'), req('DELETE', '/bkt/gone')]);
      expect([200, 404]).toContain(got.status);
    }
  });

  it('lets one of two concurrent PUTs with If-None-Match: * succeed, the other 412', async () => {
    for (let i = 0; i < 20; i++) {
      const both = await Promise.all(['a', 'b'].map((c) => req('PUT', `/bkt/cond${i}`, c.repeat(200_000), { 'if-none-match': '*' })));
      expect(both.map((r) => r.status).sort()).toEqual([200, 412]);
    }
  });

  it('lets one of two accounts creating the same bucket at once have it: the other gets 409 BucketAlreadyExists', async () => {
    for (let i = 0; i < 10; i++) {
      const both = await Promise.all(['111111111111', '222222222222'].map((acct) => req('PUT', `/race${i}x`, '', { 'x-acct': acct })));
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(both.find((r) => r.status === 409)!.body).toContain('<Code>BucketAlreadyExists</Code>');
    }
  });

  it('keeps keys up to S3\'s 1,024 bytes, lists them, and refuses a longer one with KeyTooLongError', async () => {
    const long = `long/${'é'.repeat(509)}x`; // 1,024 bytes in UTF-8
    expect((await req('PUT', `/bkt/${encodeURIComponent(long)}`, 'data')).status).toBe(200);
    expect((await req('GET', `/bkt/${encodeURIComponent(long)}`)).body).toBe('data');
    expect((await req('GET', '/bkt?list-type=2&prefix=long/')).body).toContain(`<Key>${long}</Key>`);
    const refused = await req('PUT', `/bkt/${encodeURIComponent(`${long}y`)}`, 'data');
    expect([refused.status, /<Code>(\w+)</.exec(refused.body)?.[1]]).toEqual([400, 'KeyTooLongError']);
  });

  it('honours If-Match on DeleteObject: 412 for another ETag (the object stays), 204 for its own, 404 once gone', async () => {
    const etag = (await req('PUT', '/bkt/del', 'keep')).headers.etag!;
    const refused = await req('DELETE', '/bkt/del', undefined, { 'if-match': '"00000000000000000000000000000000"' });
    expect([refused.status, /<Code>(\w+)</.exec(refused.body)?.[1]]).toEqual([412, 'PreconditionFailed']);
    expect((await req('GET', '/bkt/del')).body).toBe('keep');
    expect((await req('DELETE', '/bkt/del', undefined, { 'if-match': etag })).status).toBe(204);
    expect((await req('DELETE', '/bkt/del', undefined, { 'if-match': '*' })).status).toBe(404);
  });

  it.each([
    ['max-keys=0 on a bucket with objects: an empty page', '/bkt?list-type=2&max-keys=0', 200, undefined],
    ['a max-keys that is no number', '/bkt?list-type=2&max-keys=ten', 400, 'InvalidArgument'],
    ['a negative max-keys', '/bkt?max-keys=-1', 400, 'InvalidArgument'],
  ])('lists with %s', async (_name, path, status, code) => {
    await req('PUT', '/bkt/listed', 'x');
    const r = await req('GET', path);
    expect([r.status, /<Code>(\w+)</.exec(r.body)?.[1]]).toEqual([status, code]);
    if (status === 200) expect(r.body).toContain('<IsTruncated>false</IsTruncated>');
  });

  it('refuses a PutObject with If-None-Match other than * as S3 does (501 NotImplemented), storing nothing', async () => {
    const r = await req('PUT', '/bkt/inm', 'two', { 'if-none-match': '"abc"' });
    expect([r.status, /<Code>(\w+)</.exec(r.body)?.[1]]).toEqual([501, 'NotImplemented']);
    expect((await req('GET', '/bkt/inm')).status).toBe(404);
  });

  it('gives the policy the condition keys of a write: s3:ObjectCreationOperation, s3:if-none-match, s3:if-match', async () => {
    const keysOf = async (method: string, path: string, body: string | undefined, headers: Record<string, string>) => {
      asked.length = 0;
      await req(method, path, body, headers);
      return asked[0]?.conditionKeys;
    };
    expect(await keysOf('PUT', '/bkt/keys', 'x', { 'if-none-match': '*' })).toEqual({ 's3:ObjectCreationOperation': 'true', 's3:if-none-match': '*' });
    expect(await keysOf('POST', '/bkt/keys2?uploads', '', {})).toEqual({ 's3:ObjectCreationOperation': 'false' });
    const id = /<UploadId>(\w+)</.exec((await req('POST', '/bkt/keys2?uploads', '')).body)![1]!;
    expect(await keysOf('PUT', `/bkt/keys2?uploadId=${id}&partNumber=1`, 'x', {})).toEqual({ 's3:ObjectCreationOperation': 'false' });
    expect(await keysOf('POST', `/bkt/keys2?uploadId=${id}`, '<CompleteMultipartUpload/>', { 'if-match': '"e"' })).toEqual({ 's3:ObjectCreationOperation': 'true', 's3:if-match': '"e"' });
    expect(await keysOf('DELETE', '/bkt/keys', undefined, { 'if-match': '*' })).toEqual({ 's3:if-match': '*' });
  });

  it("lets AWS's documented policy require If-None-Match on PutObject and CompleteMultipartUpload only (s3:ObjectCreationOperation is a Bool)", async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
    const parsed = parsePolicy(JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
        { Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } } },
      ],
    }), { kind: 'identity' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const policies = { identity: [compilePolicy(parsed.policy, { policyId: 'enforce' })] };
    const effectOf = async (method: string, path: string, body: string, headers: Record<string, string> = {}) => {
      asked.length = 0;
      const r = await req(method, path, body, headers);
      const context = asked[0]?.conditionKeys ?? {};
      return { r, effect: evaluate({ principal: { arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111' }, action: 's3:PutObject', resource: 'arn:aws:s3:::bkt/enf', context, now: new Date() }, policies).effect };
    };
    expect((await effectOf('PUT', '/bkt/enf', 'x')).effect).toBe('explicitDeny');
    expect((await effectOf('PUT', '/bkt/enf2', 'x', { 'if-none-match': '*' })).effect).toBe('allow');
    const created = await effectOf('POST', '/bkt/enf3?uploads', '');
    expect(created.effect).toBe('allow');
    const id = /<UploadId>(\w+)</.exec(created.r.body)![1]!;
    const part = await effectOf('PUT', `/bkt/enf3?uploadId=${id}&partNumber=1`, 'x');
    expect(part.effect).toBe('allow');
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.r.headers.etag}</ETag></Part></CompleteMultipartUpload>`;
    expect((await effectOf('POST', `/bkt/enf3?uploadId=${id}`, xml)).effect).toBe('explicitDeny');
  });

  it('answers a CompleteMultipartUpload body above 1 MiB with MaxMessageLengthExceeded', async () => {
    const id = /<UploadId>(\w+)</.exec((await req('POST', '/bkt/toolong?uploads', '')).body)![1]!;
    const r = await req('POST', `/bkt/toolong?uploadId=${id}`, `<CompleteMultipartUpload>${' '.repeat(1024 * 1024)}</CompleteMultipartUpload>`);
    expect([r.status, /<Code>(\w+)</.exec(r.body)?.[1]]).toEqual([400, 'MaxMessageLengthExceeded']);
  });

  it('asks about s3:ListBucket for a missing key over the same transport as the request', async () => {
    asked.length = 0;
    await req('GET', '/bkt/missing');
    expect(asked.map((q) => [q.authorizations[0]!.action, q.secureTransport])).toEqual([['s3:GetObject', false], ['s3:ListBucket', false]]);
  });
});
