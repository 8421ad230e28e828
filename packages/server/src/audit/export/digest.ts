/**
 * Digest files, as CloudTrail's log file integrity validation writes them: each lists the log
 * files delivered in its period with their SHA-256, names the previous digest with its hash and
 * signature, and is itself signed. The signing string is CloudTrail's:
 *
 * ```
 * digestEndTime \n digestS3Bucket/digestS3Object \n hex(SHA-256(digest file content)) \n previousDigestSignature
 * ```
 *
 * (`null` for the first digest's previous signature). Deliberate difference from AWS: the
 * signature is Ed25519 over that string (`digestSignatureAlgorithm: "Ed25519"`), not SHA256withRSA,
 * so `aws cloudtrail validate-logs` cannot check it; `castellan trail verify` does.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** One log file as a digest lists it. */
export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  /** Hex SHA-256 of the uncompressed file content. */
  hashValue: string;
  hashAlgorithm: 'SHA-256';
  newestEventTime: string;
  oldestEventTime: string;
}

/**
 * Where the stored hash chain stood when the digest was written: Castellan's addition, which lets
 * `trail verify` notice a database whose chain was recomputed after export.
 */
export interface DigestChainAnchor {
  /** The highest seq exported so far (all accounts); 0 when none. */
  toSeq: number;
  /** That event's chain hash (`GENESIS_HASH` when none). */
  toHash: string;
}

/** The content of a digest file. */
export interface DigestFile {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: 'Ed25519';
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: 'SHA-256' | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
  castellanChain: DigestChainAnchor;
}

/** Hex SHA-256 of a file's uncompressed content. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** CloudTrail's string to sign for a digest whose uncompressed content is `content`. */
export function digestSigningString(digest: Pick<DigestFile, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, content: string | Uint8Array): string {
  return `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${sha256Hex(content)}\n${digest.previousDigestSignature ?? 'null'}`;
}

/** Signs a digest; the hex signature goes to the sidecar file and into the next digest. */
export function signDigest(digest: DigestFile, content: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(digestSigningString(digest, content), 'utf8'), privateKey).toString('hex');
}

/** True when `signatureHex` is a valid signature of the digest content by `publicKey`. */
export function verifyDigestSignature(digest: DigestFile, content: string | Uint8Array, signatureHex: string, publicKey: KeyObject): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex)) return false;
  try {
    return verify(null, Buffer.from(digestSigningString(digest, content), 'utf8'), publicKey, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/**
 * Parses a digest file's content, or explains why it is not one. Only the members verification
 * relies on are checked.
 */
export function parseDigest(content: string): { ok: true; digest: DigestFile } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const d = value as Partial<DigestFile> | null;
  if (!d || typeof d !== 'object') return { ok: false, reason: 'not a JSON object' };
  for (const k of ['awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint'] as const) {
    if (typeof d[k] !== 'string') return { ok: false, reason: `\`${k}\` is missing` };
  }
  if (!Array.isArray(d.logFiles)) return { ok: false, reason: '`logFiles` is missing' };
  for (const f of d.logFiles) {
    if (!f || typeof f.s3Object !== 'string' || typeof f.hashValue !== 'string') return { ok: false, reason: 'a `logFiles` entry lacks `s3Object` or `hashValue`' };
  }
  const anchor = d.castellanChain;
  if (!anchor || typeof anchor.toSeq !== 'number' || typeof anchor.toHash !== 'string') return { ok: false, reason: '`castellanChain` is missing' };
  return { ok: true, digest: d as DigestFile };
}
