/**
 * Headers of a write (PutObject, CopyObject, CreateMultipartUpload, CreateBucket) that ask for
 * something the example does not do: refused as S3 refuses them, never stored without effect.
 *
 * - ACLs: buckets behave as S3's have by default since April 2023, Object Ownership "bucket owner
 *   enforced" (ACLs disabled): a write may name no ACL, `private` or `bucket-owner-full-control`;
 *   any other canned ACL or an `x-amz-grant-*` header is S3's 400 (`AccessControlListNotSupported`,
 *   for a bucket `InvalidBucketAclWithObjectOwnership`). rclone sends `x-amz-acl: private` always.
 * - Storage classes other than STANDARD (`s3cmd --storage-class`, `rclone settier`): 501; a name S3
 *   does not know is its 400 `InvalidStorageClass`.
 * - Server-side encryption (`x-amz-server-side-encryption*`, SSE-C's customer key included): 501,
 *   since the example keeps objects in plain files and must not answer as if they were encrypted.
 * - Object Lock and another object ownership on CreateBucket: 501.
 * - PutBucketAcl and PutObjectAcl: as a write, `private` and `bucket-owner-full-control` only; any other is S3's 400
 *   `AccessControlListNotSupported` (AWS's Object Ownership troubleshooting page).
 *
 * @module
 */
import { one, type Headers } from './headers.js';

/** Why a write's header is refused: S3's status, code and message, and the header named. */
export interface HeaderRefusal {
  status: number;
  code: string;
  message: string;
  header: string;
}

const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE']);
/**
 * The canned ACLs a write may name with ACLs disabled, on a bucket or an object alike. S3 accepts a
 * PUT "that doesn't specify an ACL or specifies bucket owner full control ACLs" (the Object
 * Ownership troubleshooting page; CreateBucket's ObjectOwnership member says the same), and its
 * canned-ACL table says `bucket-owner-full-control` is ignored when creating a bucket. `private`
 * is taken too (rclone sends it on every write): a CreateBucket naming it makes a bucket like any
 * other here, where S3 may make it with ACLs enabled ("bucket owner preferred"): third-party
 * reports only, unverified.
 */
const OWNER_ACLS = new Set(['private', 'bucket-owner-full-control']);

const notImplemented = (header: string, what: string): HeaderRefusal => ({ status: 501, code: 'NotImplemented', message: `${what} (${header}) is not part of this example`, header });
const grantHeader = (headers: Headers): string | undefined => Object.keys(headers).find((h) => h.startsWith('x-amz-grant-'));
const NO_ACLS = { code: 'AccessControlListNotSupported', message: 'The bucket does not allow ACLs' } as const;

/** The refusal of an ACL the request sets (a canned ACL not in `allowed`, or any grant header), if any. */
function aclRefusal(headers: Headers, allowed: ReadonlySet<string>, refusal: { code: string; message: string }): HeaderRefusal | undefined {
  const acl = one(headers['x-amz-acl']);
  const grant = grantHeader(headers);
  if ((acl !== undefined && !allowed.has(acl)) || grant !== undefined) return { status: 400, ...refusal, header: grant ?? 'x-amz-acl' };
  return undefined;
}

/** The refusal of an object write's headers (PutObject, CopyObject, CreateMultipartUpload), if any. */
export function refusedObjectWriteHeader(headers: Headers): HeaderRefusal | undefined {
  const acl = aclRefusal(headers, OWNER_ACLS, NO_ACLS);
  if (acl !== undefined) return acl;
  const storageClass = one(headers['x-amz-storage-class']);
  if (storageClass !== undefined && storageClass !== 'STANDARD') {
    if (!STORAGE_CLASSES.has(storageClass)) return { status: 400, code: 'InvalidStorageClass', message: 'The storage class you specified is not valid', header: 'x-amz-storage-class' };
    return notImplemented('x-amz-storage-class', `The storage class ${storageClass}`);
  }
  const encryption = Object.keys(headers).find((h) => h.startsWith('x-amz-server-side-encryption'));
  if (encryption !== undefined) return notImplemented(encryption, 'Server-side encryption');
  const lock = Object.keys(headers).find((h) => h.startsWith('x-amz-object-lock-'));
  if (lock !== undefined) return notImplemented(lock, 'Object Lock');
  return undefined;
}

/** The refusal of a CreateBucket's headers, if any. */
export function refusedBucketWriteHeader(headers: Headers): HeaderRefusal | undefined {
  const acl = aclRefusal(headers, OWNER_ACLS, { code: 'InvalidBucketAclWithObjectOwnership', message: "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting" });
  if (acl !== undefined) return acl;
  const ownership = one(headers['x-amz-object-ownership']);
  if (ownership !== undefined && ownership !== 'BucketOwnerEnforced') return notImplemented('x-amz-object-ownership', `Object ownership ${ownership}`);
  if (one(headers['x-amz-bucket-object-lock-enabled'])?.toLowerCase() === 'true') return notImplemented('x-amz-bucket-object-lock-enabled', 'Object Lock');
  return undefined;
}

/**
 * The refusal of a PutBucketAcl's or PutObjectAcl's headers, if any: with ACLs disabled only the
 * owner's canned ACLs are taken (they change nothing); another or a grant header is S3's 400
 * `AccessControlListNotSupported`.
 */
export function refusedAclHeader(headers: Headers): HeaderRefusal | undefined {
  return aclRefusal(headers, OWNER_ACLS, NO_ACLS);
}
