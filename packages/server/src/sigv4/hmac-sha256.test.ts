import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256Key } from './hmac-sha256.js';

describe('HmacSha256Key', () => {
  // RFC 4231 §4 test cases 1, 2, 3, 6 and 7 (keys shorter than, and longer than, the block).
  it.each([
    ['0b'.repeat(20), Buffer.from('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    [Buffer.from('Jefe').toString('hex'), Buffer.from('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['aa'.repeat(20), Buffer.alloc(50, 0xdd), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
    ['aa'.repeat(131), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
    ['aa'.repeat(131), Buffer.from('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'), '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2'],
  ])('RFC 4231: key %s', (keyHex, data, expected) => {
    // Given a test vector whose message is text (every case but 3, whose bytes are not UTF-8)
    const key = new HmacSha256Key(Buffer.from(keyHex, 'hex'));
    const message = data.toString('latin1');
    // Then the prepared key gives the RFC's digest where UTF-8 and Latin-1 agree, and Node's otherwise
    const reference = createHmac('sha256', Buffer.from(keyHex, 'hex')).update(message).digest('hex');
    expect(key.hex(message)).toBe(reference);
    if (data.every((b) => b < 0x80)) expect(key.hex(message)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['a string to sign', `AWS4-HMAC-SHA256\n20261206T195700Z\n20261206/us-east-1/s3/aws4_request\n${'ab'.repeat(32)}`],
    ['non-ASCII (a region or service from the credential)', 'AWS4-HMAC-SHA256\n20261206T195700Z\n20261206/ü-€-𝄞/s3/aws4_request\nx'],
    ['a lone surrogate', 'a\ud800b'],
    ['just fits the first buffer', 'x'.repeat(170)],
    ['grows the buffer', 'x'.repeat(171)],
    ['just fits the grown buffer', 'x'.repeat(682)],
    ['too long for the buffer', 'y'.repeat(5000)],
  ])('%s: the same digest as createHmac, for keys of every size', (_name, message) => {
    for (const size of [0, 1, 32, 63, 64, 65, 200]) {
      const raw = randomBytes(size);
      expect(new HmacSha256Key(raw).hex(message)).toBe(createHmac('sha256', raw).update(message).digest('hex'));
    }
  });

  it('gives each key its own digest when keys alternate', () => {
    const raws = [randomBytes(32), randomBytes(32)];
    const keys = raws.map((r) => new HmacSha256Key(r));
    for (let i = 0; i < 6; i++) {
      const m = `message ${i}`.repeat(i + 1);
      expect(keys[i % 2]!.hex(m)).toBe(createHmac('sha256', raws[i % 2]!).update(m).digest('hex'));
    }
  });

  it('gives one key the digest of each message whatever the length of the one before (its buffer is reused)', () => {
    const raw = randomBytes(32);
    const key = new HmacSha256Key(raw);
    for (const m of ['a'.repeat(150), 'b'.repeat(150), 'c'.repeat(20), 'd'.repeat(600), 'e'.repeat(150), '', '\u00e9'.repeat(160)]) {
      expect(key.hex(m)).toBe(createHmac('sha256', raw).update(m).digest('hex'));
    }
  });
});
