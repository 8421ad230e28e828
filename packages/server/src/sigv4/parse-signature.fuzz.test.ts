/**
 * SigV4 on hostile input: parsing the Authorization header or presigned query, the time check and
 * verification only ever refuse with AWS's authentication errors, within a bounded time; and a
 * signed query cannot be re-encoded into different parameters without the signature noticing.
 * Runs per property: 2,000 in the normal test run, CASTELLAN_FUZZ_RUNS under `npm run fuzz`.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../domain/errors.js';
import { readQueryParams } from '../protocol/query/read-query-params.js';
import { buildCanonicalRequest, buildStringToSign } from './canonical-request.js';
import { parseSignature } from './parse-signature.js';
import { deriveSigningKey, SigningKeyCache } from './signing-key-cache.js';
import type { SigV4Request } from './sigv4-request.js';
import { checkRequestTime, verifySignature } from './verify-signature.js';

const RUNS = Number(process.env.CASTELLAN_FUZZ_RUNS ?? 2000);
const MAX_MS_PER_INPUT = 1000;
const AUTH_ERRORS = new Set(['MissingAuthenticationToken', 'IncompleteSignature', 'SignatureDoesNotMatch', 'RequestExpired']);
const NOW = new Date('2026-01-02T03:04:05Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const keys = new SigningKeyCache();

function expectAuthError(e: unknown): void {
  if (!(e instanceof AwsError)) throw new Error(`not an AwsError: ${String(e)}`, { cause: e });
  expect(AUTH_ERRORS.has(e.code), `unexpected code ${e.code}`).toBe(true);
}

/** parse -> time check -> verify, as the pipeline runs them. */
function authenticate(req: SigV4Request): void {
  const started = performance.now();
  try {
    const sig = parseSignature(req);
    expect(sig.requestTime.getTime()).not.toBeNaN();
    checkRequestTime(sig, NOW);
    verifySignature(req, sig, SECRET, keys);
  } catch (e) {
    expectAuthError(e);
  }
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_INPUT);
}

function request(parts: { method?: string; path?: string; query?: string; headers?: Record<string, string>; body?: string }): SigV4Request {
  const headers = new Map(Object.entries(parts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: parts.method ?? 'POST', path: parts.path ?? '/', query: parts.query ?? '', header: (n) => headers.get(n), host: 'castellan.example', body: new TextEncoder().encode(parts.body ?? '') };
}

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }));
const dateText = fc.oneof(
  fc.constantFrom('20260102T030405Z', '20260102T030405', '2026-01-02T03:04:05Z', '20260230T000000Z', '99991231T235959Z', '00000101T000000Z', 'Fri, 02 Jan 2026 03:04:05 GMT', 'Thu, 02 Jan 2026 03:04:05 GMT', '2026-12-06 10:09:43', ''),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')),
  text,
);
const credential = fc.oneof(
  fc.tuple(fc.constantFrom('AKIDEXAMPLE', '', 'A'.repeat(2000)), fc.constantFrom('20260102', '20260103', '2026010', ''), fc.constantFrom('us-east-1', '', 'x'), fc.constantFrom('iam', 'sts', ''), fc.constantFrom('aws4_request', 'aws4', '')).map((p) => p.join('/')),
  fc.array(text, { maxLength: 7 }).map((p) => p.join('/')),
);
const signedHeaders = fc.oneof(fc.constantFrom('host', 'host;x-amz-date', 'Host;X-Amz-Date', '', ';;', 'x-amz-date'), fc.array(text, { maxLength: 4 }).map((h) => h.join(';')));
const signature = fc.oneof(fc.constant('0'.repeat(64)), fc.stringMatching(/^[0-9a-fA-F]{0,70}$/), text);
const algorithm = fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256', 'AWS', '', 'aws4-hmac-sha256');

