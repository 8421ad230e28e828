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

/** The ListObjectsV2 answer. */
export function listObjectsV2Xml(r: {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  contents: ObjectMeta[];
  commonPrefixes: string[];
  truncated: boolean;
  continuationToken?: string;
  nextContinuationToken?: string;
  startAfter?: string;
  urlEncode: boolean;
}): string {
  const enc = (s: string) => xml(r.urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}">`,
    `<Name>${xml(r.bucket)}</Name><Prefix>${enc(r.prefix)}</Prefix>`,
    `<KeyCount>${r.contents.length + r.commonPrefixes.length}</KeyCount><MaxKeys>${r.maxKeys}</MaxKeys>`,
    r.delimiter !== undefined ? `<Delimiter>${enc(r.delimiter)}</Delimiter>` : '',
    r.urlEncode ? '<EncodingType>url</EncodingType>' : '',
    `<IsTruncated>${r.truncated}</IsTruncated>`,
    r.continuationToken ? `<ContinuationToken>${xml(r.continuationToken)}</ContinuationToken>` : '',
    r.nextContinuationToken ? `<NextContinuationToken>${xml(r.nextContinuationToken)}</NextContinuationToken>` : '',
    r.startAfter ? `<StartAfter>${enc(r.startAfter)}</StartAfter>` : '',
    ...r.contents.map((o) => `<Contents><Key>${enc(o.key)}</Key><LastModified>${o.lastModified}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`),
    ...r.commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`),
    '</ListBucketResult>',
  ];
  return parts.join('');
}
