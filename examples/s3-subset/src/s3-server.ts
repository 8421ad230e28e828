/**
 * A small S3-compatible object store (path style, and virtual-hosted style under a configured domain: ListBuckets, CreateBucket, HeadBucket,
 * DeleteBucket, PutObject, GetObject (ranged too), HeadObject, ListObjects (V1 and V2), ListObjectVersions
 * (every object its one null version), DeleteObject, DeleteObjects (the null version too), CopyObject, the multipart upload (Create, UploadPart, UploadPartCopy, Complete, Abort),
 * Put/Get/DeleteBucketPolicy, GetBucketLocation, GetBucketVersioning, Get/PutBucketAcl and Get/PutObjectAcl
 * with ACLs disabled) whose every request is authenticated and
 * authorized by Castellan: the server maps each request to S3's actions, resources and condition
 * keys, hands the bucket policy over, and answers what Castellan decides with S3's errors.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import { parsePolicy } from '@castellan/policy';
import { AwsChunkedDecoder, ChunkedBodyError, forwardedFromNode, unverifiableBody, type AuthorizationAnswer, type AuthorizationQuestion, type RequestAuthorizer } from '@castellan/authorizer-client';
import { BucketStore, NoSuchBucketError, NoSuchUploadError, type Bucket, type ObjectMeta, type PartRecord } from './bucket-store.js';
import { bodyCheck, checksumHeader, declaresIntegrity, DigestError, type StoredChecksum } from './checksums.js';
import { parseCopyRange, parseCopySource } from './copy-source.js';
import { one } from './headers.js';
import { deleteConditions, readConditions, writeConditions } from './conditions.js';
import { parseRange } from './range.js';
import { addressingOf, normalDomain } from './addressing.js';
import { signedWithV2, SIGV2_MESSAGE } from './signature-version.js';
import { refusedAclHeader, refusedBucketWriteHeader, refusedObjectWriteHeader, type HeaderRefusal } from './write-headers.js';
import { listPage } from './listing.js';
import { accessControlPolicyXml, completeMultipartUploadXml, copyResultXml, deleteResultXml, errorXml, getObjectTaggingXml, initiateMultipartUploadXml, listBucketsXml, listObjectsXml, listVersionsXml, locationConstraintXml, parseCreateBucketLocation, versioningConfigurationXml, parseAccessControlPolicy, parseCompleteMultipartUpload, parseDeleteObjects } from './s3-xml.js';

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
  /**
   * The domain under which buckets are addressed virtual-hosted style (`s3.localhost`: a request
   * with `Host: photos.s3.localhost:9000` names the bucket `photos`, its path the key); a request to
   * the domain itself, or to any other host, is path style. Unset, only path style is served.
   */
  virtualHostDomain?: string;
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
/** The query parameters that name an S3 subresource (another operation than the method's plain one). */
const SUBRESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold', 'lifecycle', 'location', 'logging',
  'metadataTable', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'partNumber', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment',
  'restore', 'retention', 'select', 'session', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
]);
/** S3's smallest part but the last (5 MiB), and its largest part number. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
const NO_SUCH_UPLOAD = 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.';
/** S3's longest key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;
/** DeleteObjects: S3's most keys a request, and the largest body taken (1,000 keys of 1,024 bytes, escaped, fit). */
const MAX_DELETE_KEYS = 1000;
const MAX_DELETE_BODY = 8 * 1024 * 1024;
/** The bytes an aws-chunked DeleteObjects body may take on the wire: room for its framing. */
const MAX_DELETE_WIRE = 2 * MAX_DELETE_BODY;
/** DeleteObjects batches asked about at once (1,000 keys are 53 calls: all at once, some could be throttled). */
const DELETE_CONCURRENCY = 4;
/**
 * Keys decided by one AuthorizeRequest call of DeleteObjects: the API takes at most 20
 * authorizations and 20 event resources a call, and each batch's event names its objects and the bucket.
 */
const DELETE_BATCH = 19;
const CONDITIONAL_CONFLICT = 'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.';

/** `x-amz-meta-*` request headers, by name without the prefix. */
function userMetadata(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (name.startsWith('x-amz-meta-') && value !== undefined) out[name.slice(11)] = String(value);
  return out;
}
const metadataHeaders = (metadata: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));

