import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizationQuestion, RequestAuthorizer } from '@castellan/authorizer-client';
import { compilePolicy, evaluate, parsePolicy } from '@castellan/policy';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BucketStore } from './bucket-store.js';
import { startS3Server, type S3Server } from './s3-server.js';

/**
 * Allows everything but an action on a resource under a folder `deny-<action>/` (`deny-GetObject/`);
 * fails the call (as a throttled one does) for a resource under `throttle/`; refuses authentication
 * with `x-refuse-auth`. Payloads are unsigned, or aws-chunked with a trailer as
 * `x-amz-content-sha256` says; the account is the `x-acct` header's (default 111111111111).
 * `inFlight.most` is the most calls under way at once.
 */
const asked: AuthorizationQuestion[] = [];
const inFlight = { now: 0, most: 0 };
const authorizer: RequestAuthorizer = {
  authorize: async (q) => {
    asked.push(q);
    inFlight.most = Math.max(inFlight.most, ++inFlight.now);
    try {
      // An answer comes later, as over the wire: calls made at once are under way together.
      await new Promise((r) => setImmediate(r));
      const headers = q.request.headers as unknown as Record<string, string> | [string, string][];
      const header = (name: string) => (Array.isArray(headers) ? headers.find(([k]) => k.toLowerCase() === name)?.[1] : headers[name]);
      const refusal = header('x-refuse-auth');
      if (refusal !== undefined) return { authenticated: false, error: { code: refusal === '1' ? 'SignatureDoesNotMatch' : refusal, message: 'no' } } as never;
      if (q.authorizations.some((a) => a.resource.includes('/throttle/'))) throw new Error('Rate exceeded');
      const decisions = q.authorizations.map((a) => ({ action: a.action, resource: a.resource, effect: a.resource.includes(`/deny-${a.action.slice(3)}/`) ? 'explicitDeny' : 'allow', decidedBy: [] }));
      const declared = header('x-amz-content-sha256');
      // Signed chunks: answered as Castellan answers a service of another account than the client's (not a platform principal), without the signing key.
      if (declared === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD') {
        const streaming = { seedSignature: 'ab'.repeat(32), amzDate: '20261206T120000Z', scope: '20261206/us-east-1/s3/aws4_request' };
        return { authenticated: true, allowed: decisions.every((d) => d.effect === 'allow'), decisions, payload: { kind: 'streaming-signed', trailer: false }, streaming, principal: { accountId: header('x-acct') ?? '111111111111' } } as never;
      }
      const payload = declared === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' ? { kind: 'streaming-unsigned-trailer' } : { kind: 'unsigned' };
      return { authenticated: true, allowed: decisions.every((d) => d.effect === 'allow'), decisions, payload, principal: { accountId: header('x-acct') ?? '111111111111' } } as never;
    } finally {
      inFlight.now--;
    }
  },
};
const md5 = (text: string) => createHash('md5').update(text).digest('base64');
const codeOf = (r: { body: string }) => /<Code>(\w+)</.exec(r.body)?.[1];

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
  return reqAt(s3.url, method, path, body, headers);
}
/** A request to the server at `url` (a `host` header among `headers` is sent as given). */
function reqAt(url: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request(url + path, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString() }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

describe('S3 server', () => {
  it('refuses a chunk-signed upload it got no signing key for (501 NotImplemented), storing nothing, on PutObject and UploadPart', async () => {
    const sig = 'cd'.repeat(32);
    const body = `5;chunk-signature=${sig}\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`;
    const headers = { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5' };
    const put = await req('PUT', '/bkt/unverifiable-chunks', body, headers);
    expect([put.status, codeOf(put)]).toEqual([501, 'NotImplemented']);
    expect(put.body).toContain('UNSIGNED-PAYLOAD');
    expect((await req('GET', '/bkt/unverifiable-chunks')).status).toBe(404);
    const uploadId = /<UploadId>([^<]+)</.exec((await req('POST', '/bkt/unverifiable-part?uploads', '')).body)![1]!;
    const part = await req('PUT', `/bkt/unverifiable-part?partNumber=1&uploadId=${encodeURIComponent(uploadId)}`, body, headers);
    expect([part.status, codeOf(part)]).toEqual([501, 'NotImplemented']);
  });

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

  it('names every multipart operation it has, UploadPartCopy included, when refusing another (ListParts: 501)', async () => {
    const r = await req('GET', '/bkt/k?uploadId=0123');
    expect([r.status, codeOf(r)]).toEqual([501, 'NotImplemented']);
    expect(r.body).toContain('CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload and AbortMultipartUpload');
  });

  it('answers a character reference to no XML character with MalformedXML (not a 500)', async () => {
    const body = '<Delete><Object><Key>k&#99999999;</Key></Object></Delete>';
    const r = await req('POST', '/bkt?delete', body, { 'content-md5': md5(body) });
    expect([r.status, codeOf(r)]).toEqual([400, 'MalformedXML']);
  });

  it('asks about s3:ListBucket for a missing key over the same transport as the request', async () => {
    asked.length = 0;
    await req('GET', '/bkt/missing');
    expect(asked.map((q) => [q.authorizations[0]!.action, q.secureTransport])).toEqual([['s3:GetObject', false], ['s3:ListBucket', false]]);
  });

  it.each([
    ['SignatureDoesNotMatch', 403, 'SignatureDoesNotMatch', undefined],
    ['InvalidParameterCombination', 400, 'InvalidArgument', '<ArgumentName>Authorization</ArgumentName>'],
  ])('answers Castellan\'s %s in S3\'s words', async (refusal, status, code, detail) => {
    const r = await req('GET', '/bkt/anything', undefined, { 'x-refuse-auth': refusal });
    expect([r.status, codeOf(r)]).toEqual([status, code]);
    if (detail) expect(r.body).toContain(detail);
  });

  describe('DeleteObjects', () => {
    const deleteXml = (keys: string[], quiet = false) =>
      `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${quiet ? '<Quiet>true</Quiet>' : ''}${keys.map((k) => `<Object><Key>${k.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Key></Object>`).join('')}</Delete>`;
    const post = (body: string, headers: Record<string, string> = { 'content-md5': md5(body) }) => req('POST', '/bkt?delete', body, headers);

    it('deletes the allowed keys (each asked as s3:DeleteObject on its own ARN), answers a denied one with an AccessDenied entry and keeps it', async () => {
      const keys = ['dm/a & b.txt', 'dm/ spaced ', 'dm/deny-DeleteObject/x', 'dm/never-there'];
      for (const k of keys.slice(0, 3)) await req('PUT', `/bkt/${encodeURIComponent(k)}`, 'x');
      asked.length = 0;
      const r = await post(deleteXml(keys));
      expect(r.status).toBe(200);
      // First the ask that authenticates (before the body is read: no event), then the batch's.
      expect(asked.map((q) => q.authorizations.map((a) => `${a.action} ${a.resource}`))).toEqual([['s3:DeleteObject arn:aws:s3:::bkt/*'], keys.map((k) => `s3:DeleteObject arn:aws:s3:::bkt/${k}`)]);
      expect(asked.map((q) => q.event?.eventName)).toEqual([undefined, 'DeleteObjects']);
      expect(asked[1]!.event).toMatchObject({ eventName: 'DeleteObjects', readOnly: false });
      expect([...r.body.matchAll(/<Deleted><Key>(.*?)<\/Key><\/Deleted>/g)].map((m) => m[1])).toEqual(['dm/a &amp; b.txt', 'dm/ spaced ', 'dm/never-there']);
      expect(r.body).toContain('<Error><Key>dm/deny-DeleteObject/x</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      expect((await req('GET', `/bkt/${encodeURIComponent('dm/a & b.txt')}`)).status).toBe(404);
      expect((await req('GET', '/bkt/dm/deny-DeleteObject/x')).body).toBe('x');
    });

    it('in quiet mode answers the errors only', async () => {
      await req('PUT', '/bkt/q/one', 'x');
      await req('PUT', '/bkt/q/deny-DeleteObject/two', 'x');
      const r = await post(deleteXml(['q/one', 'q/deny-DeleteObject/two'], true));
      expect(r.status).toBe(200);
      expect(r.body).not.toContain('<Deleted>');
      expect(r.body).toContain('<Key>q/deny-DeleteObject/two</Key><Code>AccessDenied</Code>');
      expect((await req('GET', '/bkt/q/one')).status).toBe(404);
      expect((await req('GET', '/bkt/q/deny-DeleteObject/two')).body).toBe('x');
    });

    it('asks about 45 keys in batches of 19, each call with its DeleteObjects event naming its objects and the bucket', async () => {
      const keys = Array.from({ length: 45 }, (_, i) => `many/${i}`);
      asked.length = 0;
      expect((await post(deleteXml(keys))).status).toBe(200);
      const batches = asked.filter((q) => q.event);
      expect(batches.map((q) => q.authorizations.length)).toEqual([19, 19, 7]);
      expect(batches.map((q) => q.event?.resources?.length)).toEqual([20, 20, 8]);
      expect(batches.flatMap((q) => q.authorizations.map((a) => a.resource))).toEqual(keys.map((k) => `arn:aws:s3:::bkt/${k}`));
    });

    it.each([
      ['no Content-MD5 nor checksum', (b: string) => ({}), 400, 'InvalidRequest'],
      ['a Content-MD5 of another body', (_b: string) => ({ 'content-md5': md5('other') }), 400, 'BadDigest'],
      ['an x-amz-checksum-crc32 of another body', (_b: string) => ({ 'x-amz-checksum-crc32': 'AAAAAA==' }), 400, 'BadDigest'],
    ])('refuses a body with %s, deleting nothing', async (_name, headers, status, code) => {
      await req('PUT', '/bkt/kept/one', 'x');
      const body = deleteXml(['kept/one']);
      asked.length = 0;
      const r = await post(body, headers(body));
      expect([r.status, codeOf(r)]).toEqual([status, code]);
      // Nothing decided, nothing recorded: no DeleteObjects event for a body refused.
      expect(asked.filter((q) => q.event)).toEqual([]);
      expect((await req('GET', '/bkt/kept/one')).body).toBe('x');
    });

    it.each(['PUT', 'GET', 'DELETE'])('refuses %s ?delete with 501 NotImplemented (only POST is DeleteObjects), creating no bucket', async (method) => {
      const r = await req(method, '/putdel?delete', '');
      expect([r.status, codeOf(r)]).toEqual([501, 'NotImplemented']);
      expect((await req('HEAD', '/putdel')).status).toBe(404);
    });

    it.each([
      ['1,001 keys', deleteXml(Array.from({ length: 1001 }, (_, i) => `k${i}`))],
      ['an object without a key', '<Delete><Object><VersionId>1</VersionId></Object></Delete>'],
      ['another document', '<Remove><Object><Key>k</Key></Object></Remove>'],
    ])('answers %s with MalformedXML', async (_name, body) => {
      const r = await post(body);
      expect([r.status, codeOf(r)]).toEqual([400, 'MalformedXML']);
    });

    it('parses the decoded aws-chunked body only: keys split by the framing are read whole, and a trailer (never verified) names nothing', async () => {
      await req('PUT', '/bkt/chunk/one', 'x');
      await req('PUT', '/bkt/chunk/victim', 'x');
      const xml = deleteXml(['chunk/one']);
      const cut = xml.indexOf('chunk/o') + 'chunk/o'.length;
      const chunk = (data: string) => `${data.length.toString(16)}\r\n${data}\r\n`;
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(xml));
      const body = `${chunk(xml.slice(0, cut))}${chunk(xml.slice(cut))}0\r\nx-amz-checksum-crc32:${crc.toString('base64')}\r\nx-note:<Object><Key>chunk/victim</Key></Object></Delete>\r\n\r\n`;
      const r = await post(body, {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': String(xml.length),
      });
      expect(r.status).toBe(200);
      expect([...r.body.matchAll(/<Key>(.*?)<\/Key>/g)].map((m) => m[1])).toEqual(['chunk/one']);
      expect((await req('GET', '/bkt/chunk/one')).status).toBe(404);
      expect((await req('GET', '/bkt/chunk/victim')).body).toBe('x');
    });

    it('authenticates before reading the body: a caller refused gets its authentication error, not MalformedXML nor InvalidRequest', async () => {
      const r = await post('not a document', { 'x-refuse-auth': '1' });
      expect([r.status, codeOf(r)]).toEqual([403, 'SignatureDoesNotMatch']);
    });

    it.each([
      ['no Content-MD5 nor checksum', { 'content-length': '1000' }, 'InvalidRequest'],
      ['a Content-Length above 8 MiB', { 'content-length': String(8 * 1024 * 1024 + 1), 'content-md5': md5('x') }, 'MaxMessageLengthExceeded'],
      ['an x-amz-decoded-content-length above 8 MiB', { 'content-length': '1000', 'content-md5': md5('x'), 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': String(8 * 1024 * 1024 + 1) }, 'MaxMessageLengthExceeded'],
    ])('refuses a body with %s before reading it', async (_name, headers, code) => {
      // The body is never finished: an answer can only come from the headers.
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer before the body was sent')), 3000);
        const request = http.request(`${s3.url}/bkt?delete`, { method: 'POST', headers }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            clearTimeout(timer);
            request.destroy();
            resolve({ status: res.statusCode!, body: text });
          });
        });
        request.on('error', () => undefined);
        request.write('<Delete>');
      });
      expect([r.status, codeOf(r)]).toEqual([400, code]);
    });

    it('refuses a body without a length that grows past 8 MiB as it is read (MaxMessageLengthExceeded)', async () => {
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(`${s3.url}/bkt?delete`, { method: 'POST', headers: { 'transfer-encoding': 'chunked', 'content-md5': md5('x') } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        request.on('error', reject);
        request.end(Buffer.alloc(8 * 1024 * 1024 + 1, 32));
      });
      expect([r.status, codeOf(r)]).toEqual([400, 'MaxMessageLengthExceeded']);
    });

    it('asks about 1,000 keys a few batches at a time, each batch decided and recorded after the body was verified', async () => {
      const keys = Array.from({ length: 1000 }, (_, i) => `lots/${i}`);
      for (const k of keys.slice(0, 3)) await req('PUT', `/bkt/${k}`, 'x');
      asked.length = 0;
      inFlight.most = 0;
      const r = await post(deleteXml(keys, true));
      expect([r.status, r.body]).toEqual([200, expect.stringContaining('<DeleteResult')]);
      expect(r.body).not.toContain('<Error>');
      expect(asked.filter((q) => q.event).flatMap((q) => q.authorizations.map((a) => a.resource))).toEqual(keys.map((k) => `arn:aws:s3:::bkt/${k}`));
      expect(inFlight.most).toBeGreaterThan(1);
      expect(inFlight.most).toBeLessThanOrEqual(4);
      expect((await req('GET', '/bkt/lots/0')).status).toBe(404);
    });

    it('answers the keys of a batch whose call failed (throttled) with InternalError entries, deleting the other batches\' keys', async () => {
      const keys = Array.from({ length: 45 }, (_, i) => (i === 25 ? 'thr/throttle/x' : `thr/${i}`));
      for (const k of [keys[0]!, keys[20]!, keys[40]!]) await req('PUT', `/bkt/${k}`, 'x');
      const r = await post(deleteXml(keys));
      expect(r.status).toBe(200);
      const failed = [...r.body.matchAll(/<Error><Key>(.*?)<\/Key><Code>(\w+)<\/Code>/g)].map((m) => `${m[1]} ${m[2]}`);
      expect(failed).toEqual(keys.slice(19, 38).map((k) => `${k} InternalError`));
      expect([...r.body.matchAll(/<Deleted><Key>(.*?)<\/Key>/g)].map((m) => m[1])).toEqual([...keys.slice(0, 19), ...keys.slice(38)]);
      expect((await req('GET', '/bkt/thr/0')).status).toBe(404);
      expect((await req('GET', '/bkt/thr/20')).body).toBe('x');
      expect((await req('GET', '/bkt/thr/40')).status).toBe(404);
    });

    it('answers a key the store fails to delete (an I/O error) with an InternalError entry, deleting the others', async () => {
      const keys = ['io/a', 'io/bad', 'io/c'];
      for (const k of keys) await req('PUT', `/bkt/${k}`, 'x');
      const deleteObject = BucketStore.prototype.deleteObject;
      const failing = vi.spyOn(BucketStore.prototype, 'deleteObject').mockImplementation(async function (this: BucketStore, bucket, key, precondition) {
        if (key === 'io/bad') throw Object.assign(new Error('EIO: i/o error, unlink'), { code: 'EIO' });
        return deleteObject.call(this, bucket, key, precondition);
      });
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      let r: Awaited<ReturnType<typeof req>>;
      try {
        r = await post(deleteXml(keys));
      } finally {
        failing.mockRestore();
        quiet.mockRestore();
      }
      expect(r.status).toBe(200);
      expect([...r.body.matchAll(/<Deleted><Key>(.*?)<\/Key>/g)].map((m) => m[1])).toEqual(['io/a', 'io/c']);
      expect(r.body).toContain('<Error><Key>io/bad</Key><Code>InternalError</Code>');
      expect((await req('GET', '/bkt/io/a')).status).toBe(404);
      expect((await req('GET', '/bkt/io/bad')).body).toBe('x');
      expect((await req('GET', '/bkt/io/c')).status).toBe(404);
    });

    it('deletes the null version of an object (its one version here), asked as s3:DeleteObjectVersion, and names it', async () => {
      await req('PUT', '/bkt/v/null', 'x');
      const body = '<Delete><Object><Key>v/null</Key><VersionId>null</VersionId></Object></Delete>';
      asked.length = 0;
      const r = await post(body);
      expect(asked.find((q) => q.event)!.authorizations[0]!.action).toBe('s3:DeleteObjectVersion');
      expect(r.body).toContain('<Deleted><Key>v/null</Key><VersionId>null</VersionId></Deleted>');
      expect((await req('GET', '/bkt/v/null')).status).toBe(404);
    });

    it('answers an object named with a version (objects have none here) with a NotImplemented entry', async () => {
      await req('PUT', '/bkt/v/one', 'x');
      const body = '<Delete><Object><Key>v/one</Key><VersionId>3HL4kqtJlcpXroDTDmJ</VersionId></Object></Delete>';
      asked.length = 0;
      const r = await post(body);
      expect(asked.find((q) => q.event)!.authorizations[0]!.action).toBe('s3:DeleteObjectVersion');
      expect(r.body).toContain('<Key>v/one</Key><Code>NotImplemented</Code>');
      expect((await req('GET', '/bkt/v/one')).body).toBe('x');
    });
  });

  describe('ListObjectVersions', () => {
    const versions = (query: string) => req('GET', `/lvs?versions${query}`);
    const keysOf = (body: string) => [...body.matchAll(/<Version><Key>([^<]*)<\/Key><VersionId>null<\/VersionId><IsLatest>true<\/IsLatest>/g)].map((m) => m[1]);
    beforeAll(async () => {
      await req('PUT', '/lvs', '');
      for (const k of ['a/1', 'a/2', 'b', 'c d']) await req('PUT', `/lvs/${encodeURIComponent(k).replace('%2F', '/')}`, k);
    });

    it('lists each object as its one version, null and latest, asked as s3:ListBucketVersions with the listing’s condition keys', async () => {
      asked.length = 0;
      const r = await versions('&prefix=a/');
      expect(r.status).toBe(200);
      expect(r.body).toContain('<ListVersionsResult');
      expect(keysOf(r.body)).toEqual(['a/1', 'a/2']);
      expect(r.body).toContain('<ETag>&quot;');
      expect(r.body).toContain('<IsTruncated>false</IsTruncated>');
      expect(asked[0]).toMatchObject({ authorizations: [{ action: 's3:ListBucketVersions', resource: 'arn:aws:s3:::lvs' }], conditionKeys: { 's3:prefix': 'a/', 's3:max-keys': '1000' }, event: { eventName: 'ListObjectVersions' } });
    });

    it('pages with key-marker and version-id-marker, rolls keys up by delimiter and URL-encodes when asked', async () => {
      const first = await versions('&max-keys=2');
      expect(keysOf(first.body)).toEqual(['a/1', 'a/2']);
      expect(first.body).toContain('<NextKeyMarker>a/2</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker>');
      const second = await versions('&max-keys=2&key-marker=a/2&version-id-marker=null');
      expect(keysOf(second.body)).toEqual(['b', 'c d']);
      expect(second.body).toContain('<IsTruncated>false</IsTruncated>');
      const rolled = await versions('&delimiter=/&encoding-type=url');
      expect(keysOf(rolled.body)).toEqual(['b', 'c%20d']);
      expect(rolled.body).toContain('<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>');
    });

    it.each([
      ['a version-id marker without a key marker', '&version-id-marker=null', 'A version-id marker cannot be specified without a key marker.'],
      ['a version id other than null', '&key-marker=b&version-id-marker=3HL4kqtJlcpXroDTDmJ', 'Invalid version id specified'],
    ])('refuses %s with InvalidArgument', async (_name, query, message) => {
      const r = await versions(query);
      expect([r.status, codeOf(r)]).toEqual([400, 'InvalidArgument']);
      expect(r.body).toContain(message);
    });
  });

  describe('CopyObject and UploadPartCopy', () => {
    it('copies a URL-encoded source with its metadata (COPY), asking s3:GetObject on the source and s3:PutObject on the destination in one call', async () => {
      const put = await req('PUT', `/bkt/${encodeURIComponent('src/a b+é.txt')}`, 'copy me', { 'content-type': 'text/plain', 'x-amz-meta-colour': 'blue' });
      asked.length = 0;
      const r = await req('PUT', '/bkt/dst/copied.txt', '', { 'x-amz-copy-source': `/bkt/${encodeURIComponent('src/a b+é.txt')}` });
      expect(r.status).toBe(200);
      expect(r.body).toMatch(new RegExp(`^<\\?xml[^>]*>\\n<CopyObjectResult xmlns="[^"]+"><ETag>&quot;${put.headers.etag!.replace(/"/g, '')}&quot;</ETag><LastModified>\\d{4}-[^<]+Z</LastModified></CopyObjectResult>$`));
      expect(asked.map((q) => q.authorizations.map((a) => `${a.action} ${a.resource}`))).toEqual([['s3:GetObject arn:aws:s3:::bkt/src/a b+é.txt', 's3:PutObject arn:aws:s3:::bkt/dst/copied.txt']]);
      expect(asked[0]!.event).toMatchObject({ eventName: 'CopyObject' });
      expect(asked[0]!.conditionKeys).toMatchObject({ 's3:x-amz-copy-source': 'bkt/src/a b+é.txt', 's3:ObjectCreationOperation': 'true' });
      const got = await req('GET', '/bkt/dst/copied.txt');
      expect([got.body, got.headers['content-type'], got.headers['x-amz-meta-colour'], got.headers.etag]).toEqual(['copy me', 'text/plain', 'blue', put.headers.etag]);
    });

    it('replaces the metadata with REPLACE, and copies an object onto itself only then (InvalidRequest otherwise)', async () => {
      await req('PUT', '/bkt/self.txt', 'me', { 'x-amz-meta-colour': 'blue' });
      const refused = await req('PUT', '/bkt/self.txt', '', { 'x-amz-copy-source': 'bkt/self.txt' });
      expect([refused.status, codeOf(refused)]).toEqual([400, 'InvalidRequest']);
      const replaced = await req('PUT', '/bkt/self.txt', '', { 'x-amz-copy-source': 'bkt/self.txt', 'x-amz-metadata-directive': 'REPLACE', 'x-amz-meta-shape': 'round', 'content-type': 'text/x-me' });
      expect(replaced.status).toBe(200);
      const head = await req('HEAD', '/bkt/self.txt');
      expect([head.headers['x-amz-meta-colour'], head.headers['x-amz-meta-shape'], head.headers['content-type']]).toEqual([undefined, 'round', 'text/x-me']);
      const bad = await req('PUT', '/bkt/other.txt', '', { 'x-amz-copy-source': 'bkt/self.txt', 'x-amz-metadata-directive': 'MERGE' });
      expect([bad.status, codeOf(bad)]).toEqual([400, 'InvalidArgument']);
    });

    it.each([
      ['a missing source key', { 'x-amz-copy-source': 'bkt/no/such' }, 404, 'NoSuchKey'],
      ['a missing source bucket', { 'x-amz-copy-source': 'nobkt/k' }, 404, 'NoSuchBucket'],
      ['a source that is no bucket/key', { 'x-amz-copy-source': 'bkt' }, 400, 'InvalidArgument'],
      ['a source version', { 'x-amz-copy-source': 'bkt/cs/src?versionId=abc' }, 501, 'NotImplemented'],
      ['x-amz-copy-source-if-match of another ETag', { 'x-amz-copy-source': 'bkt/cs/src', 'x-amz-copy-source-if-match': '"0123"' }, 412, 'PreconditionFailed'],
      ['x-amz-copy-source-if-none-match of its ETag', { 'x-amz-copy-source': 'bkt/cs/src', 'x-amz-copy-source-if-none-match': `"${createHash('md5').update('source').digest('hex')}"` }, 412, 'PreconditionFailed'],
      ['If-None-Match: * onto an existing object', { 'x-amz-copy-source': 'bkt/cs/src', 'if-none-match': '*' }, 412, 'PreconditionFailed'],
      ['a source under a denied folder', { 'x-amz-copy-source': 'bkt/cs/deny-GetObject/src' }, 403, 'AccessDenied'],
    ])('refuses a copy with %s, leaving the destination as it was', async (_name, headers, status, code) => {
      await req('PUT', '/bkt/cs/src', 'source');
      await req('PUT', '/bkt/cs/deny-GetObject/src', 'source');
      await req('PUT', '/bkt/cs/dst', 'before');
      const r = await req('PUT', '/bkt/cs/dst', '', headers);
      expect([r.status, codeOf(r)]).toEqual([status, code]);
      expect((await req('GET', '/bkt/cs/dst')).body).toBe('before');
    });

    it('asks the source bucket (its policy, its owner) apart from the destination for a copy between buckets', async () => {
      await req('PUT', '/other-bkt', '', { 'x-acct': '222222222222' });
      await req('PUT', '/other-bkt/from.txt', 'theirs');
      asked.length = 0;
      const r = await req('PUT', '/bkt/from-other.txt', '', { 'x-amz-copy-source': 'other-bkt/from.txt' });
      expect(r.status).toBe(200);
      expect(asked.map((q) => [q.authorizations.map((a) => `${a.action} ${a.resource} ${a.resourceAccount}`), q.event?.eventName])).toEqual([
        [['s3:GetObject arn:aws:s3:::other-bkt/from.txt 222222222222'], undefined],
        [['s3:PutObject arn:aws:s3:::bkt/from-other.txt 111111111111'], 'CopyObject'],
      ]);
      expect((await req('GET', '/bkt/from-other.txt')).body).toBe('theirs');
    });

    it.each([
      ['bkt/secret/x'],
      ['/bkt/secret/x'],
      ['bkt/secr%65t/x'],
      ['/bkt%2Fsecret%2Fx'],
      ['%62kt/secret/%78'],
    ])('gives the policy the decoded source of %s, which a Deny on StringLike s3:x-amz-copy-source "bkt/secret/*" refuses', async (header) => {
      const parsed = parsePolicy(JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { StringLike: { 's3:x-amz-copy-source': 'bkt/secret/*' } } },
        ],
      }), { kind: 'identity' });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
      await req('PUT', '/bkt/secret/x', 'hidden');
      asked.length = 0;
      await req('PUT', '/bkt/spelt/copy', '', { 'x-amz-copy-source': header });
      const context = asked[0]!.conditionKeys ?? {};
      expect(context['s3:x-amz-copy-source']).toBe('bkt/secret/x');
      const effect = evaluate({ principal: { arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111' }, action: 's3:PutObject', resource: 'arn:aws:s3:::bkt/spelt/copy', context, now: new Date() }, { identity: [compilePolicy(parsed.policy, { policyId: 'deny-secret' })] }).effect;
      expect(effect).toBe('explicitDeny');
    });

    it('records the refused CopyObject when the source of a copy between buckets is denied', async () => {
      await req('PUT', '/other-bkt', '', { 'x-acct': '222222222222' });
      await req('PUT', '/other-bkt/deny-GetObject/x', 'theirs');
      await req('PUT', '/bkt/from-denied.txt', 'before');
      asked.length = 0;
      const r = await req('PUT', '/bkt/from-denied.txt', '', { 'x-amz-copy-source': 'other-bkt/deny-GetObject/x' });
      expect([r.status, codeOf(r)]).toEqual([403, 'AccessDenied']);
      expect(asked.map((q) => [q.authorizations.map((a) => `${a.action} ${a.resource}`), q.event?.eventName])).toEqual([
        [['s3:GetObject arn:aws:s3:::other-bkt/deny-GetObject/x'], undefined],
        [['s3:GetObject arn:aws:s3:::other-bkt/deny-GetObject/x'], 'CopyObject'],
      ]);
      expect(asked[1]!.event).toMatchObject({ readOnly: false, requestParameters: { bucketName: 'bkt', key: 'from-denied.txt', 'x-amz-copy-source': 'other-bkt/deny-GetObject/x' } });
      expect((await req('GET', '/bkt/from-denied.txt')).body).toBe('before');
    });

    it.each([
      ['a caller refused', '/bkt/nsb/dst', { 'x-refuse-auth': '1' }, 403, 'SignatureDoesNotMatch'],
      ['a destination denied', '/bkt/nsb/deny-PutObject/dst', {}, 403, 'AccessDenied'],
      ['a destination allowed', '/bkt/nsb/dst', {}, 404, 'NoSuchBucket'],
    ])('answers a copy from a bucket that does not exist after the first authorization call: %s', async (_name, path, headers, status, code) => {
      asked.length = 0;
      const r = await req('PUT', path, '', { 'x-amz-copy-source': 'no-such-bucket/k', ...headers });
      expect([r.status, codeOf(r)]).toEqual([status, code]);
      expect(asked.map((q) => [q.authorizations[0]!.action, q.event?.eventName])).toEqual([['s3:PutObject', 'CopyObject']]);
    });

    it('copies a range of an object as a part (UploadPartCopy), which completes into that range', async () => {
      const data = 'abcdefghij'.repeat(1000);
      await req('PUT', '/bkt/upc/src', data);
      const id = /<UploadId>(\w+)</.exec((await req('POST', '/bkt/upc/dst?uploads', '')).body)![1]!;
      const bad = await req('PUT', `/bkt/upc/dst?uploadId=${id}&partNumber=1`, '', { 'x-amz-copy-source': 'bkt/upc/src', 'x-amz-copy-source-range': 'bytes=0-' });
      expect([bad.status, codeOf(bad)]).toEqual([400, 'InvalidArgument']);
      const part = await req('PUT', `/bkt/upc/dst?uploadId=${id}&partNumber=1`, '', { 'x-amz-copy-source': 'bkt/upc/src', 'x-amz-copy-source-range': 'bytes=10-109' });
      expect(part.status).toBe(200);
      const etag = /<ETag>&quot;(\w+)&quot;<\/ETag>/.exec(part.body)![1]!;
      expect(part.body).toContain('<CopyPartResult');
      expect(etag).toBe(createHash('md5').update(data.slice(10, 110)).digest('hex'));
      const done = await req('POST', `/bkt/upc/dst?uploadId=${id}`, `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"${etag}"</ETag></Part></CompleteMultipartUpload>`);
      expect(done.status).toBe(200);
      expect((await req('GET', '/bkt/upc/dst')).body).toBe(data.slice(10, 110));
    });
  });

  it('answers GetObjectTagging with an empty tag set (s3:GetObjectTagging), and refuses what would give an object tags', async () => {
    await req('PUT', '/bkt/tags/one', 'x');
    asked.length = 0;
    const got = await req('GET', '/bkt/tags/one?tagging');
    expect([got.status, got.body.replace(/^<\?xml[^>]*>\n/, '')]).toEqual([200, '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet></TagSet></Tagging>']);
    expect(asked.map((q) => [q.authorizations[0]!.action, q.event?.eventName])).toEqual([['s3:GetObjectTagging', 'GetObjectTagging']]);
    expect(codeOf(await req('GET', '/bkt/tags/none?tagging'))).toBe('NoSuchKey');
    for (const [method, path, headers] of [
      ['PUT', '/bkt/tags/two', { 'x-amz-tagging': 'a=b' }],
      ['POST', '/bkt/tags/two?uploads', { 'x-amz-tagging': 'a=b' }],
      ['PUT', '/bkt/tags/two', { 'x-amz-copy-source': 'bkt/tags/one', 'x-amz-tagging-directive': 'REPLACE' }],
      ['PUT', '/bkt/tags/two?tagging', {}],
    ] as const) {
      const r = await req(method, path, '<Tagging/>', headers);
      expect([method, path, r.status, codeOf(r)]).toEqual([method, path, 501, 'NotImplemented']);
    }
    expect((await req('GET', '/bkt/tags/two')).status).toBe(404);
  });

  it('answers GetBucketLocation (us-east-1: an empty LocationConstraint) and GetBucketVersioning (never versioned: no Status), each asked as its own action with its event; PutBucketVersioning stays 501', async () => {
    asked.length = 0;
    const location = await req('GET', '/bkt?location');
    const versioning = await req('GET', '/bkt?versioning');
    expect([location.status, location.body.replace(/^<\?xml[^>]*>\n/, '')]).toEqual([200, '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>']);
    expect([versioning.status, versioning.body.replace(/^<\?xml[^>]*>\n/, '')]).toEqual([200, '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>']);
    expect(asked.map((q) => [q.authorizations[0]!.action, q.authorizations[0]!.resource, q.event?.eventName, q.event?.category, q.event?.requestParameters])).toEqual([
      ['s3:GetBucketLocation', 'arn:aws:s3:::bkt', 'GetBucketLocation', 'Management', { bucketName: 'bkt', Host: expect.any(String), location: '' }],
      ['s3:GetBucketVersioning', 'arn:aws:s3:::bkt', 'GetBucketVersioning', 'Management', { bucketName: 'bkt', Host: expect.any(String), versioning: '' }],
    ]);
    expect(codeOf(await req('GET', '/nobucket?location'))).toBe('NoSuchBucket');
    const put = await req('PUT', '/bkt?versioning', '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>');
    expect([put.status, codeOf(put)]).toEqual([501, 'NotImplemented']);
  });

  it.each([
    ['an Authorization header', '/bkt/k', { authorization: 'AWS AKIAEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' }],
    ['a presigned URL (s3cmd signurl)', '/bkt/k?AWSAccessKeyId=AKIAEXAMPLE&Expires=1796655467&Signature=lF4V%3D', {}],
  ])('refuses Signature Version 2 (%s) as S3 does, 400 InvalidRequest, asking nothing', async (_, path, headers) => {
    asked.length = 0;
    const r = await req('GET', path, undefined, headers);
    expect([r.status, codeOf(r)]).toEqual([400, 'InvalidRequest']);
    expect(r.body).toContain('<Message>The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.</Message>');
    expect(asked).toEqual([]);
  });

  const refusedWrites = [
    ['PUT', '/bkt/acl/put', { 'x-amz-acl': 'public-read' }, 400, 'AccessControlListNotSupported', 'PutObject'],
    ['PUT', '/bkt/acl/put', { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }, 400, 'AccessControlListNotSupported', 'PutObject'],
    ['PUT', '/bkt/acl/put', { 'x-amz-storage-class': 'GLACIER' }, 501, 'NotImplemented', 'PutObject'],
    ['PUT', '/bkt/acl/put', { 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': 'a2V5' }, 501, 'NotImplemented', 'PutObject'],
    ['PUT', '/bkt/acl/put', { 'x-amz-object-lock-mode': 'GOVERNANCE' }, 501, 'NotImplemented', 'PutObject'],
    ['PUT', '/bkt/acl/put', { 'x-amz-tagging': 'a=b' }, 501, 'NotImplemented', 'PutObject'],
    ['PUT', '/bkt/acl/put', { 'x-amz-copy-source': 'bkt/acl/base', 'x-amz-storage-class': 'STANDARD_IA' }, 501, 'NotImplemented', 'CopyObject'],
    ['PUT', '/bkt/acl/put', { 'x-amz-copy-source': 'bkt/acl/base', 'x-amz-tagging-directive': 'REPLACE' }, 501, 'NotImplemented', 'CopyObject'],
    ['POST', '/bkt/acl/put?uploads', { 'x-amz-server-side-encryption': 'AES256' }, 501, 'NotImplemented', 'CreateMultipartUpload'],
    ['PUT', '/acl-public-bucket', { 'x-amz-acl': 'public-read' }, 400, 'InvalidBucketAclWithObjectOwnership', 'CreateBucket'],
  ] as const;
  const refusedBody = (method: string, path: string, headers: Record<string, string>) => (method === 'PUT' && !headers['x-amz-copy-source'] && path.startsWith('/bkt/') ? 'data' : '');

  it.each(refusedWrites)('refuses %s %s with %j as S3 does (%i %s), once authorized and recorded (%s), storing nothing', async (method, path, headers: Record<string, string>, status, code, eventName) => {
    await req('PUT', '/bkt/acl/base', 'base');
    asked.length = 0;
    const r = await req(method, path, refusedBody(method, path, headers), headers);
    expect([r.status, codeOf(r)]).toEqual([status, code]);
    expect(asked.map((q) => q.event?.eventName)).toEqual([eventName]);
    expect((await req('HEAD', path.replace(/\?.*/, ''))).status).toBe(404);
  });

  it.each(refusedWrites)('answers an anonymous %s %s with %j 403 AccessDenied, as every anonymous request, after one authorizer call', async (method, path, headers: Record<string, string>) => {
    asked.length = 0;
    const r = await req(method, path, refusedBody(method, path, headers), { ...headers, 'x-refuse-auth': 'MissingAuthenticationToken' });
    expect([r.status, codeOf(r), asked.length]).toEqual([403, 'AccessDenied', 1]);
  });

  describe('ACLs, disabled (bucket owner enforced)', () => {
    const acp = (grants: string) => `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>111111111111</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`;
    const ownerGrant = '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>111111111111</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>';
    const publicGrant = '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>';

    it('answers GetBucketAcl and GetObjectAcl with the owner\'s full control, each asked as its own action with its event', async () => {
      await req('PUT', '/bkt/acl/read', 'x');
      asked.length = 0;
      for (const path of ['/bkt?acl', '/bkt/acl/read?acl']) {
        const r = await req('GET', path);
        expect([r.status, r.body.replace(/^<\?xml[^>]*>\n/, '')]).toEqual([200, `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>111111111111</ID></Owner><AccessControlList>${ownerGrant}</AccessControlList></AccessControlPolicy>`]);
      }
      expect(asked.map((q) => [q.authorizations[0]!.action, q.authorizations[0]!.resource, q.event?.eventName, q.event?.category, q.event?.readOnly])).toEqual([
        ['s3:GetBucketAcl', 'arn:aws:s3:::bkt', 'GetBucketAcl', 'Management', true],
        ['s3:GetObjectAcl', 'arn:aws:s3:::bkt/acl/read', 'GetObjectAcl', undefined, true],
      ]);
      expect(codeOf(await req('GET', '/bkt/acl/none?acl'))).toBe('NoSuchKey');
    });

    it.each([
      ['/bkt?acl', 'PutBucketAcl', { 'x-amz-acl': 'public-read' }, ''],
      ['/bkt?acl', 'PutBucketAcl', { 'x-amz-acl': 'bucket-owner-read' }, ''],
      ['/bkt?acl', 'PutBucketAcl', { 'x-amz-grant-read': 'id=222222222222' }, ''],
      ['/bkt?acl', 'PutBucketAcl', {}, acp(ownerGrant + publicGrant)],
      ['/bkt/acl/set?acl', 'PutObjectAcl', { 'x-amz-acl': 'public-read' }, ''],
      ['/bkt/acl/set?acl', 'PutObjectAcl', {}, acp(publicGrant)],
    ])('answers PUT %s (%s) with %j %s as S3 does: 400 AccessControlListNotSupported, once authorized and recorded', async (path, eventName, headers: Record<string, string>, body) => {
      await req('PUT', '/bkt/acl/set', 'x');
      asked.length = 0;
      const r = await req('PUT', path, body, headers);
      expect([r.status, codeOf(r)]).toEqual([400, 'AccessControlListNotSupported']);
      expect(asked.map((q) => [q.authorizations[0]!.action, q.event?.eventName])).toEqual([[`s3:${eventName}`, eventName]]);
      const anonymous = await req('PUT', path, body, { ...headers, 'x-refuse-auth': 'MissingAuthenticationToken' });
      expect([anonymous.status, codeOf(anonymous)]).toEqual([403, 'AccessDenied']);
    });

    it('takes an ACL that changes nothing (private, the owner\'s full control alone), and refuses a document that is not one (MalformedACLError)', async () => {
      await req('PUT', '/bkt/acl/same', 'x');
      for (const [path, headers, body] of [
        ['/bkt?acl', { 'x-amz-acl': 'private' }, ''],
        // With ACLs disabled S3 takes a PUT naming bucket-owner-full-control, PutBucketAcl included.
        ['/bkt?acl', { 'x-amz-acl': 'bucket-owner-full-control' }, ''],
        ['/bkt?acl', {}, acp(ownerGrant)],
        ['/bkt/acl/same?acl', { 'x-amz-acl': 'bucket-owner-full-control' }, ''],
        ['/bkt/acl/same?acl', {}, acp(ownerGrant)],
      ] as Array<[string, Record<string, string>, string]>) {
        expect([path, (await req('PUT', path, body, headers)).status]).toEqual([path, 200]);
      }
      for (const body of ['', '<Nope/>', acp('<Grant><Permission>READ</Permission></Grant>')]) expect(codeOf(await req('PUT', '/bkt?acl', body))).toBe('MalformedACLError');
      expect((await req('GET', '/bkt/acl/same')).body).toBe('x');
    });

    it('serves ?acl for GET and PUT only: DELETE and HEAD are 501 (the object kept), and PUT ?acl creates no bucket', async () => {
      await req('PUT', '/bkt/acl/kept', 'x');
      for (const method of ['DELETE', 'HEAD']) expect((await req(method, '/bkt/acl/kept?acl')).status).toBe(501);
      expect((await req('GET', '/bkt/acl/kept')).body).toBe('x');
      expect(codeOf(await req('PUT', '/no-acl-bucket?acl', '', { 'x-amz-acl': 'private' }))).toBe('NoSuchBucket');
      expect((await req('HEAD', '/no-acl-bucket')).status).toBe(404);
    });
  });

  it('takes the ACLs of an owner-only bucket (private, bucket-owner-full-control; rclone sends private) and STANDARD', async () => {
    for (const headers of [{ 'x-amz-acl': 'private' }, { 'x-amz-acl': 'bucket-owner-full-control' }, { 'x-amz-storage-class': 'STANDARD' }] as Array<Record<string, string>>) {
      expect((await req('PUT', '/bkt/acl/ok', 'data', headers)).status).toBe(200);
    }
    expect((await req('PUT', '/acl-private-bucket', '', { 'x-amz-acl': 'private' })).status).toBe(200);
    // S3 ignores bucket-owner-full-control on CreateBucket (its canned-ACL table).
    expect((await req('PUT', '/acl-owner-bucket', '', { 'x-amz-acl': 'bucket-owner-full-control' })).status).toBe(200);
  });

  it('creates a bucket as S3 in us-east-1 does: its owner creating it again gets 200, a LocationConstraint is refused (us-east-1: InvalidLocationConstraint, another: IllegalLocationConstraintException)', async () => {
    expect((await req('PUT', '/again-bucket', '')).status).toBe(200);
    expect((await req('PUT', '/again-bucket', '')).status).toBe(200);
    const other = await req('PUT', '/again-bucket', '', { 'x-acct': '222222222222' });
    expect([other.status, codeOf(other)]).toEqual([409, 'BucketAlreadyExists']);
    const config = (region: string) => `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
    for (const [body, status, code] of [[config('us-east-1'), 400, 'InvalidLocationConstraint'], [config('eu-west-1'), 400, 'IllegalLocationConstraintException'], ['<Nope/>', 400, 'MalformedXML']] as const) {
      const r = await req('PUT', '/located-bucket', body);
      expect([r.status, codeOf(r)]).toEqual([status, code]);
    }
    expect((await req('HEAD', '/located-bucket')).status).toBe(404);
    expect((await req('PUT', '/located-bucket', '<CreateBucketConfiguration/>')).status).toBe(200);
  });

  it.each([['PutObject', '/bkt/te/put'], ['UploadPart', '/bkt/te/part?partNumber=1&uploadId=']])('refuses a %s with Transfer-Encoding: chunked (no length) as S3 does: 501 naming the header, storing nothing', async (_, path) => {
    const id = path.endsWith('=') ? /<UploadId>(\w+)</.exec((await req('POST', '/bkt/te/part?uploads', '')).body)![1]! : '';
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${s3.url}${path}${id}`, { method: 'PUT', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      request.on('error', reject);
      request.end('chunky');
    });
    expect([r.status, codeOf(r), /<Header>([^<]*)</.exec(r.body)?.[1]]).toEqual([501, 'NotImplemented', 'Transfer-Encoding']);
    expect((await req('HEAD', '/bkt/te/put')).status).toBe(404);
  });

  it('answers an anonymous PutObject with Transfer-Encoding: chunked 403 AccessDenied after one authorizer call, storing nothing', async () => {
    asked.length = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${s3.url}/bkt/te/anonymous`, { method: 'PUT', headers: { 'transfer-encoding': 'chunked', 'x-refuse-auth': 'MissingAuthenticationToken' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      request.on('error', reject);
      request.end('chunky');
    });
    expect([status, asked.length]).toEqual([403, 1]);
    expect((await req('HEAD', '/bkt/te/anonymous')).status).toBe(404);
  });

  it.each([['PutObject', '/bkt/nolength/put'], ['UploadPart', '/bkt/nolength/part?partNumber=1&uploadId=']])('answers a %s with neither Content-Length nor chunked framing as S3 does: 411 MissingContentLength, once authorized and recorded, storing nothing', async (eventName, path) => {
    const id = path.endsWith('=') ? /<UploadId>(\w+)</.exec((await req('POST', '/bkt/nolength/part?uploads', '')).body)![1]! : '';
    asked.length = 0;
    // Node's client adds a Content-Length to every PUT: the request is written by hand.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(s3.port, '127.0.0.1', () => socket.write(`PUT ${path}${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect([/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1], codeOf({ body: answer })]).toEqual(['411', 'MissingContentLength']);
    expect(answer).toContain('<Message>You must provide the Content-Length HTTP header.</Message>');
    expect(asked.map((q) => q.event?.eventName)).toEqual([eventName]);
    expect((await req('HEAD', '/bkt/nolength/put')).status).toBe(404);
    // An empty body with its length is an empty object, as on S3.
    expect((await req('PUT', '/bkt/nolength/empty', '')).status).toBe(200);
  });

  it('takes an aws-chunked PutObject sent with Transfer-Encoding: chunked, as the SDKs send a stream', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const headers = { 'transfer-encoding': 'chunked', 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '5' };
      const request = http.request(`${s3.url}/bkt/te/aws-chunked`, { method: 'PUT', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      request.on('error', reject);
      request.end('5\r\nhello\r\n0\r\n\r\n');
    });
    expect(status).toBe(200);
    expect((await req('GET', '/bkt/te/aws-chunked')).body).toBe('hello');
  });

  describe('virtual-hosted-style addressing', () => {
    let vh: S3Server;
    let vhDir: string;
    beforeAll(async () => {
      vhDir = await mkdtemp(join(tmpdir(), 's3-subset-vh-'));
      vh = await startS3Server({ dataDir: vhDir, authorizer, virtualHostDomain: 'S3.localhost' });
    });
    afterAll(async () => {
      await vh.close();
      await rm(vhDir, { recursive: true, force: true });
    });
    /** A request with the Host a client of `http://s3.localhost:PORT` sends for `bucket` (none: the domain itself). */
    const at = (bucket: string | undefined, method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
      reqAt(vh.url, method, path, body, { host: `${bucket ? `${bucket}.` : ''}s3.localhost:${vh.port}`, ...headers });

    it('takes the bucket from the Host and the key from the whole path, forwarding Host and path as the client signed them', async () => {
      asked.length = 0;
      expect((await at('photos', 'PUT', '/', '')).status).toBe(200);
      expect((await at('photos', 'PUT', '/cat%20one.jpg', 'meow')).status).toBe(200);
      expect(asked.map((q) => [q.authorizations[0]!.action, q.authorizations[0]!.resource, q.request.headers['host'], q.request.path])).toEqual([
        ['s3:CreateBucket', 'arn:aws:s3:::photos', `photos.s3.localhost:${vh.port}`, '/'],
        ['s3:PutObject', 'arn:aws:s3:::photos/cat one.jpg', `photos.s3.localhost:${vh.port}`, '/cat%20one.jpg'],
      ]);
      expect(asked[1]!.event?.requestParameters).toMatchObject({ bucketName: 'photos', key: 'cat one.jpg', Host: `photos.s3.localhost:${vh.port}` });
      expect((await at('photos', 'GET', '/cat%20one.jpg')).body).toBe('meow');
      expect((await at('photos', 'GET', '/?list-type=2')).body).toContain('<Key>cat one.jpg</Key>');
      // The same bucket path style, at the domain itself or at the server's address.
      expect((await at(undefined, 'GET', '/photos/cat%20one.jpg')).body).toBe('meow');
      expect((await reqAt(vh.url, 'GET', '/photos/cat%20one.jpg')).body).toBe('meow');
    });

    it('reads a path that repeats the bucket as a key (both forms mixed), as S3 does', async () => {
      await at('mixed', 'PUT', '/', '');
      expect((await at('mixed', 'PUT', '/mixed/k', 'x')).status).toBe(200);
      expect((await reqAt(vh.url, 'GET', '/mixed/mixed/k')).body).toBe('x');
      expect((await reqAt(vh.url, 'GET', '/mixed/k')).status).toBe(404);
    });

    it('serves a bucket name with dots over a virtual host (over HTTP, as S3 does)', async () => {
      expect((await at('my.photos', 'PUT', '/', '')).status).toBe(200);
      expect((await at('my.photos', 'PUT', '/k', 'dotted')).status).toBe(200);
      expect((await reqAt(vh.url, 'GET', '/my.photos/k')).body).toBe('dotted');
    });

    it('answers ListBuckets at the domain itself, and a Host naming no bucket NoSuchBucket (its name) or InvalidBucketName', async () => {
      await at('listed', 'PUT', '/', '');
      expect((await at(undefined, 'GET', '/')).body).toContain('<Name>listed</Name>');
      const missing = await at('nobucket', 'GET', '/k');
      expect([missing.status, codeOf(missing), /<BucketName>([^<]*)</.exec(missing.body)?.[1]]).toEqual([404, 'NoSuchBucket', 'nobucket']);
      const invalid = await at('no_bucket', 'GET', '/');
      expect([invalid.status, codeOf(invalid)]).toEqual([400, 'InvalidBucketName']);
      // An empty label (`Host: .s3.localhost`) is an invalid bucket, not the service's ListBuckets.
      const empty = await at(undefined, 'GET', '/photos/k', undefined, { host: `.s3.localhost:${vh.port}` });
      expect([empty.status, codeOf(empty)]).toEqual([400, 'InvalidBucketName']);
    });

    it('completes a multipart upload with its Location at the virtual host', async () => {
      await at('parts', 'PUT', '/', '');
      const id = /<UploadId>(\w+)</.exec((await at('parts', 'POST', '/a/b?uploads', '')).body)![1]!;
      const part = await at('parts', 'PUT', `/a/b?uploadId=${id}&partNumber=1`, 'only');
      const done = await at('parts', 'POST', `/a/b?uploadId=${id}`, `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag}</ETag></Part></CompleteMultipartUpload>`);
      expect(/<Location>([^<]*)</.exec(done.body)?.[1]).toBe(`http://parts.s3.localhost:${vh.port}/a/b`);
    });

    it('refuses a subdomain of localhost outside its domain with InvalidRequest naming the domain, asking nothing', async () => {
      asked.length = 0;
      const r = await reqAt(vh.url, 'PUT', '/cat.jpg', 'meow', { host: `photos.localhost:${vh.port}` });
      expect([r.status, codeOf(r), asked.length]).toEqual([400, 'InvalidRequest', 0]);
      expect(r.body).toContain('serves buckets under s3.localhost only');
    });
  });

  it('refuses a virtual-hosted request (a subdomain of localhost) when no domain is configured: 400 InvalidRequest naming the option, asking and creating nothing', async () => {
    asked.length = 0;
    // What the AWS SDK for JavaScript sends for PutObject at endpoint http://localhost:PORT.
    const r = await req('PUT', '/cat.jpg', '', { host: `photos.localhost:${s3.port}` });
    expect([r.status, codeOf(r), asked.length]).toEqual([400, 'InvalidRequest', 0]);
    expect(r.body).toContain('--virtual-host-domain');
    expect((await req('HEAD', '/cat.jpg')).status).toBe(404);
    // The domain itself stays path style.
    expect((await req('GET', '/bkt', undefined, { host: `localhost:${s3.port}` })).status).toBe(200);
  });

  /** Sends `head` (request line and headers) as written, on a socket of its own; the status and body. */
  function rawRequest(head: string): Promise<{ status: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(s3.port, '127.0.0.1', () => socket.write(`${head}Connection: close\r\n\r\n`));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve({ status: /^HTTP\/1\.1 (\d+)/.exec(text)?.[1], body: text }));
      socket.on('error', reject);
    });
  }

  // The bucket and key come from the Host and the path: both must be the ones the signature covers.
  it.each([
    // Node keeps the first Host; RFC 9112 §3.2 requires 400 for more than one.
    { name: 'two Host headers', head: 'GET /bkt/twohosts HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: other.example\r\n' },
    { name: 'two Host headers, one with another case', head: 'PUT /bkt/twohosts HTTP/1.1\r\nhost: 127.0.0.1\r\nHOST: 127.0.0.1\r\nContent-Length: 0\r\n' },
    // An absolute-form target would be read as the path `http://other.host/…`.
    { name: 'an absolute-form target', head: 'GET http://other.host/bkt/twohosts HTTP/1.1\r\nHost: 127.0.0.1\r\n' },
    { name: 'an absolute-form PUT', head: 'PUT http://127.0.0.1/bkt/twohosts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n' },
  ])('refuses $name with 400 InvalidRequest, asking and storing nothing', async ({ head }) => {
    asked.length = 0;
    const r = await rawRequest(head);
    expect([r.status, codeOf(r), asked.length]).toEqual(['400', 'InvalidRequest', 0]);
    expect((await req('HEAD', '/bkt/twohosts')).status).toBe(404);
  });

  describe('conditional writes that race', () => {
    /**
     * A PUT whose body is sent in two halves, `between` running once the server has checked the
     * write's condition (it opens the new object's file with the check made again at the end), then the second half.
     */
    async function slowPut(path: string, headers: Record<string, string>, between: () => Promise<unknown>): Promise<{ status: number; body: string }> {
      const body = Buffer.alloc(200_000, 7);
      let checked!: () => void;
      const conditionChecked = new Promise<void>((resolve) => (checked = resolve));
      const newObject = BucketStore.prototype.newObject;
      const spy = vi.spyOn(BucketStore.prototype, 'newObject').mockImplementation(async function (this: BucketStore, ...args) {
        const pending = await newObject.apply(this, args);
        checked();
        return pending;
      });
      try {
        return await sendInHalves(path, headers, body, () => conditionChecked.then(between));
      } finally {
        spy.mockRestore();
      }
    }
    function sendInHalves(path: string, headers: Record<string, string>, body: Buffer, between: () => Promise<unknown>): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const r = http.request(s3.url + path, { method: 'PUT', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString() }));
        });
        r.on('error', reject);
        r.write(body.subarray(0, 100_000));
        between().then(() => r.end(body.subarray(100_000)), reject);
      });
    }

    it('answers an If-Match write whose object was deleted meanwhile with 409 ConditionalRequestConflict, storing nothing', async () => {
      const etag = (await req('PUT', '/bkt/race/del', 'first')).headers.etag!;
      const r = await slowPut('/bkt/race/del', { 'if-match': etag }, () => req('DELETE', '/bkt/race/del'));
      expect([r.status, codeOf(r)]).toEqual([409, 'ConditionalRequestConflict']);
      expect((await req('GET', '/bkt/race/del')).status).toBe(404);
    });

    it('answers an If-Match write that another write finished before with 412, as S3 does for the later of two', async () => {
      const etag = (await req('PUT', '/bkt/race/put', 'first')).headers.etag!;
      const r = await slowPut('/bkt/race/put', { 'if-match': etag }, () => req('PUT', '/bkt/race/put', 'second', { 'if-match': etag }));
      expect([r.status, codeOf(r)]).toEqual([412, 'PreconditionFailed']);
      expect((await req('GET', '/bkt/race/put')).body).toBe('second');
    });
  });
});
