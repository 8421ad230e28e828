/** S3's XML answers (the REST-XML protocol of the S3 model). */
import type { ObjectMeta } from './bucket-store.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** XML text escaping. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** S3's error document. */
export function errorXml(code: string, message: string, requestId: string, extra: Record<string, string> = {}): string {
  const more = Object.entries(extra).map(([k, v]) => `<${k}>${xml(v)}</${k}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message>${more}<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
}

/** The ListObjects (version 1) or ListObjectsV2 answer. */
export function listObjectsXml(r: {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  contents: ObjectMeta[];
  commonPrefixes: string[];
  truncated: boolean;
  urlEncode: boolean;
} & (
  | { version: 1; marker: string; nextMarker?: string }
  | { version: 2; continuationToken?: string; nextContinuationToken?: string; startAfter?: string }
)): string {
  const enc = (s: string) => xml(r.urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}">`,
    `<Name>${xml(r.bucket)}</Name><Prefix>${enc(r.prefix)}</Prefix>`,
    r.version === 1 ? `<Marker>${enc(r.marker)}</Marker>` : `<KeyCount>${r.contents.length + r.commonPrefixes.length}</KeyCount>`,
    `<MaxKeys>${r.maxKeys}</MaxKeys>`,
    r.delimiter !== undefined ? `<Delimiter>${enc(r.delimiter)}</Delimiter>` : '',
    r.urlEncode ? '<EncodingType>url</EncodingType>' : '',
    `<IsTruncated>${r.truncated}</IsTruncated>`,
    ...(r.version === 1
      ? [r.nextMarker !== undefined ? `<NextMarker>${enc(r.nextMarker)}</NextMarker>` : '']
      : [
          r.continuationToken ? `<ContinuationToken>${xml(r.continuationToken)}</ContinuationToken>` : '',
          r.nextContinuationToken ? `<NextContinuationToken>${xml(r.nextContinuationToken)}</NextContinuationToken>` : '',
          r.startAfter ? `<StartAfter>${enc(r.startAfter)}</StartAfter>` : '',
        ]),
    ...r.contents.map((o) => `<Contents><Key>${enc(o.key)}</Key><LastModified>${o.lastModified}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`),
    ...r.commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`),
    '</ListBucketResult>',
  ];
  return parts.join('');
}

const DOC = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * The ListObjectVersions answer (`ListVersionsResult`) of a bucket never versioned: each object is
 * its one version, `null`, the latest, as S3 lists objects stored while a bucket is unversioned.
 * `nextKeyMarker` is the last entry of a truncated page (a key, then `NextVersionIdMarker` is `null`,
 * or a common prefix).
 */
export function listVersionsXml(r: {
  bucket: string;
  ownerId: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  keyMarker: string;
  versionIdMarker: string;
  contents: ObjectMeta[];
  commonPrefixes: string[];
  truncated: boolean;
  nextKeyMarker?: string;
  nextIsKey: boolean;
  urlEncode: boolean;
}): string {
  const enc = (s: string) => xml(r.urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const owner = `<Owner><ID>${xml(r.ownerId)}</ID></Owner>`;
  return [
    `${DOC}<ListVersionsResult xmlns="${NS}">`,
    `<Name>${xml(r.bucket)}</Name><Prefix>${enc(r.prefix)}</Prefix>`,
    `<KeyMarker>${enc(r.keyMarker)}</KeyMarker><VersionIdMarker>${xml(r.versionIdMarker)}</VersionIdMarker>`,
    r.truncated && r.nextKeyMarker !== undefined ? `<NextKeyMarker>${enc(r.nextKeyMarker)}</NextKeyMarker>${r.nextIsKey ? '<NextVersionIdMarker>null</NextVersionIdMarker>' : ''}` : '',
    `<MaxKeys>${r.maxKeys}</MaxKeys>`,
    r.delimiter !== undefined ? `<Delimiter>${enc(r.delimiter)}</Delimiter>` : '',
    r.urlEncode ? '<EncodingType>url</EncodingType>' : '',
    `<IsTruncated>${r.truncated}</IsTruncated>`,
    ...r.contents.map((o) => `<Version><Key>${enc(o.key)}</Key><VersionId>null</VersionId><IsLatest>true</IsLatest><LastModified>${o.lastModified}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.size}</Size>${owner}<StorageClass>STANDARD</StorageClass></Version>`),
    ...r.commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`),
    '</ListVersionsResult>',
  ].join('');
}

/** The ListBuckets answer: the caller's account's buckets (S3's owner id is the canonical user; here the account id). */
export function listBucketsXml(ownerId: string, buckets: Array<{ name: string; createdAt: string }>): string {
  const items = buckets.map((b) => `<Bucket><Name>${xml(b.name)}</Name><CreationDate>${xml(b.createdAt)}</CreationDate></Bucket>`).join('');
  return `${DOC}<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${xml(ownerId)}</ID></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`;
}

