import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { counterAt, KeystreamBox } from './keystream-box.js';

const key = randomBytes(32);
const box = new KeystreamBox(key);
const TEXT = '{"facts":"AIDAEXAMPLE iam:GetUser arn:aws:iam::123456789012:user/ops-admin"}';

/** `sealed` with the byte at `index` of its `part` (0: counter block and ciphertext, 1: MAC) flipped. */
function flipped(sealed: string, part: 0 | 1, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[index] = bytes[index]! ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('KeystreamBox', () => {
  it('round-trips values of every length around the block, scratch and pool sizes, and never emits the plaintext', () => {
    for (const n of [0, 1, 3, 4, 15, 16, 17, 1000, 5461, 5462, 20_000, 70_000]) {
      const text = 'é'.repeat(n % 7) + randomBytes(n).toString('latin1').slice(0, n - (n % 7));
      const sealed = box.seal(text);
      expect(box.open(sealed)).toBe(text);
      if (n >= 16) expect(Buffer.from(sealed.split('.')[0]!, 'base64url').includes(Buffer.from(text.slice(-16), 'utf8'))).toBe(false);
    }
  });

  it('gives every value its own key stream, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const sealed = box.seal(`${'x'.repeat(999)}${i % 10}`);
      const body = Buffer.from(sealed.split('.')[0]!, 'base64url');
      const counter = body.subarray(0, 16).toString('hex');
      expect(seen.has(counter)).toBe(false);
      seen.add(counter);
      // The key stream is the ciphertext XOR the plaintext: no two values share a block of it.
      expect(box.open(sealed)).toBe(`${'x'.repeat(999)}${i % 10}`);
    }
    // 300 values of a kilobyte need several pools of 64 KiB: each starts at its own random block.
    expect(seen.size).toBe(300);
  });

  it('seals the bytes a writer puts in place as it seals the same text, and nothing when the writer gives up', () => {
    for (const text of ['', 'a', TEXT, 'é😀'.repeat(900)]) {
      const sealed = box.sealWritten((out, at, max) => (Buffer.byteLength(text) > max ? undefined : out.write(text, at, 'utf8')), 'p.');
      expect(sealed?.startsWith('p.')).toBe(true);
      expect(box.open(sealed!.slice(2))).toBe(text);
    }
    expect(box.sealWritten(() => undefined)).toBeUndefined();
    // A writer may not claim more than it was given.
    expect(box.sealWritten((_out, _at, max) => max + 1)).toBeUndefined();
  });

  it('puts its prefix before the sealed text', () => {
    const sealed = box.seal(TEXT, 'v9.');
    expect(sealed.startsWith('v9.')).toBe(true);
    expect(box.open(sealed.slice(3))).toBe(TEXT);
  });

  const sealed = box.seal(TEXT);
  it.each([
    { name: 'an altered counter block', text: () => flipped(sealed, 0, 3) },
    { name: 'an altered ciphertext', text: () => flipped(sealed, 0, 20) },
    { name: 'an altered MAC', text: () => flipped(sealed, 1, 31) },
    { name: 'a shortened MAC', text: () => sealed.slice(0, -2) },
    { name: 'a truncated value', text: () => `${sealed.split('.')[0]!.slice(0, 20)}.${sealed.split('.')[1]!}` },
    { name: 'another key’s value', text: () => new KeystreamBox(randomBytes(32)).seal(TEXT) },
    { name: 'garbage', text: () => 'garbage' },
    { name: 'too many parts', text: () => `${sealed}.x` },
  ])('refuses $name', ({ text }) => {
    expect(box.open(text())).toBeUndefined();
  });

  it('counts blocks as OpenSSL’s CTR mode does, carrying through all 128 bits', () => {
    for (const iv of [Buffer.alloc(16, 0xff), Buffer.from('00000000000000000000ffffffffffc0', 'hex'), Buffer.from('0123456789abcdef00000000ffffff00', 'hex')]) {
      const stream = createCipheriv('aes-256-ctr', key, iv).update(Buffer.alloc(16 * 600));
      for (const blocks of [0, 1, 63, 64, 65, 255, 256, 599]) {
        const at = Buffer.alloc(16);
        counterAt(iv, blocks, at, 0);
        const block = createDecipheriv('aes-256-ctr', key, at).update(Buffer.alloc(16));
        expect(block.equals(stream.subarray(16 * blocks, 16 * blocks + 16))).toBe(true);
      }
    }
  });
});
