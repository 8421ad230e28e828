import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { checkRequestTime, verifySignature } from './verify-signature.js';
import { parseAmzDate, parseSignature, rawQueryParams } from './parse-signature.js';
import { SigningKeyCache } from './signing-key-cache.js';
import { canonicalQuery, canonicalUri } from './canonical-request.js';
import type { SigV4Request } from './sigv4-request.js';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const NOW = new Date('2026-01-02T03:04:05Z');

interface Wire {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

function toRequest(w: Wire): SigV4Request {
  const headers = new Map(Object.entries(w.headers).map(([k, v]) => [k.toLowerCase(), v]));
  // Encode the query as a client would on the wire (RFC 3986).
  const query = Object.entries(w.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return { method: w.method, path: w.path, query, header: (n) => headers.get(n), host: headers.get('host') ?? '', body: new TextEncoder().encode(w.body) };
}

async function sign(opts: { region: string; service: string; sessionToken?: string; presign?: boolean; query?: Record<string, string>; body?: string; path?: string; date?: Date; headers?: Record<string, string> }): Promise<Wire> {
  const signer = new SignatureV4({
    credentials: { ...KEY, ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}) },
    region: opts.region,
    service: opts.service,
    sha256: Sha256,
  });
  const body = opts.body ?? '';
  const request = {
    method: opts.presign ? 'GET' : 'POST',
    protocol: 'https:',
    hostname: 'castellan.example',
    path: opts.path ?? '/',
    query: opts.query ?? {},
    headers: { host: 'castellan.example', ...(body ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}), ...(opts.headers ?? {}) } as Record<string, string>,
    body: body || undefined,
  };
  const signed = opts.presign
    ? await signer.presign(request, { signingDate: opts.date ?? NOW, expiresIn: 300 })
    : await signer.sign(request, { signingDate: opts.date ?? NOW });
  return { method: signed.method, path: signed.path, query: signed.query as Record<string, string>, headers: signed.headers, body };
}

describe('SigV4 verification against @smithy/signature-v4', () => {
  const cases: Array<{ name: string; opts: Parameters<typeof sign>[0] }> = [
    { name: 'header, IAM, us-east-1', opts: { region: 'us-east-1', service: 'iam', body: 'Action=ListUsers&Version=2010-05-08' } },
    { name: 'header, STS, eu-west-3', opts: { region: 'eu-west-3', service: 'sts', body: 'Action=GetCallerIdentity&Version=2011-06-15' } },
    { name: 'header, custom region, session token', opts: { region: 'castellan-local-1', service: 'iam', sessionToken: 'FwoGZXIvYXdzE+token/with=odd', body: 'Action=ListUsers&Version=2010-05-08' } },
    { name: 'header, odd query chars', opts: { region: 'ap-south-1', service: 'iam', query: { 'a b': "x*y!'()~", Marker: 'ü/=&+', Empty: '' } } },
    { name: 'header, odd path', opts: { region: 'us-west-2', service: 'iam', path: '/a%20b/./c/../d' } },
    { name: 'header, declared payload hash that matches', opts: { region: 'us-east-1', service: 'iam', body: 'Action=ListUsers', headers: { 'x-amz-content-sha256': createHash('sha256').update('Action=ListUsers').digest('hex') } } },
    { name: 'header, UNSIGNED-PAYLOAD without body', opts: { region: 'us-east-1', service: 'iam', query: { Action: 'ListUsers' }, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } } },
    { name: 'presigned, IAM', opts: { region: 'us-east-1', service: 'iam', presign: true, query: { Action: 'ListUsers', Version: '2010-05-08' } } },
    { name: 'presigned, STS with session token', opts: { region: 'eu-central-1', service: 'sts', presign: true, sessionToken: 'tok/+=', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      // Given a request signed by the AWS SDK's signer
      const req = toRequest(await sign(c.opts));
      // When it is parsed and verified with the same secret
      const sig = parseSignature(req);
      // Then the scope is read back and the signature matches
      expect(sig.accessKeyId).toBe(KEY.accessKeyId);
      expect(sig.region).toBe(c.opts.region);
      expect(sig.service).toBe(c.opts.service);
      expect(sig.sessionToken).toBe(c.opts.sessionToken);
      expect(() => checkRequestTime(sig, NOW)).not.toThrow();
      expect(() => verifySignature(req, sig, KEY.secretAccessKey, new SigningKeyCache())).not.toThrow();
    });
  }
});