/** The CreateMultipartUpload answer. */
export function initiateMultipartUploadXml(bucket: string, key: string, uploadId: string): string {
  return `${DOC}<InitiateMultipartUploadResult xmlns="${NS}"><Bucket>${xml(bucket)}</Bucket><Key>${xml(key)}</Key><UploadId>${xml(uploadId)}</UploadId></InitiateMultipartUploadResult>`;
}

/** The CompleteMultipartUpload answer. */
export function completeMultipartUploadXml(location: string, bucket: string, key: string, etag: string): string {
  return `${DOC}<CompleteMultipartUploadResult xmlns="${NS}"><Location>${xml(location)}</Location><Bucket>${xml(bucket)}</Bucket><Key>${xml(key)}</Key><ETag>&quot;${xml(etag)}&quot;</ETag></CompleteMultipartUploadResult>`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML's `Char`: what a character reference may name (no NUL, surrogate, U+FFFE/U+FFFF, nothing past U+10FFFF). */
const isXmlChar = (c: number): boolean =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
/**
 * Element text with its references replaced; `undefined` when one names no XML character, or an `&`
 * begins no reference XML defines (`&foo;`, a bare `&`): S3's `MalformedXML`, not literal text.
 */
function unescape(text: string): string | undefined {
  let bad = false;
  const out = text.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));|&/g, (_, name?: string, dec?: string, hex?: string) => {
    if (name !== undefined) return ENTITIES[name]!;
    if (dec === undefined && hex === undefined) {
      bad = true;
      return '';
    }
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
    if (!isXmlChar(code)) {
      bad = true;
      return '';
    }
    return String.fromCodePoint(code);
  });
  return bad ? undefined : out;
}

/**
 * The parts of a CompleteMultipartUpload request body, in the order given; `undefined` when the
 * body is not that document (S3's `MalformedXML`). Only `PartNumber` and `ETag` are read.
 */
export function parseCompleteMultipartUpload(body: string): Array<{ partNumber: number; etag: string }> | undefined {
  if (!/<CompleteMultipartUpload[\s>]/.test(body)) return undefined;
  const parts: Array<{ partNumber: number; etag: string }> = [];
  for (const m of body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const inner = m[1]!;
    const n = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner)?.[1];
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(inner)?.[1];
    const text = etag === undefined ? undefined : unescape(etag);
    if (n === undefined || text === undefined) return undefined;
    parts.push({ partNumber: Number(n), etag: text.trim().replace(/^"|"$/g, '') });
  }
  return parts.length > 0 ? parts : undefined;
}

/** One `<Object>` of a DeleteObjects request. */
export interface DeleteEntry {
  key: string;
  /**
   * `null`, the one version of an object in a bucket never versioned (ListObjectVersions answers it):
   * deleting it deletes the object, as S3 deletes the null version.
   */
  versionId?: 'null';
  /** Another version (`VersionId`) or a condition (`ETag`, `LastModifiedTime`, `Size`) was named: not part of this example. */
  unsupported?: 'VersionId' | 'ETag' | 'LastModifiedTime' | 'Size';
}

/**
 * The DeleteObjects request body (`<Delete><Quiet/><Object><Key/>…</Object>…</Delete>`), or
 * `undefined` when it is not that document (text before or after the `Delete` element included), an
 * object has no key or a reference is not XML's (S3's `MalformedXML`). Keys are
 * taken as written (unescaped, never trimmed: a key may begin or end with spaces).
 */
export function parseDeleteObjects(body: string): { quiet: boolean; objects: DeleteEntry[] } | undefined {
  // Only a byte-order mark, an XML declaration and white space may surround the document element.
  const doc = /^\uFEFF?\s*(?:<\?xml\s[^>]*\?>\s*)?<Delete(?:\s[^>]*)?>([\s\S]*)<\/Delete>\s*$/.exec(body);
  if (!doc) return undefined;
  const inner = doc[1]!;
  const quietText = /<Quiet>\s*(\w+)\s*<\/Quiet>/.exec(inner)?.[1];
  if (quietText !== undefined && quietText !== 'true' && quietText !== 'false') return undefined;
  const objects: DeleteEntry[] = [];
  for (const m of inner.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
    const o = m[1]!;
    const written = /<Key>([\s\S]*?)<\/Key>/.exec(o)?.[1];
    const key = written === undefined ? undefined : unescape(written);
    if (key === undefined || key === '') return undefined;
    const nullVersion = /<VersionId>\s*null\s*<\/VersionId>/.test(o);
    const unsupported = (['VersionId', 'ETag', 'LastModifiedTime', 'Size'] as const).find((name) => (name !== 'VersionId' || !nullVersion) && new RegExp(`<${name}[\\s/>]`).test(o));
    objects.push({ key, ...(nullVersion ? { versionId: 'null' as const } : {}), ...(unsupported ? { unsupported } : {}) });
  }
  return objects.length > 0 ? { quiet: quietText === 'true', objects } : undefined;
}