const authorization = fc.oneof(
  fc.tuple(algorithm, credential, signedHeaders, signature, fc.constantFrom(', ', ',', ' ', ',,')).map(([a, c, h, s, sep]) => `${a} Credential=${c}${sep}SignedHeaders=${h}${sep}Signature=${s}`),
  text,
);
const headerSigned = fc.record({
  authorization,
  'x-amz-date': fc.option(dateText, { nil: undefined }),
  date: fc.option(dateText, { nil: undefined }),
  'x-amz-content-sha256': fc.option(fc.constantFrom('UNSIGNED-PAYLOAD', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', ''), { nil: undefined }),
  'x-amz-security-token': fc.option(text, { nil: undefined }),
}, { requiredKeys: ['authorization'] });

const presignedQuery = fc
  .record({
    'X-Amz-Algorithm': algorithm,
    'X-Amz-Credential': credential,
    'X-Amz-Date': dateText,
    'X-Amz-Expires': fc.oneof(fc.constantFrom('300', '0', '604800', '604801', '-1', '1e3', '9'.repeat(30), ' 5', ''), text),
    'X-Amz-SignedHeaders': signedHeaders,
    'X-Amz-Signature': signature,
    'X-Amz-Security-Token': text,
    'X-Amz-Content-Sha256': fc.constantFrom('UNSIGNED-PAYLOAD', 'abc'),
    Action: fc.constantFrom('ListUsers', '__proto__'),
  }, { requiredKeys: [] })
  .chain((fields) =>
    fc.constantFrom(
      (s: string) => encodeURIComponent(s.toWellFormed()),
      (s: string) => encodeURIComponent(s.toWellFormed()).replace(/%20/g, '+'),
      (s: string) => s,
    ).map((encode) => Object.entries(fields).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')),
  );

describe('SigV4 parser fuzz', () => {
  it('Authorization headers built from plausible and random parts', () => {
    fc.assert(
      fc.property(headerSigned, fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (headers, path, query, body) => {
        authenticate(request({ headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>, path, query, body }));
      }),
      { numRuns: RUNS },
    );
  });

  it('presigned query strings built from plausible and random parts', () => {
    fc.assert(
      fc.property(presignedQuery, fc.constantFrom('GET', 'POST', 'get', ''), fc.string({ maxLength: 20 }), (query, method, body) => {
        authenticate(request({ method, query, body }));
      }),
      { numRuns: RUNS },
    );
  });

  it('entirely random requests', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 80 }), { maxKeys: 6 }), (method, path, query, headers) => {
        authenticate(request({ method, path, query, headers }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('a signed query cannot be re-encoded into other parameters', () => {
  // Names and values with the characters whose encodings collide in practice: space, +, %, =, &, non-ASCII.
  const part = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '+', '%', '=', '&', '/', '~', 'é', '💥', '2', 'F'), maxLength: 6 });
  // Names may repeat: the query's order is not signed, so a repeated name must read the same in any order.
  const params = fc.array(fc.tuple(fc.oneof(part, fc.constantFrom('a', 'B')).filter((k) => k !== '' && !k.startsWith('X-Amz')), part), { maxLength: 5 });
  /** The same parameters, in another order. */
  const reordered = (pairs: Array<[string, string]>) => fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length });
  /** One of the many ways a client may put a character on the wire: as is (when unambiguous), %XX (either case), + for a space. */
  const wireChar = (c: string, choice: number): string => {
    const bytes = [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`);
    const pct = choice % 2 === 0 ? bytes.join('').toUpperCase() : bytes.join('').toLowerCase();
    if (c === ' ') return choice % 3 === 0 ? '+' : '%20';
    if ('+%=&'.includes(c)) return pct;
    return choice % 4 === 0 ? pct : c;
  };
  const encodeWith = (choices: number[]) => (s: string) => [...s].map((c, i) => wireChar(c, choices[i % choices.length]!)).join('');
  const signedQuery = (pairs: Array<[string, string]>, choices: number[]) => {
    const encode = encodeWith(choices);
    return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  };

  const AUTH = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent('AKIDEXAMPLE/20260102/us-east-1/iam/aws4_request')}&X-Amz-Date=20260102T030405Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host`;
  const withAuth = (query: string) => (query ? `${query}&${AUTH}` : AUTH);
  const get = (query: string) => request({ method: 'GET', query, headers: { host: 'castellan.example' } });

  /** The presigned signature of `query` (its parameters plus the X-Amz-* fields), computed the SigV4 way. */
  function presignature(query: string): string {
    const unsigned = withAuth(query);
    const sig = parseSignature(get(`${unsigned}&X-Amz-Signature=${'0'.repeat(64)}`));
    const canonical = buildCanonicalRequest(get(unsigned), sig)!;
    return createHmac('sha256', deriveSigningKey(SECRET, sig.scopeDate, sig.region, sig.service)).update(buildStringToSign(canonical, sig)).digest('hex');
  }
  const verifies = (wire: string) => {
    try {
      verifySignature(get(wire), parseSignature(get(wire)), SECRET, keys);
      return true;
    } catch (e) {
      expectAuthError(e);
      return false;
    }
  };
  const paramsOf = (wire: string) => readQueryParams(wire, new Uint8Array(), undefined);

  it('another encoding or order of the same parameters verifies and reads the same; other parameters never read differently', () => {
    fc.assert(
      fc.property(params.chain((p) => fc.tuple(fc.constant(p), reordered(p))), params, fc.array(fc.nat(11), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(11), { minLength: 1, maxLength: 8 }), ([signedPairs, shuffled], otherPairs, choicesA, choicesB) => {
        // Given a presigned URL over some parameters, in one wire encoding
        const signature = `&X-Amz-Signature=${presignature(signedQuery(signedPairs, choicesA))}`;
        const wire = withAuth(signedQuery(signedPairs, choicesA)) + signature;
        expect(verifies(wire)).toBe(true);
        // When the same parameters are re-encoded another way and reordered, or replaced by others, keeping the signature
        const reencoded = withAuth(signedQuery(shuffled, choicesB)) + signature;
        const replaced = withAuth(signedQuery(otherPairs, choicesB)) + signature;
        // Then the re-encoding verifies and the reader sees the very parameters that were signed
        expect(verifies(reencoded)).toBe(true);
        expect(paramsOf(reencoded)).toEqual(paramsOf(wire));
        // And whatever verifies reads as the signed parameters
        if (verifies(replaced)) expect(paramsOf(replaced)).toEqual(paramsOf(wire));
      }),
      { numRuns: RUNS },
    );
  });
});
