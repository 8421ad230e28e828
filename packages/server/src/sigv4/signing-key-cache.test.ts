import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSigningKey, hmacHexEquals, SigningKeyCache } from './signing-key-cache.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const keys = new SigningKeyCache();
const key = keys.signingKey(SECRET, '20150830', 'us-east-1', 'iam');
const hmacHex = (message: string) => createHmac('sha256', key.key).update(message).digest('hex');

describe('hmacHexEquals', () => {
  // Every message is compared with what `createHmac` computes for it, and with near misses.
  const messages: Array<[string, string]> = [
    ['a string to sign', 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59'],
    ['empty', ''],
    ['latin-1 and wider characters (UTF-8 encoded, as Hmac.update encodes a string)', 'région\u00ff/\u4e16\u754c/\u{1f600}'],
    ['a lone surrogate', 'x\ud800y'],
    ['one block exactly', 'b'.repeat(64)],
    ['longer than the shared buffer', 'c'.repeat(5000)],
    ['wider characters longer than the shared buffer', '\u4e16'.repeat(1400)],
  ];
  it.each(messages)('%s: equal to createHmac', (_name, message) => {
    const expected = hmacHex(message);
    expect(hmacHexEquals(key, message, expected)).toBe(true);
    expect(hmacHexEquals(key, `${message}.`, expected)).toBe(false);
  });

  const expected = hmacHex('message');
  it.each([
    ['another digest', hmacHex('other')],
    ['one digit changed', `${expected.slice(0, 63)}${expected.endsWith('0') ? '1' : '0'}`],
    ['upper case (the parser lower-cases first)', expected.toUpperCase()],
    ['too short', expected.slice(0, 62)],
    ['too long', `${expected}00`],
    ['not hex', 'z'.repeat(64)],
    ['empty', ''],
  ])('refuses %s', (_name, given) => {
    expect(hmacHexEquals(key, 'message', given)).toBe(false);
  });

  it('leaves the signing key as derived and the same entry for the same scope', () => {
    expect(key.key.equals(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam'))).toBe(true);
    expect(keys.signingKey(SECRET, '20150830', 'us-east-1', 'iam')).toBe(key);
    expect(keys.signingKey(SECRET, '20150830', 'us-east-1', 'sts')).not.toBe(key);
  });
});
