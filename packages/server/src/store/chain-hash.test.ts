import * as crypto from 'node:crypto';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHmacHex, type ChainHmacCrypto } from './chain-hash.js';

describe('chainHmacHex (the audit workers\' HMAC)', () => {
  const texts = ['', 'a', '["v3:x",1]\n{"eventID":"é—😀"}', 'x'.repeat(5_000), 'é'.repeat(21_845), 'y'.repeat(70_000)];

  for (const keyLength of [32, 64, 100]) {
    it(`is createHmac's HMAC-SHA256 for any text, short, long or past its scratch buffer (${keyLength}-byte key)`, () => {
      const key = crypto.randomBytes(keyLength);
      const hmac = chainHmacHex(key, crypto as ChainHmacCrypto);
      // Twice each: the scratch buffer keeps nothing of one message into the next
      for (const text of [...texts, ...texts.slice().reverse()]) expect(hmac(text)).toBe(createHmac('sha256', key).update(text).digest('hex'));
    });
  }

  it('is createHmac itself without the one-shot hash', () => {
    const key = crypto.randomBytes(32);
    const hmac = chainHmacHex(key, { createHmac: crypto.createHmac, createHash: crypto.createHash });
    expect(hmac('abc')).toBe(createHmac('sha256', key).update('abc').digest('hex'));
  });
});
