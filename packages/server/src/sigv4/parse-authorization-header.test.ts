/**
 * The Authorization header's fields, read in place and, for a header that repeats the last one but
 * for its signature, from what the last one gave: the same fields and errors as reading each header
 * on its own (the reference below is the parser as it was: split on commas, trim each name and value).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSignature } from './parse-signature.js';
import type { SigV4Request } from './sigv4-request.js';

const SIG = 'ab'.repeat(32);
const CREDENTIAL = 'AKIAIOSFODNN7EXAMPLE/20260102/us-east-1/iam/aws4_request';
const BASE = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=`;

function request(authorization: string): SigV4Request {
  const headers = new Map([['host', 'h'], ['x-amz-date', '20260102T030405Z'], ['authorization', authorization]]);
  return { method: 'GET', path: '/', query: '', header: (n) => headers.get(n), host: 'h', body: new Uint8Array() };
}

/** What a header says: its three fields, or the error's code and message. */
function read(authorization: string): unknown {
  try {
    const s = parseSignature(request(authorization));
    return { accessKeyId: s.accessKeyId, region: s.region, signedHeaders: s.signedHeaders, signature: s.signature };
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
}

/** The fields as the split-based parser read them. */
function reference(authorization: string): Record<string, string | undefined> {
  const trimmed = authorization.trim();
  const space = trimmed.indexOf(' ');
  const fields: Record<string, string | undefined> = {};
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === 'Credential' || name === 'Signature' || name === 'SignedHeaders') fields[name] = part.slice(eq + 1).trim();
  }
  return fields;
}

describe('Authorization header fields', () => {
  // Each row is read right after the one before it (the parser remembers the last header).
  const rows: Array<[string, string, { signature: string } | { code: string }]> = [
    ['the usual header', `${BASE}${SIG}`, { signature: SIG }],
    ['the same with another signature', `${BASE}${'cd'.repeat(32)}`, { signature: 'cd'.repeat(32) }],
    ['upper-case hex (lower-cased)', `${BASE}${'CD'.repeat(32)}`, { signature: 'cd'.repeat(32) }],
    ['64 characters that add a part', `${BASE}${'a'.repeat(40)}, Signature=${'e'.repeat(12)}`, { signature: 'e'.repeat(12) }],
    ['64 characters that add a Credential', `${BASE}${'a'.repeat(10)},Credential=X/20260102/us-east-1/iam/aws4_request`, { signature: 'a'.repeat(10) }],
    ['trailing white space', `${BASE}${'a'.repeat(60)}    `, { signature: 'a'.repeat(60) }],
    ['a signature of white space', `${BASE}${' '.repeat(64)}`, { code: 'IncompleteSignature' }],
    ['no space after the algorithm', `AWS4-HMAC-SHA256`, { code: 'IncompleteSignature' }],
    ['leading white space', `  ${BASE}${SIG}`, { signature: SIG }],
    ['the usual header again', `${BASE}${SIG}`, { signature: SIG }],
    ['repeated Signature, the last wins', `${BASE}${'1'.repeat(64)}, Signature=${'2'.repeat(64)}`, { signature: '2'.repeat(64) }],
    ['the one before with another last signature', `${BASE}${'1'.repeat(64)}, Signature=${'3'.repeat(64)}`, { signature: '3'.repeat(64) }],
    ['another algorithm with the same length', `AWS4-HMAC-SHA512${BASE.slice(16)}${SIG}`, { code: 'IncompleteSignature' }],
  ];
  for (const [name, header, expected] of rows) {
    it(name, () => {
      const got = read(header) as Record<string, unknown>;
      if ('code' in expected) expect(got.code).toBe(expected.code);
      else expect(got.signature).toBe(expected.signature);
      if (!('code' in expected)) expect(got.signedHeaders).toEqual(reference(header).SignedHeaders!.split(';'));
    });
  }

  it('reads two clients whose requests alternate (a service and the requests it forwards), and a third', () => {
    const client = (key: string, signed: string, service: string) => (signature: string) =>
      `AWS4-HMAC-SHA256 Credential=${key}/20260102/us-east-1/${service}/aws4_request, SignedHeaders=${signed}, Signature=${signature}`;
    const a = client('AKIAAAAAAAAAAAAAAAAA', 'host;x-amz-date', 'iam');
    const b = client('AKIABBBBBBBBBBBBBBBB', 'Host;User-Agent;x-amz-date', 's3');
    const c = client('AKIACCCCCCCCCCCCCCCC', 'host', 'sts');
    const rows: Array<[string, string, string[]]> = [];
    for (let i = 0; i < 4; i++) {
      rows.push([a(`${i}`.repeat(64)), 'AKIAAAAAAAAAAAAAAAAA', ['host', 'x-amz-date']]);
      rows.push([b(`${i + 4}`.repeat(64)), 'AKIABBBBBBBBBBBBBBBB', ['host', 'user-agent', 'x-amz-date']]);
      if (i === 2) rows.push([c('c'.repeat(64)), 'AKIACCCCCCCCCCCCCCCC', ['host']]);
    }
    for (const [header, key, signed] of rows) {
      expect(read(header)).toEqual({ accessKeyId: key, region: 'us-east-1', signedHeaders: signed, signature: header.slice(-64) });
    }
  });

  it('reads any header as the split-based parser did, whatever header came before', () => {
    const piece = fc.oneof(fc.constantFrom(',', ' ', '=', 'Signature=', 'Credential=', ', Signature=', '\t', SIG.slice(0, 8)), fc.string({ maxLength: 8 }));
    const tail = fc.array(piece, { maxLength: 10 }).map((p) => p.join('').padEnd(64, 'a').slice(0, 64));
    fc.assert(
      fc.property(fc.array(fc.oneof(tail.map((t) => `${BASE}${t}`), fc.array(piece, { maxLength: 12 }).map((p) => `AWS4-HMAC-SHA256 ${p.join('')}`)), { minLength: 1, maxLength: 6 }), (headers) => {
        for (const h of headers) {
          const got = read(h) as Record<string, unknown>;
          const ref = reference(h);
          // A header with all three fields reads its signature (lower-cased) and credential as the reference does.
          if (got.signature !== undefined) {
            expect(got.signature).toBe(ref.Signature!.toLowerCase());
            expect(got.accessKeyId).toBe(ref.Credential!.split('/')[0]);
          } else if (!ref.Credential || !ref.Signature || !ref.SignedHeaders) {
            expect(got.code).toBe('IncompleteSignature');
            expect(got.message).toContain(`Authorization=${h.trim()}`);
          }
          // Reading it on its own (after an unrelated header) gives the same.
          read(`${BASE}${'f'.repeat(64)}`);
          expect(read(h)).toEqual(got);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