describe('SigV4 failures', () => {
  type Case = { name: string; make: () => Promise<SigV4Request>; now?: Date; secret?: string; code: string; message?: RegExp };
  const base = () => sign({ region: 'us-east-1', service: 'iam', body: 'Action=ListUsers&Version=2010-05-08' });
  const cases: Case[] = [
    { name: 'no credentials at all', make: async () => toRequest({ method: 'POST', path: '/', query: {}, headers: { host: 'h' }, body: 'Action=ListUsers' }), code: 'MissingAuthenticationToken', message: /Request is missing Authentication Token/ },
    { name: 'wrong secret', make: async () => toRequest(await base()), secret: 'not-the-secret', code: 'SignatureDoesNotMatch', message: /does not match the signature you provided/ },
    { name: 'tampered body', make: async () => toRequest({ ...(await base()), body: 'Action=DeleteUser&Version=2010-05-08' }), code: 'SignatureDoesNotMatch' },
    { name: 'header missing Signature', make: async () => { const w = await base(); w.headers.authorization = w.headers.authorization!.replace(/, Signature=.*$/, ''); return toRequest(w); }, code: 'IncompleteSignature', message: /requires 'Signature' parameter/ },
    { name: 'credential with 4 parts', make: async () => { const w = await base(); w.headers.authorization = w.headers.authorization!.replace('/aws4_request', ''); return toRequest(w); }, code: 'IncompleteSignature', message: /exactly 5 slash-delimited elements/ },
    // AWS's answer to an empty region (the Go SDK v2 signs one when a resolver sets no SigningRegion), as quoted
    // from STS in Hadoop's S3A assumed-role troubleshooting and from another service in fsouza/s3-upload-proxy#241.
    { name: 'credential with an empty region', make: async () => { const w = await base(); w.headers.authorization = w.headers.authorization!.replace('/us-east-1/', '//'); return toRequest(w); }, code: 'SignatureDoesNotMatch', message: /^Credential should be scoped to a valid region, not ''\.$/ },
    { name: 'presigned credential with an empty region', make: async () => { const w = await sign({ region: 'us-east-1', service: 'iam', presign: true }); w.query['X-Amz-Credential'] = w.query['X-Amz-Credential']!.replace('/us-east-1/', '//'); return toRequest(w); }, code: 'SignatureDoesNotMatch', message: /valid region, not ''/ },
    { name: 'credential with an empty service', make: async () => { const w = await base(); w.headers.authorization = w.headers.authorization!.replace('/iam/', '//'); return toRequest(w); }, code: 'IncompleteSignature', message: /exactly 5 slash-delimited elements/ },
    { name: 'unsupported algorithm', make: async () => { const w = await base(); w.headers.authorization = w.headers.authorization!.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'); return toRequest(w); }, code: 'IncompleteSignature' },
    { name: 'missing date header', make: async () => { const w = await base(); delete w.headers['x-amz-date']; return toRequest(w); }, code: 'IncompleteSignature', message: /X-Amz-Date/ },
    { name: 'stale request time', make: async () => toRequest(await base()), now: new Date(NOW.getTime() + 16 * 60_000), code: 'SignatureDoesNotMatch', message: /^Signature expired: 20260102T030405Z is now earlier than/ },
    { name: 'request time in the future', make: async () => toRequest(await base()), now: new Date(NOW.getTime() - 16 * 60_000), code: 'SignatureDoesNotMatch', message: /not yet current/ },
    { name: 'presigned URL past X-Amz-Expires', make: async () => toRequest(await sign({ region: 'us-east-1', service: 'iam', presign: true, query: { Action: 'ListUsers' } })), now: new Date(NOW.getTime() + 301_000), code: 'RequestExpired', message: /Request has expired/ },
    { name: 'UNSIGNED-PAYLOAD with a body', make: async () => toRequest(await sign({ region: 'us-east-1', service: 'iam', body: 'Action=ListUsers', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })), code: 'SignatureDoesNotMatch', message: /x-amz-content-sha256/ },
    { name: 'declared payload hash of another body', make: async () => toRequest({ ...(await sign({ region: 'us-east-1', service: 'iam', body: 'Action=ListUsers', headers: { 'x-amz-content-sha256': '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b' } })) }), code: 'SignatureDoesNotMatch' },
    { name: 'presigned without signature', make: async () => { const w = await sign({ region: 'us-east-1', service: 'iam', presign: true }); delete w.query['X-Amz-Signature']; return toRequest(w); }, code: 'IncompleteSignature', message: /X-Amz-Signature/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      // Given a request that is unsigned, malformed, tampered or out of time
      const req = await c.make();
      // When it goes through parse, time check and verification
      let caught: unknown;
      try {
        const sig = parseSignature(req);
        checkRequestTime(sig, c.now ?? NOW);
        verifySignature(req, sig, c.secret ?? KEY.secretAccessKey, new SigningKeyCache());
      } catch (e) {
        caught = e;
      }
      // Then it is refused with AWS's code and wording
      expect((caught as { code?: string } | undefined)?.code).toBe(c.code);
      if (c.message) expect((caught as Error).message).toMatch(c.message);
    });
  }
});

describe('presigned without X-Amz-Expires (the Go SDK v2 presigns STS so)', () => {
  /** A presigned GetCallerIdentity with its X-Amz-Expires taken out (parse and time checks only). */
  const withoutExpires = async () => {
    const w = await sign({ region: 'us-east-1', service: 'sts', presign: true, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } });
    delete w.query['X-Amz-Expires'];
    return toRequest(w);
  };
  it('is refused where the service requires X-Amz-Expires (the default, as S3)', async () => {
    // Given a presigned request without X-Amz-Expires, When parsed with the default options, Then it is incomplete
    const req = await withoutExpires();
    expect(() => parseSignature(req)).toThrow(/must include 'X-Amz-Expires'/);
  });
  it.each([
    { name: 'at its date', afterMs: 0, expired: false },
    { name: '15 minutes after its date', afterMs: 15 * 60_000, expired: false },
    { name: 'a second past 15 minutes', afterMs: 15 * 60_000 + 1000, expired: true },
  ])('where it is optional, is valid for 15 minutes: $name', async ({ afterMs, expired }) => {
    // Given the request parsed where X-Amz-Expires is optional
    const sig = parseSignature(await withoutExpires(), { presignExpiresOptional: true });
    expect(sig.expiresSeconds).toBeUndefined();
    // When its time is checked afterMs after its date, Then it has expired only past 15 minutes
    const check = () => checkRequestTime(sig, new Date(NOW.getTime() + afterMs));
    if (expired) expect(check).toThrow(/Request has expired/);
    else expect(check).not.toThrow();
  });
  it('where it is optional, keeps its 15 minutes when an embedder widens the clock skew', async () => {
    // Given the request parsed where X-Amz-Expires is optional, and a skew widened to an hour
    const sig = parseSignature(await withoutExpires(), { presignExpiresOptional: true });
    const hour = 60 * 60_000;
    // When checked 16 minutes after its date, Then it has expired all the same
    expect(() => checkRequestTime(sig, new Date(NOW.getTime() + 16 * 60_000), hour)).toThrow(/Request has expired/);
  });
  it('where it is optional, an empty or invalid X-Amz-Expires is still refused', async () => {
    for (const value of ['', '0', 'x']) {
      const w = await sign({ region: 'us-east-1', service: 'sts', presign: true, query: { Action: 'GetCallerIdentity' } });
      w.query['X-Amz-Expires'] = value;
      expect(() => parseSignature(toRequest(w), { presignExpiresOptional: true })).toThrow(/X-Amz-Expires must be a number of seconds/);
    }
  });
});

