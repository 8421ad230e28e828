/**
 * The `x-amz-copy-source` header of CopyObject and UploadPartCopy: `bucket/key` or `/bucket/key`,
 * URL-encoded, optionally followed by `?versionId=…`; and `x-amz-copy-source-range`.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 * @module
 */

/** The source a copy names, or why the header is not one (S3's InvalidArgument). */
export type CopySource = { ok: true; bucket: string; key: string; versionId?: string } | { ok: false; message: string };

const MALFORMED = 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey';

export function parseCopySource(header: string): CopySource {
  const q = header.indexOf('?');
  const path = q < 0 ? header : header.slice(0, q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    return { ok: false, message: MALFORMED };
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) return { ok: false, message: MALFORMED };
  const versionId = q < 0 ? null : new URLSearchParams(header.slice(q + 1)).get('versionId');
  return { ok: true, bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== null ? { versionId } : {}) };
}

/**
 * `x-amz-copy-source-range: bytes=first-last` (both required, inclusive) against the source's
 * size: the range, or the error S3 gives (`InvalidArgument` for the form, `InvalidRange` past the end).
 */
export function parseCopyRange(header: string | undefined, size: number): { kind: 'whole' } | { kind: 'range'; start: number; end: number } | { kind: 'invalid' } | { kind: 'unsatisfiable' } {
  if (header === undefined) return { kind: 'whole' };
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) return { kind: 'invalid' };
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end) return { kind: 'invalid' };
  if (end >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end };
}
