/**
 * Recognises a request signed with AWS Signature Version 2 (`Authorization: AWS <key>:<signature>`,
 * or a presigned URL's `AWSAccessKeyId`, `Signature` and `Expires`), as s3cmd signs URLs
 * (`s3cmd signurl`) and older clients sign everything. AWS has turned Signature Version 2 off for
 * S3: buckets created after June 24, 2020 accept only Version 4 (older buckets in the regions
 * opened before 2014, us-east-1 among them, still may take Version 2), and a Version 2 request is
 * answered 400 `InvalidRequest`. Every bucket here is new, so this example answers so too, rather
 * than taking the request for an anonymous one (403 `AccessDenied`).
 *
 * @module
 */
import { one, type Headers } from './headers.js';

/** S3's message for a Signature Version 2 request where only Version 4 is accepted. */
export const SIGV2_MESSAGE = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';

/** Whether the request is signed with Signature Version 2 (header or presigned query). */
export function signedWithV2(headers: Headers, query: URLSearchParams): boolean {
  const authorization = one(headers['authorization']);
  // SigV4 is `AWS4-HMAC-SHA256 Credential=…` (SigV4A `AWS4-ECDSA-P256-SHA256`): never `AWS ` and a colon.
  if (authorization !== undefined) return /^\s*AWS\s+[^\s:]+:/.test(authorization);
  return query.has('AWSAccessKeyId') && query.has('Signature') && !query.has('X-Amz-Algorithm');
}
