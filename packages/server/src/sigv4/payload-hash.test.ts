import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_SHA256, payloadHash } from './canonical-request.js';
import type { ParsedSignature, SigV4Request } from './sigv4-request.js';

const sig = { kind: 'header' } as ParsedSignature;
const request = (body: Uint8Array, headers: Record<string, string> = {}): SigV4Request => ({ method: 'POST', path: '/', query: '', host: 'h', header: (n) => headers[n], body });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('payloadHash', () => {
  it('hashes each body, whatever bodies came before', () => {
    const a = Buffer.from('Action=GetCallerIdentity&Version=2011-06-15');
    const b = Buffer.from('Action=GetCallerIdentity&Version=2011-06-16');
    const long = Buffer.alloc(300, 'x');
    const mutated = Buffer.from(a);
    const cases: Array<[string, Uint8Array]> = [['a', a], ['a again', Buffer.from(a)], ['same length, other bytes', b], ['a after b', a], ['longer than remembered', long], ['empty', new Uint8Array(0)]];
    for (const [name, body] of cases) expect(payloadHash(request(body), sig), name).toBe(body.length === 0 ? EMPTY_SHA256 : sha(body));
    expect(payloadHash(request(mutated), sig)).toBe(sha(a));
    mutated[0] = 0x61;
    expect(payloadHash(request(mutated), sig)).toBe(sha(mutated));
    expect(payloadHash(request(a), sig)).toBe(sha(a));
  });

  it('checks a declared hash against the body', () => {
    const body = Buffer.from('Action=ListUsers&Version=2010-05-08');
    expect(payloadHash(request(body, { 'x-amz-content-sha256': sha(body).toUpperCase() }), sig)).toBe(sha(body).toUpperCase());
    expect(payloadHash(request(body, { 'x-amz-content-sha256': sha(Buffer.from('other')) }), sig)).toBeUndefined();
    expect(payloadHash(request(body, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), sig)).toBeUndefined();
  });
});
