import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box.js';

const key = randomBytes(32);
const box = new SecretBox(key);
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('SecretBox', () => {
  it('round-trips and never emits the plaintext', () => {
    const sealed = box.seal(SECRET, 'AKIAEXAMPLE');
    expect(sealed.startsWith('cs1.')).toBe(true);
    expect(sealed).not.toContain(SECRET);
    expect(box.open(sealed, 'AKIAEXAMPLE')).toBe(SECRET);
    expect(box.open(box.seal(''), '')).toBe('');
  });

  it('uses a fresh nonce for every value', () => {
    expect(box.seal(SECRET)).not.toBe(box.seal(SECRET));
  });

  const sealed = box.seal(SECRET, 'AKIAEXAMPLE');
  const [, nonce, body] = sealed.split('.') as [string, string, string];
  const flipped = Buffer.from(body, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  const cases: Array<{ name: string; open: () => string }> = [
    { name: 'another context (a ciphertext moved to another key id)', open: () => box.open(sealed, 'AKIAOTHER') },
    { name: 'another master key', open: () => new SecretBox(randomBytes(32)).open(sealed, 'AKIAEXAMPLE') },
    { name: 'an altered ciphertext', open: () => box.open(`cs1.${nonce}.${flipped.toString('base64url')}`, 'AKIAEXAMPLE') },
    { name: 'an unknown version', open: () => box.open(`cs9.${nonce}.${body}`, 'AKIAEXAMPLE') },
    { name: 'a missing part', open: () => box.open(`cs1.${nonce}`, 'AKIAEXAMPLE') },
    { name: 'a short nonce', open: () => box.open(`cs1.AAAA.${body}`, 'AKIAEXAMPLE') },
    { name: 'a truncated body', open: () => box.open(`cs1.${nonce}.AAAA`, 'AKIAEXAMPLE') },
    { name: 'plaintext', open: () => box.open(SECRET) },
  ];
  for (const { name, open } of cases) {
    it(`refuses ${name}`, () => {
      expect(open).toThrow(SecretBoxError);
    });
  }

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('never reuses a nonce, across refills of the nonce pool', () => {
    const nonces = Array.from({ length: 1000 }, () => box.seal('x').split('.')[1]);
    expect(new Set(nonces).size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n!, 'base64url')).toHaveLength(12);
  });
});
