import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, ChunkedBodyError, chunkSignature, trailerSignature, type StreamingSigningContext } from './chunk-signature.js';
import { declaredPayload, forwardedSignatureMatches, forwardedSigV4Request, credentialScope } from './forwarded-request.js';
import { parseSignature } from './parse-signature.js';
import { deriveSigningKey } from './signing-key-cache.js';

/**
 * AWS's worked example of a chunked upload ("Signature Calculations for the Authorization Header:
 * Transferring Payload in Multiple Chunks", Amazon S3 API Reference): 66,560 bytes of `a` in
 * 64 KiB and 1 KiB chunks, the seed signature and each chunk's signature as published there.
 */
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const CHUNK_SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];
const headers = {
  host: 's3.amazonaws.com',
  'x-amz-date': '20130524T000000Z',
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${SEED}`,
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560',
  'content-length': '66824',
};
const request = forwardedSigV4Request({ method: 'PUT', path: '/examplebucket/chunkObject.txt', query: '', headers });
const sig = parseSignature(request);
const signingKey = deriveSigningKey(SECRET, '20130524', 'us-east-1', 's3');
const signing: StreamingSigningContext = { signingKey, amzDate: sig.amzDate, scope: credentialScope(sig), seedSignature: sig.signature };

function body(signatures = CHUNK_SIGNATURES): Buffer {
  const chunks = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a'), Buffer.alloc(0)];
  return Buffer.concat(chunks.flatMap((c, i) => [Buffer.from(`${c.length.toString(16)};chunk-signature=${signatures[i]}\r\n`), c, Buffer.from('\r\n')]));
}

describe('streaming SigV4 (aws-chunked)', () => {
  it('verifies the seed signature of AWS’s example with the declared streaming payload', () => {
    const { hash, declaration } = declaredPayload(request, sig, { s3: true });
    expect(declaration).toEqual({ kind: 'streaming-signed', trailer: false });
    expect(forwardedSignatureMatches(request, sig, hash, signingKey, { normalizePath: false })).toBe(true);
  });

  it('computes each chunk signature AWS publishes', () => {
    let previous = SEED;
    const chunks = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a'), Buffer.alloc(0)];
    chunks.forEach((c, i) => {
      previous = chunkSignature(signing, previous, c);
      expect(previous).toBe(CHUNK_SIGNATURES[i]);
    });
  });

  it.each([1, 7, 4096, 100_000])('decodes the body fed in pieces of %i bytes, 66824 bytes on the wire', (piece) => {
    const wire = body();
    expect(wire.length).toBe(66824);
    const decoder = new AwsChunkedDecoder({ signing });
    let decoded = 0;
    for (let i = 0; i < wire.length; i += piece) for (const d of decoder.push(wire.subarray(i, i + piece))) decoded += d.length;
    expect(decoded).toBe(66560);
    expect(decoder.end().decodedLength).toBe(66560);
  });

  it.each([
    ['a chunk signature altered', () => body([CHUNK_SIGNATURES[0]!, CHUNK_SIGNATURES[2]!, CHUNK_SIGNATURES[2]!]), 'SignatureDoesNotMatch'],
    ['chunk data altered', () => { const b = body(); b[200] = 98; return b; }, 'SignatureDoesNotMatch'],
    ['the final chunk missing', () => body().subarray(0, 66824 - 86), 'IncompleteBody'],
  ])('refuses %s', (_name, make, code) => {
    const decoder = new AwsChunkedDecoder({ signing });
    let caught: unknown;
    try {
      decoder.push(make());
      decoder.end();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ChunkedBodyError);
    expect((caught as ChunkedBodyError).code).toBe(code);
  });

  it('decodes an unsigned body with a checksum trailer', () => {
    const decoder = new AwsChunkedDecoder();
    const out = decoder.push(Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n'));
    expect(Buffer.concat(out).toString()).toBe('hello');
    expect(decoder.end().trailers).toEqual({ 'x-amz-checksum-crc32': 'NhCmhg==' });
  });

  describe('with a signed trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', () => {
    /**
     * AWS's worked example of the same upload with a trailing checksum ("Signature calculations for
     * trailing headers", Amazon S3 API Reference): its seed signature, chunk signatures, trailer and
     * trailer signature as published there.
     */
    const TRAILER_SEED = '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e';
    const TRAILER_CHUNK_SIGNATURES = [
      'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
      '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
      '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
    ];
    const TRAILER = 'x-amz-checksum-crc32c:sOO8/Q==';
    const TRAILER_SIGNATURE = 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435';
    const trailerSigning: StreamingSigningContext = { ...signing, seedSignature: TRAILER_SEED };
    const trailerBody = (trailers: string) => {
      const chunks = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a')];
      return Buffer.concat([
        ...chunks.flatMap((c, i) => [Buffer.from(`${c.length.toString(16)};chunk-signature=${TRAILER_CHUNK_SIGNATURES[i]}\r\n`), c, Buffer.from('\r\n')]),
        Buffer.from(`0;chunk-signature=${TRAILER_CHUNK_SIGNATURES[2]}\r\n${trailers}\r\n`),
      ]);
    };

    it('computes each chunk signature and the trailer signature AWS publishes', () => {
      let previous = TRAILER_SEED;
      [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a'), Buffer.alloc(0)].forEach((c, i) => {
        previous = chunkSignature(trailerSigning, previous, c);
        expect(previous).toBe(TRAILER_CHUNK_SIGNATURES[i]);
      });
      expect(trailerSignature(trailerSigning, previous, `${TRAILER}\n`)).toBe(TRAILER_SIGNATURE);
    });

    it('decodes AWS’s example, returning the trailer it signed', () => {
      const decoder = new AwsChunkedDecoder({ signing: trailerSigning });
      const decoded = Buffer.concat(decoder.push(trailerBody(`${TRAILER}\r\nx-amz-trailer-signature:${TRAILER_SIGNATURE}\r\n`)));
      expect(decoded.length).toBe(66560);
      expect(decoder.end().trailers).toEqual({ 'x-amz-checksum-crc32c': 'sOO8/Q==' });
    });

    it.each([
      ['a trailer altered', `x-amz-checksum-crc32c:AAAAAA==\r\nx-amz-trailer-signature:${TRAILER_SIGNATURE}\r\n`],
      ['a trailer signature altered', `${TRAILER}\r\nx-amz-trailer-signature:${'0'.repeat(64)}\r\n`],
      // Chunks signed, the trailer not: anyone on the way could have written its checksum.
      ['a trailer without its signature', `${TRAILER}\r\n`],
    ])('refuses %s', (_name, trailers) => {
      const decoder = new AwsChunkedDecoder({ signing: trailerSigning });
      decoder.push(trailerBody(trailers));
      expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
    });
  });
});
