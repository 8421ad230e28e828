import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCanonicalRequest, buildStringToSign, type CanonicalOptions } from './canonical-request.js';
import { parseSignature } from './parse-signature.js';
import { deriveSigningKey, SigningKeyCache } from './signing-key-cache.js';
import type { SigV4Request } from './sigv4-request.js';
import { checkRequestTime, verifySignature } from './verify-signature.js';

/**
 * AWS's published SigV4 test suite (test-vectors/README.md): for every case and both ways of signing
 * (Authorization header, presigned query), our canonical request, string to sign and signature must
 * equal the expected files, the verifier must accept the signed request at the case's time, and
 * refuse it once a signed part is altered.
 */
const SUITE = new URL('./test-vectors/v4/', import.meta.url);

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  expiration_in_seconds: number;
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

/** Reads an HTTP/1.1 request as the suite writes it: the path as sent (raw spaces and UTF-8 included), folded header lines, repeated headers. */
function parseHttp(text: string): SigV4Request {
  const headerEnd = text.indexOf('\n\n');
  const head = headerEnd < 0 ? text.replace(/\n$/, '') : text.slice(0, headerEnd);
  const body = headerEnd < 0 ? '' : text.slice(headerEnd + 2);
  const [requestLine, ...lines] = head.split('\n');
  const m = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine!);
  if (!m) throw new Error(`bad request line ${requestLine}`);
  const target = m[2]!;
  const q = target.indexOf('?');
  // Folded (obs-fold) lines continue the previous header; repeated headers are joined with ','.
  const unfolded: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && unfolded.length > 0) unfolded[unfolded.length - 1]![1] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      unfolded.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1)]);
    }
  }
  const headers = new Map<string, string>();
  for (const [name, value] of unfolded) headers.set(name, headers.has(name) ? `${headers.get(name)},${value.trim()}` : value);
  return {
    method: m[1]!,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    header: (name) => headers.get(name),
    host: headers.get('host') ?? '',
    body: new TextEncoder().encode(body),
  };
}

/** The request as the signer saw it: a session token added after signing (`omit_session_token`) taken back out. */
function asSigned(req: SigV4Request, context: Context): SigV4Request {
  if (!context.omit_session_token) return req;
  const query = req.query
    .split('&')
    .filter((pair) => !pair.startsWith('X-Amz-Security-Token='))
    .join('&');
  return { ...req, query };
}

const cases = readdirSync(SUITE).sort();
const read = (name: string, file: string) => readFileSync(new URL(`${name}/${file}`, SUITE), 'utf8');

describe('AWS SigV4 test suite', () => {
  it('has every case of the published suite', () => {
    expect(cases).toHaveLength(38);
  });

  for (const name of cases) {
    const context = JSON.parse(read(name, 'context.json')) as Context;
    const options: CanonicalOptions = { normalizePath: context.normalize };
    const now = new Date(context.timestamp);
    const secret = context.credentials.secret_access_key;

    for (const kind of ['header', 'query'] as const) {
      // The one case the verifier refuses on purpose: a presigned URL whose session token was added
      // after signing (AWS IoT's convention, `omit_session_token`). IAM, STS and CloudTrail sign the
      // token with the rest of the query; accepting an unsigned one would let a token be swapped.
      const tokenAddedAfterSigning = kind === 'query' && context.omit_session_token === true;

      it(`${name} (${kind}): canonical request, string to sign and signature`, () => {
        // Given the signed request of the case
        const signed = parseHttp(read(name, `${kind}-signed-request.txt`));
        const sig = parseSignature(signed);
        // When we canonicalize it as the signer did
        const canonical = buildCanonicalRequest(asSigned(signed, context), sig, options);
        const stringToSign = buildStringToSign(canonical!, sig);
        const signature = createHmac('sha256', deriveSigningKey(secret, sig.scopeDate, sig.region, sig.service)).update(stringToSign).digest('hex');
        // Then every intermediate value is AWS's
        expect(canonical).toBe(read(name, `${kind}-canonical-request.txt`));
        expect(stringToSign).toBe(read(name, `${kind}-string-to-sign.txt`));
        expect(signature).toBe(read(name, `${kind}-signature.txt`).trim());
        expect(sig.signature).toBe(signature);
        expect(sig.accessKeyId).toBe(context.credentials.access_key_id);
      });

      it(`${name} (${kind}): the verifier ${tokenAddedAfterSigning ? 'refuses a token the signature does not cover' : 'accepts it, and refuses it altered'}`, () => {
        const signed = parseHttp(read(name, `${kind}-signed-request.txt`));
        const sig = parseSignature(signed);
        const verify = (req: SigV4Request) => verifySignature(req, sig, secret, new SigningKeyCache(), options);
        expect(() => checkRequestTime(sig, now)).not.toThrow();
        if (tokenAddedAfterSigning) {
          expect(() => verify(signed)).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
          return;
        }
        expect(() => verify(signed)).not.toThrow();
        // Altered: another method, another path, one more query parameter, another body.
        const altered: SigV4Request[] = [
          { ...signed, method: signed.method === 'GET' ? 'POST' : 'GET' },
          { ...signed, path: `${signed.path}x` },
          { ...signed, query: signed.query ? `${signed.query}&Extra=1` : 'Extra=1' },
        ];
        if (context.sign_body || kind === 'query') altered.push({ ...signed, body: new TextEncoder().encode('Param1=value2') });
        for (const req of altered) expect(() => verify(req)).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
      });
    }
  }
});