/** The DeleteObjects answer: the keys deleted (left out in quiet mode; with the version named) and the per-key errors. */
export function deleteResultXml(deleted: Array<{ key: string; versionId?: string }>, errors: Array<{ key: string; code: string; message: string }>): string {
  const d = deleted.map((o) => `<Deleted><Key>${xml(o.key)}</Key>${o.versionId !== undefined ? `<VersionId>${xml(o.versionId)}</VersionId>` : ''}</Deleted>`).join('');
  const e = errors.map((x) => `<Error><Key>${xml(x.key)}</Key><Code>${xml(x.code)}</Code><Message>${xml(x.message)}</Message></Error>`).join('');
  return `${DOC}<DeleteResult xmlns="${NS}">${d}${e}</DeleteResult>`;
}

/** The CopyObject (`CopyObjectResult`) or UploadPartCopy (`CopyPartResult`) answer. */
export function copyResultXml(element: 'CopyObjectResult' | 'CopyPartResult', etag: string, lastModified: string, checksum?: { algorithm: string; value: string }): string {
  const sum = checksum ? `<Checksum${checksum.algorithm}>${xml(checksum.value)}</Checksum${checksum.algorithm}>` : '';
  return `${DOC}<${element} xmlns="${NS}"><ETag>&quot;${xml(etag)}&quot;</ETag><LastModified>${xml(lastModified)}</LastModified>${sum}</${element}>`;
}

/** The GetObjectTagging answer of an object without tags (objects here never have any). */
export function getObjectTaggingXml(): string {
  return `${DOC}<Tagging xmlns="${NS}"><TagSet></TagSet></Tagging>`;
}

/** The GetBucketLocation answer of a bucket in us-east-1: an empty LocationConstraint (S3's `null`). */
export function locationConstraintXml(): string {
  return `${DOC}<LocationConstraint xmlns="${NS}"/>`;
}

/** The GetBucketVersioning answer of a bucket never versioned: no Status (buckets here never are). */
export function versioningConfigurationXml(): string {
  return `${DOC}<VersioningConfiguration xmlns="${NS}"/>`;
}

/**
 * The LocationConstraint of a CreateBucket request body (`<CreateBucketConfiguration>`), `''` when
 * there is no body or no constraint; `undefined` when the body is not that document (S3's
 * `MalformedXML`). Only LocationConstraint is read.
 */
export function parseCreateBucketLocation(body: string): string | undefined {
  if (body.trim() === '') return '';
  if (!/^\uFEFF?\s*(?:<\?xml\s[^>]*\?>\s*)?<CreateBucketConfiguration[\s>/][\s\S]*$/.test(body)) return undefined;
  const written = /<LocationConstraint>([\s\S]*?)<\/LocationConstraint>/.exec(body)?.[1];
  return written === undefined ? '' : unescape(written.trim());
}

/**
 * The GetBucketAcl and GetObjectAcl answer with ACLs disabled (Object Ownership "bucket owner
 * enforced"): the bucket owner, with full control, and no other grant.
 */
export function accessControlPolicyXml(ownerId: string): string {
  const id = xml(ownerId);
  return `${DOC}<AccessControlPolicy xmlns="${NS}"><Owner><ID>${id}</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${id}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`;
}

/** One grant of an AccessControlPolicy document: its grantee's ID (none for a group's URI or an email address) and permission. */
export interface AclGrant {
  granteeId?: string;
  permission: string;
}

/**
 * The grants of a PutBucketAcl or PutObjectAcl body (`<AccessControlPolicy>`), or `undefined` when
 * it is not that document or a grant has no grantee or permission (S3's `MalformedACLError`).
 */
export function parseAccessControlPolicy(body: string): AclGrant[] | undefined {
  const doc = /^\uFEFF?\s*(?:<\?xml\s[^>]*\?>\s*)?<AccessControlPolicy(?:\s[^>]*)?>([\s\S]*)<\/AccessControlPolicy>\s*$/.exec(body);
  if (!doc) return undefined;
  const grants: AclGrant[] = [];
  for (const m of doc[1]!.matchAll(/<Grant>([\s\S]*?)<\/Grant>/g)) {
    const grantee = /<Grantee(?:\s[^>]*)?>([\s\S]*?)<\/Grantee>/.exec(m[1]!)?.[1];
    const permission = /<Permission>\s*([A-Z_]+)\s*<\/Permission>/.exec(m[1]!)?.[1];
    if (grantee === undefined || permission === undefined) return undefined;
    const written = /<ID>([\s\S]*?)<\/ID>/.exec(grantee)?.[1];
    const id = written === undefined ? undefined : unescape(written.trim());
    if (written !== undefined && id === undefined) return undefined;
    grants.push({ ...(id !== undefined ? { granteeId: id } : {}), permission });
  }
  return grants;
}
