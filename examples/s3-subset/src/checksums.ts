/**
 * The integrity checks S3 makes of an upload's body: `Content-MD5`, and the flexible checksums
 * (`x-amz-checksum-<algorithm>` as a header, or as a trailer announced by `x-amz-trailer`, which is
 * how the current AWS SDKs send CRC32 by default). What the client declared is compared with what
 * was received, and the checksum is kept to be returned as S3 returns it.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 * @module
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { one, type Headers } from './headers.js';

/** The algorithms this example verifies (S3's CRC64NVME is not among them). */
export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** A checksum as S3 stores and returns it: the algorithm and the base64 of its value. */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

/** Why a body's declared digest was refused, in S3's words (400 each). */
export class DigestError extends Error {
  constructor(readonly code: 'BadDigest' | 'InvalidDigest' | 'InvalidRequest' | 'NotImplemented', message: string) {
    super(message);
  }
}

/** CRC32C (Castagnoli, reflected polynomial 0x82F63B78): not in Node's zlib. */
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** A running digest of one algorithm. */
interface Digest {
  update(data: Buffer): void;
  /** The base64 of the digest, as `x-amz-checksum-*` carries it. */
  base64(): string;
}

function crcDigest(step: (data: Buffer, previous: number) => number): Digest {
  let value = 0;
  return {
    update: (data) => void (value = step(data, value)),
    base64: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString('base64');
    },
  };
}

function crc32c(data: Buffer, previous: number): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC32C_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A new running digest of `algorithm`. */
export function newDigest(algorithm: ChecksumAlgorithm): Digest {
  switch (algorithm) {
    case 'CRC32':
      return crcDigest((data, previous) => crc32(data, previous));
    case 'CRC32C':
      return crcDigest(crc32c);
    case 'SHA1':
    case 'SHA256': {
      const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (data) => void hash.update(data), base64: () => hash.digest('base64') };
    }
  }
}

const ALGORITHM_OF_HEADER = new Map<string, ChecksumAlgorithm | 'CRC64NVME'>([
  ['x-amz-checksum-crc32', 'CRC32'],
  ['x-amz-checksum-crc32c', 'CRC32C'],
  ['x-amz-checksum-sha1', 'SHA1'],
  ['x-amz-checksum-sha256', 'SHA256'],
  ['x-amz-checksum-crc64nvme', 'CRC64NVME'],
]);

/** What a request declared of its body: checked as the body is read, then {@link BodyCheck.finish}ed. */
export interface BodyCheck {
  update(data: Buffer): void;
  /** Compares what was declared with what was received; the checksum to keep, if one was declared. */
  finish(trailers: Record<string, string>): StoredChecksum | undefined;
}


/**
 * Reads what the request's headers declare (throws {@link DigestError} for a declaration S3 refuses
 * before reading the body: a malformed `Content-MD5`, two checksums, an algorithm without its
 * value) and returns the check to run over the body.
 */
export function bodyCheck(headers: Headers): BodyCheck {
  const md5Header = one(headers['content-md5']);
  let md5: ReturnType<typeof createHash> | undefined;
  if (md5Header !== undefined) {
    if (Buffer.from(md5Header, 'base64').length !== 16) throw new DigestError('InvalidDigest', 'The Content-MD5 you specified was invalid.');
    md5 = createHash('md5');
  }
  const trailer = one(headers['x-amz-trailer'])?.trim().toLowerCase();
  const named = [...ALGORITHM_OF_HEADER.keys()].filter((h) => headers[h] !== undefined || trailer === h);
  if (named.length > 1) throw new DigestError('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  if (trailer !== undefined && !ALGORITHM_OF_HEADER.has(trailer)) throw new DigestError('InvalidRequest', `The value specified in the x-amz-trailer header is not supported`);
  const sdkAlgorithm = one(headers['x-amz-sdk-checksum-algorithm'])?.toUpperCase();
  const header = named[0];
  const algorithm = header ? ALGORITHM_OF_HEADER.get(header)! : undefined;
  if (sdkAlgorithm !== undefined && algorithm === undefined) {
    throw new DigestError('InvalidRequest', 'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
  }
  if (sdkAlgorithm !== undefined && sdkAlgorithm !== algorithm) throw new DigestError('BadDigest', `The ${sdkAlgorithm} you specified did not match the calculated checksum.`);
  if (algorithm === 'CRC64NVME') throw new DigestError('NotImplemented', 'The CRC64NVME checksum is not part of this example; use CRC32, CRC32C, SHA1 or SHA256');
  const digest = algorithm ? newDigest(algorithm) : undefined;
  return {
    update: (data) => {
      md5?.update(data);
      digest?.update(data);
    },
    finish: (trailers) => {
      if (md5 && md5.digest('base64') !== Buffer.from(md5Header!, 'base64').toString('base64')) {
        throw new DigestError('BadDigest', 'The Content-MD5 you specified did not match what we received.');
      }
      if (!header || !algorithm || !digest) return undefined;
      const declared = trailer === header ? trailers[header] : one(headers[header]);
      if (declared === undefined) throw new DigestError('InvalidRequest', `The trailer ${header} was announced but not sent.`);
      const value = digest.base64();
      if (declared !== value) throw new DigestError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
      return { algorithm, value };
    },
  };
}

/** The response header that carries a stored checksum. */
export const checksumHeader = (c: StoredChecksum): string => `x-amz-checksum-${c.algorithm.toLowerCase()}`;

/** Whether a request declares its body's integrity (`Content-MD5`, an `x-amz-checksum-*` header or trailer), as DeleteObjects must. */
export const declaresIntegrity = (headers: Headers): boolean =>
  headers['content-md5'] !== undefined || headers['x-amz-trailer'] !== undefined || [...ALGORITHM_OF_HEADER.keys()].some((h) => headers[h] !== undefined);