/** What Castellan's verdict on authentication becomes in S3's words (`presigned`: signed in the query string). */
function authenticationError(code: string, message: string, presigned = false): S3Error {
  switch (code) {
    case 'InvalidClientTokenId':
      return new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    case 'RequestExpired':
      return new S3Error(403, 'AccessDenied', 'Request has expired');
    case 'ExpiredToken':
      return new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
    case 'IncompleteSignature':
      if (!presigned) return new S3Error(400, 'AuthorizationHeaderMalformed', message);
      // A presigned URL's parameters: S3 answers an X-Amz-Expires beyond seven days 403 with its own text
      // (the status as Ceph's s3-tests expect of S3), other malformed parameters 400.
      if (message.startsWith('X-Amz-Expires')) return new S3Error(403, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
      return new S3Error(400, 'AuthorizationQueryParametersError', message);
    case 'InvalidParameterCombination':
      // Signed in both the Authorization header and the query string: S3 names the header.
      return new S3Error(400, 'InvalidArgument', message, { ArgumentName: 'Authorization' });
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

/** A write's refused header, in S3's words (a 501 names the header, as S3's NotImplemented does). */
const headerError = (r: HeaderRefusal): S3Error => new S3Error(r.status, r.code, r.message, r.status === 501 ? { Header: r.header } : {});

/** S3's answer to a condition that does not hold. */
const preconditionFailed = (condition: string): S3Error => new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

/** Copies a source object's data (or range) to a new object's or part's file; its size and MD5 (the ETag of a single-part object). */
async function copyData(source: Readable, writer: { write(data: Buffer): Promise<void>; abort(): Promise<void> }): Promise<{ size: number; etag: string }> {
  const md5 = createHash('md5');
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      md5.update(chunk);
      size += chunk.length;
      await writer.write(chunk);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return { size, etag: md5.digest('hex') };
}

/** The first denial of an answer, as S3's AccessDenied. */
function denial(answer: AuthorizationAnswer & { authenticated: true }): S3Error {
  const d = answer.decisions.find((x) => x.effect !== 'allow');
  return new S3Error(403, 'AccessDenied', d?.message ?? 'Access Denied');
}

/** Reads a whole (small) body; a larger one is `tooLarge` (S3's EntityTooLarge unless said otherwise). */
async function readAll(req: http.IncomingMessage, limit = 20 * 1024 * 1024, tooLarge = () => new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size')): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** `source`'s bytes, refused with `tooLarge` past `limit`. */
async function* upTo(source: AsyncIterable<Buffer>, limit: number, tooLarge: () => Error): AsyncIterable<Buffer> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    yield chunk;
  }
}

/**
 * Runs `work` on each item, at most `limit` at a time; after a failure no further item is started,
 * and the first failure is thrown once those under way have finished.
 */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await work(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
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
  const domain = options.virtualHostDomain === undefined ? undefined : normalDomain(options.virtualHostDomain);
  if (domain !== undefined && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(domain)) throw new Error(`virtualHostDomain ${JSON.stringify(options.virtualHostDomain)} is not a host name`);
  const store = new BucketStore(options.dataDir);
  const server = http.createServer((req, res) => {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    handle(req, res, requestId).catch((err: unknown) => {
      const e = err instanceof S3Error ? err : err instanceof NoSuchBucketError ? new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: err.bucket }) : err instanceof NoSuchUploadError ? new S3Error(404, 'NoSuchUpload', NO_SUCH_UPLOAD, { UploadId: err.uploadId }) : err instanceof DigestError ? new S3Error(err.code === 'NotImplemented' ? 501 : 400, err.code, err.message) : err instanceof ChunkedBodyError ? new S3Error(err.code === 'SignatureDoesNotMatch' ? 403 : 400, err.code, err.message) : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(err instanceof S3Error) && !(err instanceof ChunkedBodyError) && !(err instanceof DigestError) && !(err instanceof NoSuchBucketError) && !(err instanceof NoSuchUploadError)) console.error(err);
      if (res.headersSent) return void res.destroy();
      const body = req.method === 'HEAD' ? '' : errorXml(e.code, e.message, requestId, e.extra);
      res.writeHead(e.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      // The unread rest of a refused request's body is read and discarded, so the client, which may
      // still be sending, gets the error rather than a reset connection (this costs the transfer).
      if (!req.complete) req.resume();
    });
  });

  async function ask(req: http.IncomingMessage, question: Omit<AuthorizationQuestion, 'request' | 'sourceIp'>): Promise<AuthorizationAnswer & { authenticated: true }> {
    const answer = await options.authorizer.authorize({ ...question, request: forwardedFromNode(req), sourceIp: req.socket.remoteAddress ?? '0.0.0.0', secureTransport: false });
    if (!answer.authenticated) throw authenticationError(answer.error.code, answer.error.message, /[?&]X-Amz-(Signature|Algorithm|Credential)=/.test(req.url ?? ''));
    return answer;
  }

  /**
   * The error for a key that is not there: S3 answers 404 only to a caller who may list the bucket;
   * anyone else learns nothing (403).
   */
  async function missingKey(req: http.IncomingMessage, b: Bucket, key: string): Promise<S3Error> {
    const policy = b.policy ? { resourcePolicy: { policyId: `bucket-policy:${b.name}`, document: b.policy } } : {};
    const list = await options.authorizer.authorize({ ...policy, request: forwardedFromNode(req), sourceIp: req.socket.remoteAddress ?? '0.0.0.0', secureTransport: false, authorizations: [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${b.name}`, resourceAccount: b.ownerAccountId }] });
    if (list.authenticated && list.allowed) return new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    return new S3Error(403, 'AccessDenied', 'Access Denied');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    const target = req.url ?? '/';
    // The bucket comes from the Host or the path, and both must be the ones the signature covers.
    // Node keeps the first of two Host headers, so a second one would go unseen here while the
    // signed copy forwarded to Castellan holds both: RFC 9112 §3.2 requires 400 for it. S3's error
    // code for it is not known (InvalidRequest is this example's choice, unverified).
    if (hostHeaderCount(req.rawHeaders) > 1) throw new S3Error(400, 'InvalidRequest', 'The request has more than one Host header.');
    // An absolute-form target (`GET http://other.host/key`, meant for proxies) would be read as a
    // path here; S3 clients send the path alone (origin-form), and only that is served.
    if (!target.startsWith('/')) throw new S3Error(400, 'InvalidRequest', 'The request target must be a path (origin-form, starting with /); an absolute URI or * is not served.');
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
    // The bucket is in the Host (virtual-hosted style, the whole path is the key) or in the path.
    // Either way the request is forwarded to Castellan as it came: its signature covers that Host and path.
    const addressing = addressingOf(req.headers.host, domain);
    if (addressing.style === 'unserved') {
      // Refused before anything is asked or read, as the server cannot tell which bucket is meant.
      throw new S3Error(400, 'InvalidRequest', domain === undefined
        ? `This request is addressed virtual-hosted style (Host: ${addressing.host}), which this server serves only when started with a virtual-host domain (--virtual-host-domain localhost, or S3_VIRTUAL_HOST_DOMAIN); use path-style addressing (forcePathStyle: true in the AWS SDK for JavaScript, s3.addressing_style = path for boto3 and the AWS CLI) or start it so.`
        : `This request is addressed virtual-hosted style (Host: ${addressing.host}), but this server serves buckets under ${domain} only: use Host BUCKET.${domain} or path-style addressing.`);
    }
    const virtual = addressing.style === 'virtual';
    const bucketName = virtual ? addressing.bucket : decode(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    const key = virtual ? decode(rawPath.slice(1)) : slash < 0 ? '' : decode(rawPath.slice(slash + 1));
    const method = req.method ?? 'GET';
    const send = (status: number, headers: Record<string, string | number>, body?: string | Buffer) => {
      res.writeHead(status, { 'x-amz-request-id': requestId, ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) });
      res.end(body);
    };
    // Signature Version 2 is refused as S3 refuses it, before anything is asked or read.
    if (signedWithV2(req.headers, query)) throw new S3Error(400, 'InvalidRequest', SIGV2_MESSAGE);
    // `Host: .DOMAIN` names an empty bucket label: an invalid bucket, not the service (ListBuckets).
    if (virtual && !bucketName) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucketName });
    if (!bucketName) {
      if (method !== 'GET') throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: method, ResourceType: 'SERVICE' });
      // ListBuckets: s3:ListAllMyBuckets (no resource type: `*`), the caller's account's buckets.
      const answer = await ask(req, {
        authorizations: [{ action: 's3:ListAllMyBuckets', resource: '*' }],
        event: { eventName: 'ListBuckets', category: 'Management', readOnly: true, requestParameters: { Host: req.headers.host ?? '' } },
      });
      if (!answer.allowed) throw denial(answer);
      const mine = (await store.listBuckets()).filter((b) => b.ownerAccountId === answer.principal.accountId);
      return send(200, { 'content-type': 'application/xml' }, listBucketsXml(answer.principal.accountId, mine));
    }
    if (!BUCKET_NAME.test(bucketName)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucketName });
    // A subresource this example does not serve must not fall through to the plain operation of the
    // same method (`PUT ?tagging` would overwrite the object with the tagging document).
    // `?delete` is DeleteObjects for POST only: a PUT must not fall through to CreateBucket.
    // `?acl` is served for GET and PUT only: a DELETE or HEAD must not fall through to DeleteObject or HeadObject.
    const handled = key
      ? (query.has('uploadId') ? ['uploadId', 'partNumber'] : method === 'GET' ? ['uploads', 'tagging', 'acl'] : method === 'PUT' ? ['uploads', 'acl'] : ['uploads'])
      : method === 'POST' ? ['policy', 'delete'] : method === 'GET' ? ['policy', 'location', 'versioning', 'versions', 'acl'] : method === 'PUT' ? ['policy', 'acl'] : ['policy'];
    const unserved = [...query.keys()].find((k) => SUBRESOURCES.has(k) && !handled.includes(k));
    if (unserved !== undefined) throw new S3Error(501, 'NotImplemented', `The ${unserved} subresource is not part of this example`);
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    const host = req.headers.host ?? '';
    const bucket = await store.getBucket(bucketName);
    const owned = (b: Bucket | undefined): Bucket => {
      if (!b) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucketName });
      return b;
    };
    const policyOf = (b: Bucket) => (b.policy ? { resourcePolicy: { policyId: `bucket-policy:${b.name}`, document: b.policy } } : {});
    const bucketResource = (b: Bucket) => ({ type: 'AWS::S3::Bucket', arn: bucketArn, accountId: b.ownerAccountId });

    /**
     * GetBucketAcl, PutBucketAcl, GetObjectAcl and PutObjectAcl with ACLs disabled (Object Ownership
     * "bucket owner enforced", S3's default): reading answers the owner's full control, as S3 does;
     * setting takes only an ACL that changes nothing (canned `private`, for an object
     * `bucket-owner-full-control` too, or a document granting the owner full control alone) and
     * answers any other with S3's 400 AccessControlListNotSupported, once authorized and recorded.
     */
    async function acl(b: Bucket): Promise<void> {
      const op = `${method === 'GET' ? 'Get' : 'Put'}${key ? 'Object' : 'Bucket'}Acl`;
      const arn = key ? `${bucketArn}/${key}` : bucketArn;
      const canned = one(req.headers['x-amz-acl']);
      const answer = await ask(req, {
        ...policyOf(b),
        authorizations: [{ action: `s3:${op}`, resource: arn, resourceAccount: b.ownerAccountId }],
        ...(method === 'PUT' && canned !== undefined ? { conditionKeys: { 's3:x-amz-acl': canned } } : {}),
        event: key
          ? { eventName: op, readOnly: method === 'GET', requestParameters: { bucketName, key, Host: host, acl: '' }, resources: [{ type: 'AWS::S3::Object', arn }, bucketResource(b)] }
          : { eventName: op, category: 'Management', readOnly: method === 'GET', requestParameters: { bucketName, Host: host, acl: '' }, resources: [bucketResource(b)] },
      });
      if (!answer.allowed) throw denial(answer);
      if (key && !(await store.headObject(bucketName, key))) throw await missingKey(req, b, key);
      if (method === 'GET') return send(200, { 'content-type': 'application/xml' }, accessControlPolicyXml(b.ownerAccountId));
      const refusal = refusedAclHeader(req.headers);
      if (refusal) throw headerError(refusal);
      const body = (await readAll(req, 64 * 1024, () => new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.'))).toString('utf8');
      if (canned === undefined || body.trim() !== '') {
        const grants = parseAccessControlPolicy(body);
        if (!grants) throw new S3Error(400, 'MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema.');
        if (grants.some((g) => g.granteeId !== b.ownerAccountId || g.permission !== 'FULL_CONTROL')) throw new S3Error(400, 'AccessControlListNotSupported', 'The bucket does not allow ACLs');
      }
      return send(200, {}, '');
    }

    if (!key) {
      if (method === 'PUT' && !query.has('policy') && !query.has('acl')) {
        // CreateBucket: a new bucket belongs to the caller's account.
        const answer = await ask(req, {
          authorizations: [{ action: 's3:CreateBucket', resource: bucketArn }],
          event: { eventName: 'CreateBucket', category: 'Management', readOnly: false, requestParameters: { bucketName, Host: host }, resources: [{ type: 'AWS::S3::Bucket', arn: bucketArn }] },
        });
        if (!answer.allowed) throw denial(answer);
        const refusal = refusedBucketWriteHeader(req.headers);
        if (refusal) throw headerError(refusal);
        // The example's one location is us-east-1: as there, a bucket is created without a
        // LocationConstraint, and one naming us-east-1 or another region is refused with S3's words.
        const location = parseCreateBucketLocation((await readAll(req, 64 * 1024, () => new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.'))).toString('utf8'));
        if (location === undefined) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
        if (location === 'us-east-1') throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: location });
        if (location !== '') throw new S3Error(400, 'IllegalLocationConstraintException', `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`);
        const made = bucket ? { created: false, bucket } : await store.createBucket({ name: bucketName, ownerAccountId: answer.principal.accountId, createdAt: new Date().toISOString() });
        if (!made.created) {
          // In us-east-1 S3 answers 200 to the owner re-creating a bucket (BucketAlreadyOwnedByYou elsewhere).
          if (made.bucket.ownerAccountId === answer.principal.accountId) return send(200, { location: `/${bucketName}` }, '');
          throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: bucketName });
        }
        return send(200, { location: `/${bucketName}` }, '');
      }
      const b = owned(bucket);
      const common = { resourceAccount: b.ownerAccountId };
      if (query.has('acl')) return acl(b);
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
      if (method === 'GET' && (query.has('location') || query.has('versioning'))) {
        // GetBucketLocation (s3cmd asks it before `info`) and GetBucketVersioning (rclone asks it
        // before `purge`): the example has one location, us-east-1, whose LocationConstraint is
        // empty, and buckets here are never versioned, which S3 answers with no Status.
        const op = query.has('location') ? 'GetBucketLocation' : 'GetBucketVersioning';
        const answer = await ask(req, {
          ...policyOf(b),
          authorizations: [{ action: `s3:${op}`, resource: bucketArn, ...common }],
          event: { eventName: op, category: 'Management', readOnly: true, requestParameters: { bucketName, Host: host, [op === 'GetBucketLocation' ? 'location' : 'versioning']: '' }, resources: [bucketResource(b)] },
        });
        if (!answer.allowed) throw denial(answer);
        return send(200, { 'content-type': 'application/xml' }, op === 'GetBucketLocation' ? locationConstraintXml() : versioningConfigurationXml());
      }
      if (query.has('delete')) return deleteObjects(b);
      if (method === 'GET' || method === 'HEAD') {
        // ListObjects, ListObjectsV2 (and HeadBucket): s3:ListBucket with s3:prefix, s3:delimiter, s3:max-keys.
        const prefix = query.get('prefix') ?? '';
        const delimiter = query.get('delimiter') ?? undefined;
        const maxKeysText = query.get('max-keys') ?? '1000';
        if (!/^\d{1,10}$/.test(maxKeysText) || Number(maxKeysText) > 2 ** 31 - 1) throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: maxKeysText });
        const maxKeys = Math.min(1000, Number(maxKeysText));
        if (query.has('versions')) return listVersions(b, prefix, delimiter, maxKeys);
        const head = method === 'HEAD';
        const listType = query.get('list-type');
        const v2 = listType === '2';
        const answer = await ask(req, {
          ...policyOf(b),
          authorizations: [{ action: 's3:ListBucket', resource: bucketArn, ...common }],
          conditionKeys: head ? {} : { 's3:prefix': prefix, ...(delimiter !== undefined ? { 's3:delimiter': delimiter } : {}), 's3:max-keys': String(maxKeys) },
          event: head
            ? { eventName: 'HeadBucket', category: 'Management', readOnly: true, requestParameters: { bucketName, Host: host }, resources: [bucketResource(b)] }
            : { eventName: v2 ? 'ListObjectsV2' : 'ListObjects', readOnly: true, requestParameters: { bucketName, Host: host, prefix, ...(v2 ? { 'list-type': '2' } : {}), ...(delimiter !== undefined ? { delimiter } : {}) }, resources: [bucketResource(b)] },
        });
        if (!answer.allowed) throw denial(answer);
        if (head) return send(200, {});
        if (listType !== null && !v2) throw new S3Error(400, 'InvalidArgument', 'Invalid List Type specified in Request', { ArgumentName: 'list-type', ArgumentValue: listType });
        const token = query.get('continuation-token') ?? undefined;
        const marker = query.get('marker') ?? '';
        const after = v2 ? (token ? Buffer.from(token, 'base64url').toString('utf8') : (query.get('start-after') ?? '')) : marker;
        const page = listPage(await store.listObjects(bucketName), { prefix, ...(delimiter !== undefined ? { delimiter } : {}), maxKeys, after });
        const body = listObjectsXml({
          bucket: bucketName, prefix, ...(delimiter !== undefined ? { delimiter } : {}), maxKeys, contents: page.contents, commonPrefixes: page.commonPrefixes, truncated: page.truncated,
          urlEncode: query.get('encoding-type') === 'url',
          ...(v2
            ? {
                version: 2 as const,
                ...(token ? { continuationToken: token } : {}),
                ...(page.truncated ? { nextContinuationToken: Buffer.from(page.last!, 'utf8').toString('base64url') } : {}),
                ...(query.get('start-after') ? { startAfter: query.get('start-after')! } : {}),
              }
            : // S3 gives NextMarker only with a delimiter; without one the client continues from the last key.
              { version: 1 as const, marker, ...(page.truncated && delimiter !== undefined ? { nextMarker: page.last! } : {}) }),
        });
        return send(200, { 'content-type': 'application/xml' }, body);
      }
      if (method === 'DELETE' && [...query.keys()].length === 0) {
        const answer = await ask(req, {
          ...policyOf(b),
          authorizations: [{ action: 's3:DeleteBucket', resource: bucketArn, ...common }],
          event: { eventName: 'DeleteBucket', category: 'Management', readOnly: false, requestParameters: { bucketName, Host: host }, resources: [bucketResource(b)] },
        });
        if (!answer.allowed) throw denial(answer);
        if (!(await store.deleteBucketIfEmpty(bucketName))) throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: bucketName });
        return send(204, {});
      }
      throw new S3Error(501, 'NotImplemented', `${method} on a bucket is not part of this example`);
    }

    /**
     * ListObjectVersions of a bucket never versioned (buckets here never are): each object is its one
     * version, `null`, listed as ListObjects lists it, the key marker standing for the page's start (a
     * version id marker can only be `null`, the one version, which it passes). Authorized as
     * s3:ListBucketVersions with s3:prefix, s3:delimiter and s3:max-keys, as S3 does.
     */
    async function listVersions(b: Bucket, prefix: string, delimiter: string | undefined, maxKeys: number): Promise<void> {
      const keyMarker = query.get('key-marker') ?? '';
      const versionIdMarker = query.get('version-id-marker') ?? '';
      const answer = await ask(req, {
        ...policyOf(b),
        authorizations: [{ action: 's3:ListBucketVersions', resource: bucketArn, resourceAccount: b.ownerAccountId }],
        conditionKeys: { 's3:prefix': prefix, ...(delimiter !== undefined ? { 's3:delimiter': delimiter } : {}), 's3:max-keys': String(maxKeys) },
        event: { eventName: 'ListObjectVersions', readOnly: true, requestParameters: { bucketName, Host: host, versions: '', prefix, ...(delimiter !== undefined ? { delimiter } : {}) }, resources: [bucketResource(b)] },
      });
      if (!answer.allowed) throw denial(answer);
      if (versionIdMarker !== '' && keyMarker === '') throw new S3Error(400, 'InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
      if (versionIdMarker !== '' && versionIdMarker !== 'null') throw new S3Error(400, 'InvalidArgument', 'Invalid version id specified', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
      const page = listPage(await store.listObjects(bucketName), { prefix, ...(delimiter !== undefined ? { delimiter } : {}), maxKeys, after: keyMarker });
      const lastIsKey = page.contents.length > 0 && page.contents[page.contents.length - 1]!.key === page.last;
      return send(200, { 'content-type': 'application/xml' }, listVersionsXml({
        bucket: bucketName, ownerId: b.ownerAccountId, prefix, ...(delimiter !== undefined ? { delimiter } : {}), maxKeys, keyMarker, versionIdMarker,
        contents: page.contents, commonPrefixes: page.commonPrefixes, truncated: page.truncated, ...(page.last !== undefined ? { nextKeyMarker: page.last } : {}), nextIsKey: lastIsKey,
        urlEncode: query.get('encoding-type') === 'url',
      }));
    }

    /**
     * DeleteObjects: each key is authorized as s3:DeleteObject on its own ARN, as S3 does, in
     * batches (one AuthorizeRequest call, and one DeleteObjects data event, per batch); a denied key
     * is an AccessDenied entry of the answer, not a failure of the request. Nothing is decided or
     * recorded before the body is verified, and only the verified (decoded) bytes are parsed.
     */
    async function deleteObjects(b: Bucket): Promise<void> {
      // Asked before the body is read, as PutObject is: who is calling, and how the body was signed.
      // The keys are not known yet: this ask's decision is not used and it records no data event.
      const signed = await ask(req, { authorizations: [{ action: 's3:DeleteObject', resource: `${bucketArn}/*`, resourceAccount: b.ownerAccountId }] });
      if (!declaresIntegrity(req.headers)) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
      const tooBig = () => new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.');
      const chunked = signed.payload.kind === 'streaming-signed' || signed.payload.kind === 'streaming-unsigned-trailer';
      const wireLimit = chunked ? MAX_DELETE_WIRE : MAX_DELETE_BODY;
      const declared = (name: string): number => Number(one(req.headers[name]) ?? 0);
      if (declared('content-length') > wireLimit || declared('x-amz-decoded-content-length') > MAX_DELETE_BODY) throw tooBig();
      // The decoded bytes, kept only once receiveBody has checked them (signature, digest, checksum).
      const parts: Buffer[] = [];
      let size = 0;
      const document = {
        write: async (data: Buffer) => {
          size += data.length;
          if (size > MAX_DELETE_BODY) throw tooBig();
          parts.push(data);
        },
        abort: async () => void (parts.length = 0),
      };
      await receiveBody(req, signed, document, upTo(req as AsyncIterable<Buffer>, wireLimit, tooBig));
      const parsed = parseDeleteObjects(Buffer.concat(parts).toString('utf8'));
      if (!parsed || parsed.objects.length > MAX_DELETE_KEYS) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
      const tooLong = parsed.objects.find((o) => Buffer.byteLength(o.key, 'utf8') > MAX_KEY_BYTES);
      if (tooLong) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Size: String(Buffer.byteLength(tooLong.key, 'utf8')), MaxSizeAllowed: String(MAX_KEY_BYTES) });
      const batches: Array<typeof parsed.objects> = [];
      for (let i = 0; i < parsed.objects.length; i += DELETE_BATCH) batches.push(parsed.objects.slice(i, i + DELETE_BATCH));
      type Outcome = { key: string; versionId?: string; error?: { code: string; message: string } };
      const outcomes: Outcome[][] = [];
      // Each batch is decided (its event recorded), then its allowed keys deleted, a few batches at a time.
      await eachLimited(batches, DELETE_CONCURRENCY, async (batch, n) => {
        let answer: AuthorizationAnswer & { authenticated: true };
        try {
          answer = await ask(req, {
            ...policyOf(b),
            authorizations: batch.map((o) => ({ action: o.unsupported === 'VersionId' || o.versionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: `${bucketArn}/${o.key}`, resourceAccount: b.ownerAccountId })),
            event: { eventName: 'DeleteObjects', readOnly: false, requestParameters: { bucketName, Host: host, delete: '' }, resources: [...batch.map((o) => ({ type: 'AWS::S3::Object', arn: `${bucketArn}/${o.key}` })), bucketResource(b)] },
          });
        } catch (err) {
          // A call that failed (throttled, Castellan out of reach) or a request no longer authenticated
          // fails its batch's keys, each an error entry as S3 gives one; the other batches go on.
          if (!(err instanceof S3Error)) console.error(err);
          const e = err instanceof S3Error ? err : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
          outcomes[n] = batch.map((o) => ({ key: o.key, error: { code: e.code, message: e.message } }));
          return;
        }
        const done: Outcome[] = [];
        for (const [i, o] of batch.entries()) {
          if (answer.decisions[i]?.effect !== 'allow') done.push({ key: o.key, error: { code: 'AccessDenied', message: 'Access Denied' } });
          else if (o.unsupported) done.push({ key: o.key, error: { code: 'NotImplemented', message: `${o.unsupported} in DeleteObjects is not part of this example` } });
          else {
            // A key the store fails to delete (an I/O error) is an InternalError entry, as S3 gives
            // one; the other keys go on.
            try {
              await store.deleteObject(bucketName, o.key);
              done.push({ key: o.key, ...(o.versionId !== undefined ? { versionId: o.versionId } : {}) });
            } catch (err) {
              console.error(err);
              done.push({ key: o.key, error: { code: 'InternalError', message: 'We encountered an internal error. Please try again.' } });
            }
          }
        }
        outcomes[n] = done;
      });
      const all = outcomes.flat();
      const deleted = all.filter((o) => !o.error).map((o) => ({ key: o.key, ...(o.versionId !== undefined ? { versionId: o.versionId } : {}) }));
      const errors = all.flatMap((o) => (o.error ? [{ key: o.key, ...o.error }] : []));
      return send(200, { 'content-type': 'application/xml' }, deleteResultXml(parsed.quiet ? [] : deleted, errors));
    }

    const b = owned(bucket);
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Size: String(Buffer.byteLength(key, 'utf8')), MaxSizeAllowed: String(MAX_KEY_BYTES) });
    const objectArn = `${bucketArn}/${key}`;
    const common = { resourceAccount: b.ownerAccountId };
    const resources = [{ type: 'AWS::S3::Object', arn: objectArn }, bucketResource(b)];
    const requestParameters = { bucketName, key, Host: host };
    const uploadId = query.get('uploadId');
    /** S3 authorizes every step of a multipart upload as s3:PutObject, and aborting as s3:AbortMultipartUpload. */
    const decide = async (action: string, eventName: string, readOnly: boolean, extra: Record<string, string> = {}, alsoAction?: string, keys: Record<string, string> = {}) => {
      const conditionKeys = { ...(action === 's3:PutObject' && req.headers['x-amz-acl'] ? { 's3:x-amz-acl': String(req.headers['x-amz-acl']) } : {}), ...keys };
      const answer = await ask(req, {
        ...policyOf(b),
        authorizations: [{ action, resource: objectArn, ...common }, ...(alsoAction ? [{ action: alsoAction, resource: objectArn, ...common }] : [])],
        ...(Object.keys(conditionKeys).length > 0 ? { conditionKeys } : {}),
        event: { eventName, readOnly, requestParameters: { ...requestParameters, ...extra }, resources },
      });
      if (!answer.allowed) throw denial(answer);
      return answer;
    };
    /** The condition keys of a conditional request (s3:if-match, s3:if-none-match), by which a policy can require one. */
    const conditionalKeys = (): Record<string, string> => ({
      ...(req.headers['if-match'] !== undefined ? { 's3:if-match': String(req.headers['if-match']) } : {}),
      ...(req.headers['if-none-match'] !== undefined ? { 's3:if-none-match': String(req.headers['if-none-match']) } : {}),
    });
    /**
     * s3:ObjectCreationOperation is a Bool, as in AWS: "true" for the operations that create the
     * object (PutObject, CompleteMultipartUpload), "false" for the multipart steps that do not take
     * conditional headers, so a policy requiring If-None-Match can exempt them.
     */
    const creationKeys = (creates: boolean): Record<string, string> => ({ 's3:ObjectCreationOperation': String(creates), ...(creates ? conditionalKeys() : {}) });
    /**
     * A write's headers that ask for what the example does not do, refused once the request is
     * authenticated, authorized and recorded (as every request is), and before its body is read:
     * the refusal reads nothing, and the error handler then discards the body unread.
     */
    const refuseWriteHeaders = (): void => {
      // Objects here never have tags: a write that would give some is refused, not stored without them.
      if ((method === 'PUT' || method === 'POST') && req.headers['x-amz-tagging'] !== undefined) throw new S3Error(501, 'NotImplemented', 'Object tags (x-amz-tagging) are not part of this example', { Header: 'x-amz-tagging' });
      if (method === 'PUT' && String(req.headers['x-amz-tagging-directive'] ?? 'COPY').toUpperCase() !== 'COPY') throw new S3Error(501, 'NotImplemented', 'Object tags (x-amz-tagging-directive) are not part of this example', { Header: 'x-amz-tagging-directive' });
      // A plain body without a length (HTTP chunked) S3 refuses on every PUT, as this does; an
      // aws-chunked one (STREAMING-…, its decoded length declared) is what the SDKs send chunked.
      if (method === 'PUT' && req.headers['transfer-encoding'] !== undefined && !String(one(req.headers['x-amz-content-sha256']) ?? '').startsWith('STREAMING-')) throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'Transfer-Encoding' });
      // ACLs other than the owner's, storage classes, encryption, Object Lock: refused, not ignored.
      const refusal = (method === 'PUT' && uploadId === null) || (method === 'POST' && query.has('uploads')) ? refusedObjectWriteHeader(req.headers) : undefined;
      if (refusal) throw headerError(refusal);
    };
    /**
     * An upload's body must have a length: `Content-Length`, or HTTP chunked framing (taken for the
     * SDKs' aws-chunked bodies only, above). With neither, S3 answers 411 MissingContentLength rather
     * than store an empty object; so does this, once the request is authorized and recorded.
     */
    const requireLength = (): void => {
      if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    };
    const upload = async () => {
      const found = uploadId ? await store.getUpload(bucketName, uploadId) : undefined;
      if (!found || found.key !== key) throw new S3Error(404, 'NoSuchUpload', NO_SUCH_UPLOAD, { UploadId: uploadId ?? '' });
      return found;
    };
    /**
     * The check of a conditional write (PutObject, CopyObject), made before the body is read (a
     * refused upload is not sent for nothing); returned is the check made again as the object is
     * replaced, so of two concurrent conditional writes the first to finish wins and the other gets
     * 412, as on S3. An object deleted while an If-Match write was under way is S3's 409
     * ConditionalRequestConflict (the client may retry), not a 404.
     */
    const conditionalWrite = async (): Promise<((existing: ObjectMeta | undefined) => void) | undefined> => {
      if (req.headers['if-match'] === undefined && req.headers['if-none-match'] === undefined) return undefined;
      const check = (existing: ObjectMeta | undefined): void => {
        const outcome = writeConditions(req.headers, existing);
        if (outcome.kind === 'not-implemented') throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: outcome.header });
        if (outcome.kind === 'no-such-key') throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        if (outcome.kind === 'failed') throw preconditionFailed(outcome.condition);
      };
      const before = await store.headObject(bucketName, key);
      check(before);
      return (existing) => {
        if (before && !existing) throw new S3Error(409, 'ConditionalRequestConflict', CONDITIONAL_CONFLICT, { Key: key });
        check(existing);
      };
    };

    /**
     * CopyObject and UploadPartCopy: s3:GetObject on the source and s3:PutObject on the destination,
     * as S3 authorizes them. One AuthorizeRequest call when both are in one bucket (one bucket
     * policy); otherwise the source is asked first, with its own bucket's policy and no event of its
     * own, then the destination with the operation's data event. A denied source is asked again with
     * the event, so the refused copy is in the caller's trail as every other refusal is.
     */
    async function copy(): Promise<void> {
      const partCopy = uploadId !== null;
      const header = String(req.headers['x-amz-copy-source']);
      const source = parseCopySource(header);
      if (!source.ok) throw new S3Error(400, 'InvalidArgument', source.message, { ArgumentName: 'x-amz-copy-source', ArgumentValue: header });
      if (source.versionId !== undefined) throw new S3Error(501, 'NotImplemented', 'A versionId in x-amz-copy-source is not part of this example (objects have no versions)');
      // A name that is no bucket's is never read from disk (`..` would leave the data folder).
      const srcBucket = BUCKET_NAME.test(source.bucket) ? await store.getBucket(source.bucket) : undefined;
      const srcArn = `arn:aws:s3:::${source.bucket}/${source.key}`;
      const directive = one(req.headers['x-amz-metadata-directive']);
      const conditionKeys: Record<string, string> = {
        // The source as parsed and decoded, never the header as spelt: `/bkt/k`, `bkt/k` and
        // `bkt/%6B` name one object, and a policy's StringLike on it must not be dodged by spelling.
        's3:x-amz-copy-source': `${source.bucket}/${source.key}${source.versionId !== undefined ? `?versionId=${source.versionId}` : ''}`,
        ...(directive !== undefined ? { 's3:x-amz-metadata-directive': directive } : {}),
        ...(req.headers['x-amz-acl'] ? { 's3:x-amz-acl': String(req.headers['x-amz-acl']) } : {}),
        ...creationKeys(!partCopy),
      };
      const write = [{ action: 's3:PutObject', resource: objectArn, ...common }, ...(!partCopy && req.headers['if-match'] !== undefined ? [{ action: 's3:GetObject', resource: objectArn, ...common }] : [])];
      const event = {
        eventName: partCopy ? 'UploadPartCopy' : 'CopyObject',
        readOnly: false,
        requestParameters: { ...requestParameters, 'x-amz-copy-source': header, ...(partCopy ? { uploadId: uploadId!, partNumber: String(query.get('partNumber')) } : {}) },
        resources: [...resources, { type: 'AWS::S3::Object', arn: srcArn }, ...(source.bucket !== bucketName ? [{ type: 'AWS::S3::Bucket', arn: `arn:aws:s3:::${source.bucket}`, ...(srcBucket ? { accountId: srcBucket.ownerAccountId } : {}) }] : [])],
      };
      if (!srcBucket) {
        // The caller is authenticated (and the destination decided, the event recorded) before
        // learning that the source bucket does not exist.
        const toDestination = await ask(req, { ...policyOf(b), authorizations: write, conditionKeys, event });
        if (!toDestination.allowed) throw denial(toDestination);
        throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: source.bucket });
      }
      const read = { action: 's3:GetObject', resource: srcArn, resourceAccount: srcBucket.ownerAccountId };
      if (source.bucket === bucketName) {
        const answer = await ask(req, { ...policyOf(b), authorizations: [read, ...write], conditionKeys, event });
        if (!answer.allowed) throw denial(answer);
      } else {
        const fromSource = await ask(req, { ...policyOf(srcBucket), authorizations: [read], conditionKeys });
        if (!fromSource.allowed) {
          // Asked again with the event: the refused CopyObject is recorded in the caller's trail.
          const recorded = await ask(req, { ...policyOf(srcBucket), authorizations: [read], conditionKeys, event });
          throw denial(recorded.allowed ? fromSource : recorded);
        }
        const toDestination = await ask(req, { ...policyOf(b), authorizations: write, conditionKeys, event });
        if (!toDestination.allowed) throw denial(toDestination);
      }
      refuseWriteHeaders();
      await readAll(req, 1024 * 1024);
      let partNumber = 0;
      if (partCopy) {
        partNumber = Number(query.get('partNumber'));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
          throw new S3Error(400, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, { ArgumentName: 'partNumber', ArgumentValue: String(query.get('partNumber')) });
        }
        await upload();
      } else {
        if (directive !== undefined && directive !== 'COPY' && directive !== 'REPLACE') throw new S3Error(400, 'InvalidArgument', 'Unknown metadata directive.', { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive });
        if (source.bucket === bucketName && source.key === key && directive !== 'REPLACE') {
          throw new S3Error(400, 'InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
      }
      const found = await store.openObject(source.bucket, source.key);
      if (!found) throw await missingKey(req, srcBucket, source.key);
      try {
        const m = found.meta;
        // The source's conditions (x-amz-copy-source-if-*): any that does not hold is 412, 304 included.
        const h = req.headers;
        const condition = readConditions({ 'if-match': h['x-amz-copy-source-if-match'], 'if-none-match': h['x-amz-copy-source-if-none-match'], 'if-modified-since': h['x-amz-copy-source-if-modified-since'], 'if-unmodified-since': h['x-amz-copy-source-if-unmodified-since'] }, m);
        if (condition.kind === 'failed') throw preconditionFailed(`x-amz-copy-source-${condition.condition}`);
        if (condition.kind === 'not-modified') throw preconditionFailed(h['x-amz-copy-source-if-none-match'] !== undefined ? 'x-amz-copy-source-If-None-Match' : 'x-amz-copy-source-If-Modified-Since');
        const lastModified = new Date().toISOString();
        if (partCopy) {
          const rangeHeader = one(h['x-amz-copy-source-range']);
          const range = parseCopyRange(rangeHeader, m.size);
          if (range.kind === 'invalid') throw new S3Error(400, 'InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: String(rangeHeader) });
          if (range.kind === 'unsatisfiable') throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: String(rangeHeader), ActualObjectSize: String(m.size) });
          const writer = await store.newPart(bucketName, uploadId!);
          const copied = await copyData(found.read(range.kind === 'range' ? range : undefined), writer);
          await writer.commit({ partNumber, size: copied.size, etag: copied.etag });
          return send(200, { 'content-type': 'application/xml' }, copyResultXml('CopyPartResult', copied.etag, lastModified));
        }
        const writer = await store.newObject(b.name, await conditionalWrite());
        const copied = await copyData(found.read(), writer);
        const replace = directive === 'REPLACE';
        await writer.commit({
          key, size: copied.size, etag: copied.etag, lastModified,
          contentType: replace ? String(req.headers['content-type'] ?? 'binary/octet-stream') : m.contentType,
          metadata: replace ? userMetadata(req) : (m.metadata ?? {}),
          // The data is the source's: so is its checksum.
          ...(m.checksum ? { checksum: m.checksum } : {}),
        });
        return send(200, { 'content-type': 'application/xml' }, copyResultXml('CopyObjectResult', copied.etag, lastModified, m.checksum));
      } finally {
        await found.close();
      }
    }

    if (query.has('acl')) return acl(b);
    if (method === 'GET' && query.has('tagging')) {
      // GetObjectTagging (the AWS CLI asks for it before copying an object in parts): an object's
      // tag set, always empty here.
      await decide('s3:GetObjectTagging', 'GetObjectTagging', true, { tagging: '' });
      if (!(await store.headObject(bucketName, key))) throw await missingKey(req, b, key);
      return send(200, { 'content-type': 'application/xml' }, getObjectTaggingXml());
    }
    if (method === 'POST' && query.has('uploads')) {
      await decide('s3:PutObject', 'CreateMultipartUpload', false, {}, undefined, creationKeys(false));
      refuseWriteHeaders();
      const created = await store.createUpload(bucketName, { key, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'), metadata: userMetadata(req), initiated: new Date().toISOString() });
      return send(200, { 'content-type': 'application/xml' }, initiateMultipartUploadXml(bucketName, key, created.uploadId));
    }
    // CopyObject and UploadPartCopy are PUTs without a body: never taken for uploads.
    if (method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined && (uploadId === null || query.has('partNumber'))) return copy();
    if (method === 'PUT' && uploadId !== null && query.has('partNumber')) {
      const partNumber = Number(query.get('partNumber'));
      const answer = await decide('s3:PutObject', 'UploadPart', false, { partNumber: String(query.get('partNumber')), uploadId }, undefined, creationKeys(false));
      refuseWriteHeaders();
      requireLength();
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
        throw new S3Error(400, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, { ArgumentName: 'partNumber', ArgumentValue: String(query.get('partNumber')) });
      }
      await upload();
      const writer = await store.newPart(bucketName, uploadId);
      const body = await receiveBody(req, answer, writer);
      await writer.commit({ partNumber, size: body.size, etag: body.etag, ...(body.checksum ? { checksum: body.checksum } : {}) });
      return send(200, { etag: `"${body.etag}"`, ...(body.checksum ? { [checksumHeader(body.checksum)]: body.checksum.value } : {}) }, '');
    }
    if (method === 'POST' && uploadId !== null) {
      await decide('s3:PutObject', 'CompleteMultipartUpload', false, { uploadId }, undefined, creationKeys(true));
      refuseWriteHeaders();
      // Its conditional writes are not built: refused rather than completed as if unconditional.
      if (req.headers['if-match'] !== undefined || req.headers['if-none-match'] !== undefined) {
        throw new S3Error(501, 'NotImplemented', 'A conditional CompleteMultipartUpload (If-Match, If-None-Match) is not part of this example');
      }
      const found = await upload();
      const listed = parseCompleteMultipartUpload((await readAll(req, 1024 * 1024, () => new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.'))).toString('utf8'));
      if (!listed) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
      for (const [i, p] of listed.entries()) {
        if (i > 0 && p.partNumber <= listed[i - 1]!.partNumber) throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { UploadId: uploadId });
      }
      // Checked on the records of the part files the store has opened and copies: a part uploaded
      // again meanwhile is either wholly used (its ETag listed) or refused, never half.
      // Each part is checked as it is opened, so a bad one stops the completion before the rest are opened.
      const checkPart = (part: PartRecord | undefined, i: number): void => {
        const p = listed[i]!;
        if (!part || part.etag !== p.etag) throw new S3Error(400, 'InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", { UploadId: uploadId, PartNumber: String(p.partNumber), ETag: p.etag });
        if (i < listed.length - 1 && part.size < MIN_PART_SIZE) throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', { ProposedSize: String(part.size), MinSizeAllowed: String(MIN_PART_SIZE), PartNumber: String(p.partNumber), ETag: p.etag });
      };
      const { etag } = await store.completeUpload(bucketName, uploadId, listed.map((p) => p.partNumber), checkPart, (records) => {
        // S3's multipart ETag: the MD5 of the parts' binary MD5s, then "-" and the number of parts.
        const etag = `${createHash('md5').update(Buffer.concat(records.map((p) => Buffer.from(p.etag, 'hex')))).digest('hex')}-${records.length}`;
        const size = records.reduce((n, p) => n + p.size, 0);
        return { key, size, etag, lastModified: new Date().toISOString(), contentType: found.contentType, metadata: found.metadata };
      });
      return send(200, { 'content-type': 'application/xml' }, completeMultipartUploadXml(`http://${host}/${virtual ? '' : `${bucketName}/`}${encodeURIComponent(key).replace(/%2F/g, '/')}`, bucketName, key, etag));
    }
    if (method === 'DELETE' && uploadId !== null) {
      await decide('s3:AbortMultipartUpload', 'AbortMultipartUpload', false, { uploadId });
      await upload();
      await store.abortUpload(bucketName, uploadId);
      return send(204, {});
    }
    if (uploadId !== null || query.has('uploads')) throw new S3Error(501, 'NotImplemented', 'Of the multipart operations, this example has CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload and AbortMultipartUpload');
    if (method === 'PUT') {
      // A conditional write on the ETag reads the object too: S3 asks for s3:GetObject as well.
      const answer = await decide('s3:PutObject', 'PutObject', false, {}, req.headers['if-match'] !== undefined ? 's3:GetObject' : undefined, creationKeys(true));
      refuseWriteHeaders();
      requireLength();
      const writer = await store.newObject(b.name, await conditionalWrite());
      const body = await receiveBody(req, answer, writer);
      await writer.commit({ key, size: body.size, etag: body.etag, lastModified: new Date().toISOString(), contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'), metadata: userMetadata(req), ...(body.checksum ? { checksum: body.checksum } : {}) });
      return send(200, { etag: `"${body.etag}"`, ...(body.checksum ? { [checksumHeader(body.checksum)]: body.checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' } : {}) }, '');
    }
    if (method === 'GET' || method === 'HEAD') {
      const eventName = method === 'GET' ? 'GetObject' : 'HeadObject';
      const answer = await ask(req, { ...policyOf(b), authorizations: [{ action: 's3:GetObject', resource: objectArn, ...common }], event: { eventName, readOnly: true, requestParameters, resources } });
      if (!answer.allowed) throw denial(answer);
      // The object's file is opened once: the headers and the data are of the same version.
      const found = await store.openObject(bucketName, key);
      if (!found) throw await missingKey(req, b, key);
      try {
        const m = found.meta;
        const condition = readConditions(req.headers, m);
        if (condition.kind === 'failed') throw preconditionFailed(condition.condition);
        if (condition.kind === 'not-modified') {
          res.writeHead(304, { etag: `"${m.etag}"`, 'last-modified': new Date(m.lastModified).toUTCString(), 'x-amz-request-id': requestId });
          return void res.end();
        }
        const rangeHeader = req.headers.range;
        const range = parseRange(rangeHeader, m.size);
        if (range.kind === 'unsatisfiable') throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: String(rangeHeader), ActualObjectSize: String(m.size) });
        // The stored checksum covers the whole object: returned when asked for, and not with a part of it.
        const checksum = req.headers['x-amz-checksum-mode'] === 'ENABLED' && range.kind === 'whole' && m.checksum ? { [checksumHeader(m.checksum)]: m.checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' } : {};
        const headers = {
          'content-type': m.contentType, etag: `"${m.etag}"`, 'last-modified': new Date(m.lastModified).toUTCString(), 'accept-ranges': 'bytes', 'x-amz-request-id': requestId,
          ...metadataHeaders(m.metadata), ...checksum,
          ...(range.kind === 'partial' ? { 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${m.size}` } : { 'content-length': m.size }),
        };
        res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
        if (method === 'HEAD') return void res.end();
        // pipeline stops reading when the client goes away; the file is closed below either way.
        await pipeline(found.read(range.kind === 'partial' ? range : undefined), res).catch((err: NodeJS.ErrnoException) => {
          // The headers are out: the only answer left is to cut the response. A client that went away is no failure.
          if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(err);
          res.destroy();
        });
        return;
      } finally {
        await found.close();
      }
    }
    if (method === 'DELETE') {
      // A conditional delete on an ETag reads the object too: S3 asks for s3:GetObject as well.
      const ifMatch = req.headers['if-match'];
      await decide('s3:DeleteObject', 'DeleteObject', false, {}, ifMatch !== undefined && ifMatch.trim() !== '*' ? 's3:GetObject' : undefined, conditionalKeys());
      await store.deleteObject(bucketName, key, ifMatch === undefined ? undefined : (existing) => {
        const outcome = deleteConditions(req.headers, existing);
        if (outcome.kind === 'no-such-key') throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        if (outcome.kind === 'failed') throw preconditionFailed(outcome.condition);
      });
      return send(204, {});
    }
    throw new S3Error(501, 'NotImplemented', `${method} on an object is not part of this example`);
  }

  /**
   * Streams a PutObject's or UploadPart's body (or `body`, the request's bytes as DeleteObjects limits
   * them) to `writer`, checking it against what the signature declared (the SHA-256, or each chunk's
   * signature) and what the headers or trailer declared (Content-MD5, `x-amz-checksum-*`). Aborts
   * the writer when anything does not match.
   */
  async function receiveBody(
    req: http.IncomingMessage,
    answer: AuthorizationAnswer & { authenticated: true },
    writer: { write(data: Buffer): Promise<void>; abort(): Promise<void> },
    body: AsyncIterable<Buffer> | Iterable<Buffer> = req as AsyncIterable<Buffer>,
  ): Promise<{ size: number; etag: string; checksum?: StoredChecksum }> {
    const md5 = createHash('md5');
    const sha = createHash('sha256');
    let size = 0;
    const payload = answer.payload;
    const chunked = payload.kind === 'streaming-signed' || payload.kind === 'streaming-unsigned-trailer';
    const write = async (data: Buffer) => {
      md5.update(data);
      sha.update(data);
      check.update(data);
      size += data.length;
      await writer.write(data);
    };
    let check: ReturnType<typeof bodyCheck>;
    let checksum: StoredChecksum | undefined;
    try {
      // Castellan gives a service of another account than its client's no signing key for the
      // chunks, unless the operator made it the platform's: unverified chunks are never stored.
      const unverifiable = unverifiableBody(answer);
      if (unverifiable) throw new S3Error(unverifiable.status, unverifiable.code, unverifiable.message);
      check = bodyCheck(req.headers);
      const decoder = chunked
        ? new AwsChunkedDecoder(payload.kind === 'streaming-signed' && answer.streaming?.signingKey !== undefined
            ? { signing: { signingKey: Buffer.from(answer.streaming.signingKey, 'hex'), amzDate: answer.streaming.amzDate, scope: answer.streaming.scope, seedSignature: answer.streaming.seedSignature } }
            : {})
        : undefined;
      for await (const chunk of body) {
        if (decoder) for (const d of decoder.push(chunk)) await write(d);
        else await write(chunk);
      }
      const trailers = decoder ? decoder.end().trailers : {};
      if (payload.kind === 'sha256' && sha.digest('hex') !== payload.sha256.toLowerCase()) {
        throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
      const declared = req.headers['x-amz-decoded-content-length'];
      if (decoder && declared !== undefined && Number(declared) !== size) throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
      checksum = check.finish(trailers);
    } catch (err) {
      await writer.abort();
      throw err;
    }
    return { size, etag: md5.digest('hex'), ...(checksum ? { checksum } : {}) };
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

/** How many Host headers a request carried (Node's `headers` keeps only the first). */
export function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}
