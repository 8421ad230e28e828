import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyCheck, DigestError, newDigest, type ChecksumAlgorithm } from './checksums.js';

const check = Buffer.from('123456789');
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

describe('newDigest', () => {
  // The standard check values of each CRC over "123456789".
  it.each<[ChecksumAlgorithm, string]>([
    ['CRC32', b64('cbf43926')],
    ['CRC32C', b64('e3069283')],
    ['SHA1', createHash('sha1').update(check).digest('base64')],
    ['SHA256', createHash('sha256').update(check).digest('base64')],
  ])('%s, fed in two pieces', (algorithm, expected) => {
    const d = newDigest(algorithm);
    d.update(check.subarray(0, 4));
    d.update(check.subarray(4));
    expect(d.base64()).toBe(expected);
  });
});

const crc32 = b64('cbf43926');
const md5 = createHash('md5').update(check).digest('base64');

describe('bodyCheck', () => {
  const run = (headers: Record<string, string>, trailers: Record<string, string> = {}) => {
    const c = bodyCheck(headers);
    c.update(check);
    return c.finish(trailers);
  };
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (e instanceof DigestError) return `${e.code}: ${e.message}`;
      throw e;
    }
    return 'accepted';
  };

  it.each<[string, Record<string, string>, Record<string, string>, unknown]>([
    ['nothing declared', {}, {}, undefined],
    ['a matching Content-MD5', { 'content-md5': md5 }, {}, undefined],
    ['a matching CRC32 header', { 'x-amz-checksum-crc32': crc32, 'x-amz-sdk-checksum-algorithm': 'CRC32' }, {}, { algorithm: 'CRC32', value: crc32 }],
    ['a matching CRC32 trailer', { 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32' }, { 'x-amz-checksum-crc32': crc32 }, { algorithm: 'CRC32', value: crc32 }],
  ])('accepts %s', (_name, headers, trailers, kept) => {
    expect(run(headers, trailers)).toEqual(kept);
  });

  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    ['a Content-MD5 of another body', { 'content-md5': b64('00'.repeat(16)) }, {}, 'BadDigest: The Content-MD5 you specified did not match what we received.'],
    ['a Content-MD5 that is no MD5', { 'content-md5': 'abc' }, {}, 'InvalidDigest: The Content-MD5 you specified was invalid.'],
    ['a CRC32 header of another body', { 'x-amz-checksum-crc32': b64('00000000') }, {}, 'BadDigest: The CRC32 you specified did not match the calculated checksum.'],
    ['a CRC32 trailer of another body', { 'x-amz-trailer': 'x-amz-checksum-crc32' }, { 'x-amz-checksum-crc32': b64('00000000') }, 'BadDigest: The CRC32 you specified did not match the calculated checksum.'],
    ['a trailer announced but not sent', { 'x-amz-trailer': 'x-amz-checksum-crc32' }, {}, 'InvalidRequest: The trailer x-amz-checksum-crc32 was announced but not sent.'],
    ['an algorithm without its checksum', { 'x-amz-sdk-checksum-algorithm': 'CRC32' }, {}, 'InvalidRequest: x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.'],
    ['an algorithm other than the checksum sent', { 'x-amz-sdk-checksum-algorithm': 'SHA256', 'x-amz-checksum-crc32': crc32 }, {}, 'BadDigest: The SHA256 you specified did not match the calculated checksum.'],
    ['two checksums', { 'x-amz-checksum-crc32': crc32, 'x-amz-checksum-sha1': 'x' }, {}, 'InvalidRequest: Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.'],
    ['CRC64NVME', { 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=' }, {}, 'NotImplemented: The CRC64NVME checksum is not part of this example; use CRC32, CRC32C, SHA1 or SHA256'],
  ])('refuses %s', (_name, headers, trailers, expected) => {
    expect(refusal(() => run(headers, trailers))).toBe(expected);
  });
});
