import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSignature } from './parse-signature.js';
import type { SigV4Request } from './sigv4-request.js';

const request = (authorization: string): SigV4Request => ({
  method: 'POST', path: '/', query: '', host: 'h', body: new Uint8Array(),
  header: (n) => ({ authorization, 'x-amz-date': '20260102T030405Z' } as Record<string, string>)[n],
});

/** The fields as the parser read them before it walked the header in place: split on commas, first `=`, trimmed, last wins. */
function referenceFields(header: string): Record<string, string> {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const out: Record<string, string> = {};
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === 'Credential' || name === 'Signature' || name === 'SignedHeaders') out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

/** What parsing answers, without the header an error message quotes. */
function outcome(header: string): unknown {
  try {
    return parseSignature(request(header));
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message.replace(/ Authorization=[\s\S]*$/, '').replace(/got '[\s\S]*'$/, '') };
  }
}

describe('parseSignature: the Authorization header fields', () => {
  it('reads the fields of any header as splitting it on commas did', () => {
    const piece = fc.constantFrom(',', '=', ' ', ', ', 'Credential', 'Signature', 'SignedHeaders', 'Credential=AKIAEXAMPLE/20260102/us-east-1/sts/aws4_request',
      'SignedHeaders=host;x-amz-date', `Signature=${'ab'.repeat(32)}`, 'x', 'host', '\t');
    fc.assert(fc.property(fc.array(piece, { maxLength: 14 }).map((p) => `AWS4-HMAC-SHA256 ${p.join('')}`), (header) => {
      const f = referenceFields(header);
      const normalized = `AWS4-HMAC-SHA256 ${(['Credential', 'SignedHeaders', 'Signature'] as const).filter((n) => f[n] !== undefined).map((n) => `${n}=${f[n]}`).join(',')}`;
      expect(outcome(header)).toEqual(outcome(normalized));
    }), { numRuns: 3000 });
  });

  it('stays linear on a long header of parts without `=`', () => {
    const header = `AWS4-HMAC-SHA256 ${','.repeat(200_000)}Credential=a`;
    const started = performance.now();
    expect(() => parseSignature(request(header))).toThrow(/requires 'Signature'/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('parseSignature: one auth mechanism', () => {
  const header = `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260102/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`;
  const withQuery = (query: string): SigV4Request => ({ ...request(header), query });
  it.each([
    ['X-Amz-Signature', `X-Amz-Signature=${'cd'.repeat(32)}`],
    ['X-Amz-Algorithm', 'Action=GetCallerIdentity&X-Amz-Algorithm=AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', 'X-Amz-Credential=AKIAEXAMPLE%2F20260102%2Fus-east-1%2Fsts%2Faws4_request'],
    ['a percent-encoded name', `X%2DAmz%2DSignature=${'cd'.repeat(32)}`],
  ])('refuses a header-signed request whose query also has %s', (_name, query) => {
    expect(() => parseSignature(withQuery(query))).toThrow(expect.objectContaining({ code: 'InvalidParameterCombination', message: expect.stringMatching(/^Only one auth mechanism allowed/) }));
  });

  it.each([
    ['no query', ''],
    ['other parameters', 'Action=GetCallerIdentity&Version=2011-06-15'],
    ['a parameter only named alike', 'X-Amz-Date=20260102T030405Z&x-amz-signature=ab&Amz=1'],
  ])('reads the header of a request with %s', (_name, query) => {
    expect(parseSignature(withQuery(query))).toMatchObject({ kind: 'header', accessKeyId: 'AKIAEXAMPLE' });
  });
});
