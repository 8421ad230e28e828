/**
 * A small S3-compatible object store (path-style: CreateBucket, PutObject, GetObject, HeadObject,
 * ListObjectsV2, DeleteObject, Put/GetBucketPolicy) whose every request is authenticated and
 * authorized by Castellan: the server maps each request to S3's actions, resources and condition
 * keys, hands the bucket policy over, and answers what Castellan decides with S3's errors.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePolicy } from '@castellan/policy';
import { AwsChunkedDecoder, ChunkedBodyError, forwardedFromNode, type AuthorizationAnswer, type AuthorizationQuestion, type RequestAuthorizer } from '@castellan/authorizer-client';
import { BucketStore, type Bucket } from './bucket-store.js';
import { errorXml, listObjectsV2Xml } from './s3-xml.js';

/** Settings of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Where buckets and objects are kept. */
  dataDir: string;
  /** Castellan, by round trip or in process. */
  authorizer: RequestAuthorizer;
  /** Default is `127.0.0.1`. */
  host?: string;
  /** Default is `0` (any free port). */
  port?: number;
}

/** A running server. */
export interface S3Server {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** An S3 error answer. */
class S3Error extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, string> = {}) {
    super(message);
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** What Castellan's verdict on authentication becomes in S3's words. */
function authenticationError(code: string, message: string): S3Error {
  switch (code) {
    case 'InvalidClientTokenId':
      return new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    case 'RequestExpired':
      return new S3Error(403, 'AccessDenied', 'Request has expired');
    case 'ExpiredToken':
      return new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
    case 'IncompleteSignature':
      return new S3Error(400, 'AuthorizationHeaderMalformed', message);
    case 'MissingAuthenticationToken':
      // Anonymous requests are not served by this example.
      return new S3Error(403, 'AccessDenied', 'Access Denied');
    case 'SignatureDoesNotMatch':
      if (/^Signature (expired|not yet current)/.test(message)) return new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
      if (message.includes('x-amz-content-sha256')) return new S3Error(400, 'InvalidArgument', message);
      return new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    default:
      return new S3Error(403, 'AccessDenied', message);
  }
}

/** The first denial of an answer, as S3's AccessDenied. */
function denial(answer: AuthorizationAnswer & { authenticated: true }): S3Error {
  const d = answer.decisions.find((x) => x.effect !== 'allow');
  return new S3Error(403, 'AccessDenied', d?.message ?? 'Access Denied');
}

/** Reads a whole (small) body. */
async function readAll(req: http.IncomingMessage, limit = 20 * 1024 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/**
 * Starts the server.
 *
 * @example
 * ```ts
 * const castellan = new CastellanAuthorizer({ endpoint, service: 's3', credentials });
 * const s3 = await startS3Server({ dataDir: './s3-data', authorizer: castellan, port: 9000 });
 * // aws --endpoint-url http://127.0.0.1:9000 s3api create-bucket --bucket photos
 * ```
 */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const store = new BucketStore(options.dataDir);
  const server = http.createServer((req, res) => {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    handle(req, res, requestId).catch((err: unknown) => {
      const e = err instanceof S3Error ? err : err instanceof ChunkedBodyError ? new S3Error(err.code === 'SignatureDoesNotMatch' ? 403 : 400, err.code, err.message) : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(err instanceof S3Error) && !(err instanceof ChunkedBodyError)) console.error(err);
      if (res.headersSent) return void res.destroy();
      const body = req.method === 'HEAD' ? '' : errorXml(e.code, e.message, requestId, e.extra);
      res.writeHead(e.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      // A refused upload's body is not read: drop the connection rather than drain it.
      if (!req.complete) req.resume();
    });
  });

  async function ask(req: http.IncomingMessage, question: Omit<AuthorizationQuestion, 'request' | 'sourceIp'>): Promise<AuthorizationAnswer & { authenticated: true }> {
    const answer = await options.authorizer.authorize({ ...question, request: forwardedFromNode(req), sourceIp: req.socket.remoteAddress ?? '0.0.0.0', secureTransport: false });
    if (!answer.authenticated) throw authenticationError(answer.error.code, answer.error.message);
    return answer;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
    const slash = rawPath.indexOf('/', 1);
    const decode = (text: string): string => {
      try {
        return decodeURIComponent(text);
      } catch {
        throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
      }
    };
    const bucketName = decode(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    const key = slash < 0 ? '' : decode(rawPath.slice(slash + 1));
    const method = req.method ?? 'GET';
    const send = (status: number, headers: Record<string, string | number>, body?: string | Buffer) => {
      res.writeHead(status, { 'x-amz-request-id': requestId, ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) });
      res.end(body);
    };
    if (!bucketName) throw new S3Error(501, 'NotImplemented', 'ListBuckets is not part of this example');
    if (!BUCKET_NAME.test(bucketName)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucketName });
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    const host = req.headers.host ?? '';
    const bucket = await store.getBucket(bucketName);
    const owned = (b: Bucket | undefined): Bucket => {
      if (!b) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucketName });
      return b;
    };
    const policyOf = (b: Bucket) => (b.policy ? { resourcePolicy: { policyId: `bucket-policy:${b.name}`, document: b.policy } } : {});
    const bucketResource = (b: Bucket) => ({ type: 'AWS::S3::Bucket', arn: bucketArn, accountId: b.ownerAccountId });

    if (!key) {
      if (method === 'PUT' && !query.has('policy')) {
        // CreateBucket: a new bucket belongs to the caller's account.
        const answer = await ask(req, {
          authorizations: [{ action: 's3:CreateBucket', resource: bucketArn }],
          event: { eventName: 'CreateBucket', category: 'Management', readOnly: false, requestParameters: { bucketName, Host: host }, resources: [{ type: 'AWS::S3::Bucket', arn: bucketArn }] },
        });
        if (!answer.allowed) throw denial(answer);
        await readAll(req);
        if (bucket) {
          if (bucket.ownerAccountId === answer.principal.accountId) throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucketName });
          throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: bucketName });
        }
        await store.createBucket({ name: bucketName, ownerAccountId: answer.principal.accountId, createdAt: new Date().toISOString() });
        return send(200, { location: `/${bucketName}` }, '');
      }
      const b = owned(bucket);
      const common = { resourceAccount: b.ownerAccountId };
      if (query.has('policy') && (method === 'PUT' || method === 'GET' || method === 'DELETE')) {
        const op = method === 'PUT' ? 'PutBucketPolicy' : method === 'GET' ? 'GetBucketPolicy' : 'DeleteBucketPolicy';
        const answer = await ask(req, {
          ...policyOf(b),
          authorizations: [{ action: `s3:${op}`, resource: bucketArn, ...common }],
          event: { eventName: op, category: 'Management', readOnly: method === 'GET', requestParameters: { bucketName, Host: host, policy: '' }, resources: [bucketResource(b)] },
        });
        if (!answer.allowed) throw denial(answer);
        if (method === 'GET') {
          if (!b.policy) throw new S3Error(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: bucketName });
          return send(200, { 'content-type': 'application/json' }, b.policy);
        }
        if (method === 'DELETE') {
          const { policy: _old, ...rest } = b;
          await store.putBucket(rest);
          return send(204, {});
        }
        const text = (await readAll(req, 20 * 1024)).toString('utf8');
        const parsed = parsePolicy(text, { kind: 'resource' });
        if (!parsed.ok) throw new S3Error(400, 'MalformedPolicy', parsed.diagnostics[0]?.message ?? 'Policies must be valid JSON');
        await store.putBucket({ ...b, policy: text });
        return send(204, {});
      }
      if (method === 'GET' || method === 'HEAD') {
        // ListObjectsV2 (and HeadBucket): s3:ListBucket with s3:prefix, s3:delimiter, s3:max-keys.
        const prefix = query.get('prefix') ?? '';
        const delimiter = query.get('delimiter') ?? undefined;
        const maxKeys = Math.min(1000, Math.max(0, Number(query.get('max-keys') ?? 1000) || 0));
        const head = method === 'HEAD';
        const answer = await ask(req, {
          ...policyOf(b),
          authorizations: [{ action: 's3:ListBucket', resource: bucketArn, ...common }],
          conditionKeys: head ? {} : { 's3:prefix': prefix, ...(delimiter !== undefined ? { 's3:delimiter': delimiter } : {}), 's3:max-keys': String(maxKeys) },
          event: head
            ? { eventName: 'HeadBucket', category: 'Management', readOnly: true, requestParameters: { bucketName, Host: host }, resources: [bucketResource(b)] }
            : { eventName: 'ListObjectsV2', readOnly: true, requestParameters: { bucketName, Host: host, prefix, 'list-type': '2', ...(delimiter !== undefined ? { delimiter } : {}) }, resources: [bucketResource(b)] },
        });
        if (!answer.allowed) throw denial(answer);
        if (head) return send(200, {});
        if (query.get('list-type') !== '2') throw new S3Error(501, 'NotImplemented', 'Only ListObjectsV2 (list-type=2) is part of this example');
        const token = query.get('continuation-token') ?? undefined;
        const after = token ? Buffer.from(token, 'base64url').toString('utf8') : (query.get('start-after') ?? '');
        const all = (await store.listObjects(bucketName)).filter((o) => o.key.startsWith(prefix) && o.key > after);
        const contents: typeof all = [];
        const prefixes = new Set<string>();
        let truncated = false;
        let last = '';
        for (const o of all) {
          const rest = o.key.slice(prefix.length);
          const cut = delimiter ? rest.indexOf(delimiter) : -1;
          const common = cut >= 0 ? prefix + rest.slice(0, cut + delimiter!.length) : undefined;
          if (common !== undefined && prefixes.has(common)) continue;
          if (contents.length + prefixes.size >= maxKeys) {
            truncated = true;
            break;
          }
          if (common !== undefined) prefixes.add(common);
          else contents.push(o);
          last = o.key;
        }
        const body = listObjectsV2Xml({
          bucket: bucketName, prefix, ...(delimiter !== undefined ? { delimiter } : {}), maxKeys, contents, commonPrefixes: [...prefixes], truncated,
          ...(token ? { continuationToken: token } : {}),
          ...(truncated ? { nextContinuationToken: Buffer.from(last, 'utf8').toString('base64url') } : {}),
          ...(query.get('start-after') ? { startAfter: query.get('start-after')! } : {}),
          urlEncode: query.get('encoding-type') === 'url',
        });
        return send(200, { 'content-type': 'application/xml' }, body);
      }
      throw new S3Error(501, 'NotImplemented', `${method} on a bucket is not part of this example`);
    }

    const b = owned(bucket);
    const objectArn = `${bucketArn}/${key}`;
    const common = { resourceAccount: b.ownerAccountId };
    const resources = [{ type: 'AWS::S3::Object', arn: objectArn }, bucketResource(b)];
    const requestParameters = { bucketName, key, Host: host };
    if (method === 'PUT') {
      const answer = await ask(req, {
        ...policyOf(b),
        authorizations: [{ action: 's3:PutObject', resource: objectArn, ...common }],
        ...(req.headers['x-amz-acl'] ? { conditionKeys: { 's3:x-amz-acl': String(req.headers['x-amz-acl']) } } : {}),
        event: { eventName: 'PutObject', readOnly: false, requestParameters, resources },
      });
      if (!answer.allowed) throw denial(answer);
      await putObject(req, answer, b, key, res, requestId);
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      const eventName = method === 'GET' ? 'GetObject' : 'HeadObject';
      const answer = await ask(req, { ...policyOf(b), authorizations: [{ action: 's3:GetObject', resource: objectArn, ...common }], event: { eventName, readOnly: true, requestParameters, resources } });
      if (!answer.allowed) throw denial(answer);
      const found = await store.getObject(bucketName, key);
      if (!found) {
        // S3 answers 404 only to a caller who may list the bucket; anyone else learns nothing (403).
        const list = await options.authorizer.authorize({ ...policyOf(b), request: forwardedFromNode(req), sourceIp: req.socket.remoteAddress ?? '0.0.0.0', authorizations: [{ action: 's3:ListBucket', resource: bucketArn, ...common }] });
        if (list.authenticated && list.allowed) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        throw new S3Error(403, 'AccessDenied', 'Access Denied');
      }
      const m = found.meta;
      const headers = { 'content-type': m.contentType, 'content-length': m.size, etag: `"${m.etag}"`, 'last-modified': new Date(m.lastModified).toUTCString(), 'accept-ranges': 'bytes', 'x-amz-request-id': requestId };
      res.writeHead(200, headers);
      if (method === 'HEAD') return void res.end();
      found.open().pipe(res);
      return;
    }
    if (method === 'DELETE') {
      const answer = await ask(req, { ...policyOf(b), authorizations: [{ action: 's3:DeleteObject', resource: objectArn, ...common }], event: { eventName: 'DeleteObject', readOnly: false, requestParameters, resources } });
      if (!answer.allowed) throw denial(answer);
      await store.deleteObject(bucketName, key);
      return send(204, {});
    }
    throw new S3Error(501, 'NotImplemented', `${method} on an object is not part of this example`);
  }

  /** Streams the body to disk, checking it against what the signature declared. */
  async function putObject(req: http.IncomingMessage, answer: AuthorizationAnswer & { authenticated: true }, b: Bucket, key: string, res: http.ServerResponse, requestId: string): Promise<void> {
    const upload = await store.newObject(b.name);
    const md5 = createHash('md5');
    const sha = createHash('sha256');
    let size = 0;
    const payload = answer.payload;
    const chunked = payload.kind === 'streaming-signed' || payload.kind === 'streaming-unsigned-trailer';
    const decoder = chunked
      ? new AwsChunkedDecoder(payload.kind === 'streaming-signed' && answer.streaming
          ? { signing: { signingKey: Buffer.from(answer.streaming.signingKey, 'hex'), amzDate: answer.streaming.amzDate, scope: answer.streaming.scope, seedSignature: answer.streaming.seedSignature } }
          : {})
      : undefined;
    const write = (data: Buffer) => {
      md5.update(data);
      sha.update(data);
      size += data.length;
      upload.stream.write(data);
    };
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (decoder) for (const d of decoder.push(chunk)) write(d);
        else write(chunk);
      }
      if (decoder) decoder.end();
      if (payload.kind === 'sha256' && sha.digest('hex') !== payload.sha256.toLowerCase()) {
        throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
      const declared = req.headers['x-amz-decoded-content-length'];
      if (decoder && declared !== undefined && Number(declared) !== size) throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    } catch (err) {
      await upload.abort();
      throw err;
    }
    const etag = md5.digest('hex');
    const contentType = String(req.headers['content-type'] ?? 'binary/octet-stream');
    await upload.commit({ key, size, etag, lastModified: new Date().toISOString(), contentType });
    res.writeHead(200, { etag: `"${etag}"`, 'x-amz-request-id': requestId, 'content-length': 0 });
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