describe('canonical pieces', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/a%20b', '/a%2520b'],
    ['/a/./b/../c/', '/a/c/'],
  ])('canonicalUri(%j) = %j', (path, expected) => expect(canonicalUri(path)).toBe(expected));
  it.each([
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1', 'a=1&a=2'],
    ['x&y=', 'x=&y='],
    ['k=a%20b&X-Amz-Signature=abc', 'k=a%20b'],
    ["k=*!'()~", 'k=%2A%21%27%28%29~'],
  ])('canonicalQuery(%j) = %j', (q, expected) => expect(canonicalQuery(q)).toBe(expected));
});

describe('a + in the query string means the same to the signature and to the parameter reader', () => {
  // The Query protocol's reader (read-query-params.ts) decodes the query as a form: `+` is a space.
  const readParam = (req: SigV4Request, name: string) => new URLSearchParams(req.query).get(name);
  const presigned = (query: Record<string, string>) => sign({ region: 'us-east-1', service: 'iam', presign: true, query: { Action: 'ListUsers', Version: '2010-05-08', ...query } });
  const verify = (req: SigV4Request) => {
    const sig = parseSignature(req);
    verifySignature(req, sig, KEY.secretAccessKey, new SigningKeyCache());
  };

  it('a signed literal plus (%2B) cannot be turned into a space by sending + instead', async () => {
    // Given a presigned URL whose signed value holds a literal plus, which the SDK sends as %2B
    const req = toRequest(await presigned({ PathPrefix: '/a+b/' }));
    expect(req.query).toContain('%2Fa%2Bb%2F');
    expect(() => verify(req)).not.toThrow();
    // When the plus is rewritten as a raw + (which the reader takes as a space)
    const altered = { ...req, query: req.query.replace('%2Fa%2Bb%2F', '%2Fa+b%2F') };
    expect(readParam(altered, 'PathPrefix')).toBe('/a b/');
    // Then the signature no longer matches
    expect(() => verify(altered)).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
  });

  it('a signed space may be sent as + (as URLSearchParams-based clients do), and is read as a space', async () => {
    // Given a presigned URL whose signed value holds a space, sent as %20
    const req = toRequest(await presigned({ PathPrefix: '/a b/' }));
    expect(req.query).toContain('%2Fa%20b%2F');
    // When the space is sent as + instead
    const plus = { ...req, query: req.query.replace('%2Fa%20b%2F', '%2Fa+b%2F') };
    // Then it verifies, and the reader sees the value that was signed
    expect(() => verify(plus)).not.toThrow();
    expect(readParam(plus, 'PathPrefix')).toBe('/a b/');
  });

  it.each([
    ['a=b+c', 'a=b%20c'],
    ['a=b%2Bc', 'a=b%2Bc'],
    ['a+b=c', 'a%20b=c'],
    ['a=%E1', 'a=%EF%BF%BD'],
    ['a=%25E1', 'a=%25E1'],
  ])('canonicalQuery(%j) = %j', (q, expected) => expect(canonicalQuery(q)).toBe(expected));
});

describe('request dates: only the formats AWS reads', () => {
  // A request with a well-formed Authorization header (signature irrelevant here) and the given date headers.
  const request = (headers: Record<string, string>): SigV4Request => {
    const all = new Map(Object.entries({
      host: 'castellan.example',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260102/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00',
      ...headers,
    }));
    return { method: 'POST', path: '/', query: '', header: (n) => all.get(n), host: 'castellan.example', body: new Uint8Array() };
  };
  const amzDateOf = (headers: Record<string, string>) => {
    try {
      return parseSignature(request(headers)).amzDate;
    } catch (e) {
      return (e as { code: string }).code;
    }
  };

  it.each([
    // X-Amz-Date: ISO 8601 basic format only.
    [{ 'x-amz-date': '20260102T030405Z' }, '20260102T030405Z'],
    [{ 'x-amz-date': '2026-01-02T03:04:05Z' }, 'IncompleteSignature'],
    [{ 'x-amz-date': '20260102T030405' }, 'IncompleteSignature'],
    [{ 'x-amz-date': '20260102T036005Z' }, 'IncompleteSignature'],
    [{ 'x-amz-date': '20260102T240000Z' }, 'IncompleteSignature'],
    [{ 'x-amz-date': '20260230T030405Z' }, 'IncompleteSignature'],
    [{ 'x-amz-date': '20261302T030405Z' }, 'IncompleteSignature'],
    [{ 'x-amz-date': 'Fri, 02 Jan 2026 03:04:05 GMT' }, 'IncompleteSignature'],
    // X-Amz-Date wins over Date.
    [{ 'x-amz-date': '20260102T030405Z', date: 'Sat, 03 Jan 2026 00:00:00 GMT' }, '20260102T030405Z'],
    // Date: ISO 8601 basic, or RFC 7231 IMF-fixdate with its true weekday.
    [{ date: '20260102T030405Z' }, '20260102T030405Z'],
    [{ date: 'Fri, 02 Jan 2026 03:04:05 GMT' }, '20260102T030405Z'],
    [{ date: 'Thu, 02 Jan 2026 03:04:05 GMT' }, 'IncompleteSignature'],
    [{ date: 'Fri, 02 Jan 2026 03:04:05 UTC' }, 'IncompleteSignature'],
    [{ date: 'Fri, 2 Jan 2026 03:04:05 GMT' }, 'IncompleteSignature'],
    [{ date: 'Friday, 02-Jan-26 03:04:05 GMT' }, 'IncompleteSignature'],
    [{ date: 'Fri Jan  2 03:04:05 2026' }, 'IncompleteSignature'],
    [{ date: '2026-12-06 10:09:43' }, 'IncompleteSignature'],
    [{ date: '2026-01-02T03:04:05Z' }, 'IncompleteSignature'],
    [{ date: '1767323045' }, 'IncompleteSignature'],
  ])('%j -> %s', (headers, expected) => {
    expect(amzDateOf(headers)).toBe(expected);
  });

  it('a malformed Date header is refused with AWS wording', () => {
    expect(() => parseSignature(request({ date: '2026-12-06 10:09:43' }))).toThrow(
      "Date must be in ISO-8601 'basic format'. Got '2026-12-06 10:09:43'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });
});

describe('the parser remembers the last date and signed headers it read (requests repeat them)', () => {
  it('reads each date and header list right, whatever came before, and hands out copies', () => {
    const rows: Array<[string, string | undefined]> = [
      ['20260102T030405Z', '2026-01-02T03:04:05.000Z'],
      ['20260102T030405Z', '2026-01-02T03:04:05.000Z'],
      ['20260230T030405Z', undefined],
      ['20260230T030405Z', undefined],
      ['20260102T030406Z', '2026-01-02T03:04:06.000Z'],
      ['20260102T030405Z', '2026-01-02T03:04:05.000Z'],
    ];
    for (const [text, iso] of rows) expect([text, parseAmzDate(text)?.toISOString()]).toEqual([text, iso]);
    parseAmzDate('20260102T030405Z')!.setUTCFullYear(1999);
    expect(parseAmzDate('20260102T030405Z')!.toISOString()).toBe('2026-01-02T03:04:05.000Z');

    const signedWith = (signedHeaders: string) => {
      const headers = new Map([['host', 'h'], ['x-amz-date', '20260102T030405Z'], ['authorization', `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260102/us-east-1/iam/aws4_request, SignedHeaders=${signedHeaders}, Signature=00`]]);
      return parseSignature({ method: 'GET', path: '/', query: '', header: (n) => headers.get(n), host: 'h', body: new Uint8Array() }).signedHeaders;
    };
    const first = signedWith('host;x-amz-date');
    first.push('changed');
    expect(signedWith('host;x-amz-date')).toEqual(['host', 'x-amz-date']);
    expect(signedWith('Host;X-Amz-Content-Sha256;x-amz-date')).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date']);
    expect(signedWith('host;x-amz-date')).toEqual(['host', 'x-amz-date']);
  });
});

describe('presigned fields: a repeated name reads the same in any order (the query order is not signed)', () => {
  it.each([['X-Amz-Security-Token=b&X-Amz-Security-Token=a'], ['X-Amz-Security-Token=a&X-Amz-Security-Token=b']])('%s', (query) => {
    expect(rawQueryParams(query).get('X-Amz-Security-Token')).toBe('a');
  });
});
