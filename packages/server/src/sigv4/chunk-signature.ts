/**
 * `aws-chunked` request bodies: the chunked encoding S3 clients send with
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (each chunk signed, chained from the request's seed
 * signature), `…-PAYLOAD-TRAILER` (the same plus a signed trailer) and
 * `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (plain chunks and a checksum trailer). Pure: the caller
 * feeds bytes as they arrive and gets the decoded data back, so a body is never buffered whole.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EMPTY_SHA256, sha256Hex } from './canonical-request.js';

/** What verifying chunk signatures needs: the request's signing key, time, scope and seed signature. */
export interface StreamingSigningContext {
  /** `kSigning` of the request's credential scope (only valid for that date, region and service). */
  signingKey: Uint8Array;
  /** `YYYYMMDDTHHMMSSZ`, the request's `X-Amz-Date`. */
  amzDate: string;
  /** `YYYYMMDD/region/service/aws4_request`. */
  scope: string;
  /** The request's own signature, which the first chunk's signature chains from. */
  seedSignature: string;
}

/** The signature of one chunk, chained from the previous one (the seed for the first chunk). */
export function chunkSignature(ctx: StreamingSigningContext, previous: string, chunk: Uint8Array): string {
  const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', ctx.amzDate, ctx.scope, previous, EMPTY_SHA256, sha256Hex(chunk)].join('\n');
  return createHmac('sha256', ctx.signingKey).update(stringToSign).digest('hex');
}

/** The signature of the trailing headers (`name:value\n` each), chained from the last chunk's. */
export function trailerSignature(ctx: StreamingSigningContext, previous: string, trailers: string): string {
  const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', ctx.amzDate, ctx.scope, previous, sha256Hex(trailers)].join('\n');
  return createHmac('sha256', ctx.signingKey).update(stringToSign).digest('hex');
}

/** Why an `aws-chunked` body was refused (S3 answers `SignatureDoesNotMatch` or `IncompleteBody`). */
export class ChunkedBodyError extends Error {
  constructor(readonly code: 'SignatureDoesNotMatch' | 'IncompleteBody' | 'InvalidChunkSizeError', message: string) {
    super(message);
    this.name = 'ChunkedBodyError';
  }
}

const CRLF = Buffer.from('\r\n');
/** A chunk header longer than this is refused (a size, `;chunk-signature=` and 64 hex digits fit easily). */
const MAX_HEADER = 4096;
/** Trailers longer than this are refused. */
const MAX_TRAILERS = 16 * 1024;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Decodes an `aws-chunked` body incrementally, verifying each chunk's signature when it was signed
 * (a `signing` context is given) and the trailer's when there is one.
 *
 * @example
 * ```ts
 * const decoder = new AwsChunkedDecoder({ signing });
 * for await (const piece of req) for (const data of decoder.push(piece)) file.write(data);
 * const { trailers } = decoder.end();
 * ```
 */
export class AwsChunkedDecoder {
  #pending: Buffer = Buffer.alloc(0);
  #state: 'header' | 'data' | 'data-end' | 'trailers' | 'done' = 'header';
  #remaining = 0;
  #chunkParts: Buffer[] = [];
  #expectedSignature: string | undefined;
  #previous: string;
  #decodedLength = 0;
  readonly #trailers: Record<string, string> = {};

  constructor(private readonly options: { signing?: StreamingSigningContext } = {}) {
    this.#previous = options.signing?.seedSignature ?? '';
  }

  /** The number of decoded bytes so far (S3 checks it against `x-amz-decoded-content-length`). */
  get decodedLength(): number {
    return this.#decodedLength;
  }

  /** Feeds the next bytes; returns the data they complete. Throws {@link ChunkedBodyError}. */
  push(bytes: Uint8Array): Buffer[] {
    this.#pending = this.#pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.#pending, bytes]);
    const out: Buffer[] = [];
    for (;;) {
      if (this.#state === 'header') {
        const eol = this.#pending.indexOf(CRLF);
        if (eol < 0) {
          if (this.#pending.length > MAX_HEADER) throw new ChunkedBodyError('InvalidChunkSizeError', 'Chunk header is too long');
          return out;
        }
        this.#readHeader(this.#pending.subarray(0, eol).toString('latin1'));
        this.#pending = this.#pending.subarray(eol + 2);
        this.#state = this.#remaining === 0 ? 'trailers' : 'data';
        if (this.#remaining === 0) this.#finishChunk(Buffer.alloc(0));
      } else if (this.#state === 'data') {
        if (this.#pending.length === 0) return out;
        const take = Math.min(this.#remaining, this.#pending.length);
        const data = this.#pending.subarray(0, take);
        this.#pending = this.#pending.subarray(take);
        this.#remaining -= take;
        if (this.options.signing) this.#chunkParts.push(data);
        this.#decodedLength += data.length;
        out.push(data);
        if (this.#remaining === 0) this.#state = 'data-end';
      } else if (this.#state === 'data-end') {
        if (this.#pending.length < 2) return out;
        if (this.#pending[0] !== 13 || this.#pending[1] !== 10) throw new ChunkedBodyError('IncompleteBody', 'Chunk data is not followed by CRLF');
        this.#pending = this.#pending.subarray(2);
        this.#finishChunk(Buffer.concat(this.#chunkParts));
        this.#chunkParts = [];
        this.#state = 'header';
      } else if (this.#state === 'trailers') {
        const eol = this.#pending.indexOf(CRLF);
        if (eol < 0) {
          if (this.#pending.length > MAX_TRAILERS) throw new ChunkedBodyError('IncompleteBody', 'Trailers are too long');
          return out;
        }
        const line = this.#pending.subarray(0, eol).toString('utf8');
        this.#pending = this.#pending.subarray(eol + 2);
        if (line === '') this.#state = 'done';
        else {
          const colon = line.indexOf(':');
          if (colon <= 0) throw new ChunkedBodyError('IncompleteBody', 'Malformed trailer');
          this.#trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
      } else {
        return out;
      }
    }
  }

  /** Ends the body: throws unless it was complete; returns the trailers (their signature required and checked when the chunks are signed). */
  end(): { trailers: Record<string, string>; decodedLength: number } {
    if (this.#state === 'trailers' && this.#pending.length === 0 && Object.keys(this.#trailers).length === 0) this.#state = 'done';
    if (this.#state !== 'done') throw new ChunkedBodyError('IncompleteBody', 'The request body terminated unexpectedly');
    const trailers = { ...this.#trailers };
    const signature = trailers['x-amz-trailer-signature'];
    delete trailers['x-amz-trailer-signature'];
    const signing = this.options.signing;
    // Chunks signed, trailers too: an unsigned trailer (a checksum) could have been written by anyone on the way.
    if (signing && signature === undefined && Object.keys(trailers).length > 0) {
      throw new ChunkedBodyError('SignatureDoesNotMatch', 'The trailing headers of a signed body carry no x-amz-trailer-signature');
    }
    if (signing && signature !== undefined) {
      const text = Object.entries(trailers).map(([k, v]) => `${k}:${v}\n`).join('');
      if (!same(trailerSignature(signing, this.#previous, text), signature.toLowerCase())) {
        throw new ChunkedBodyError('SignatureDoesNotMatch', 'The trailer signature does not match');
      }
    }
    return { trailers, decodedLength: this.#decodedLength };
  }

  #readHeader(line: string): void {
    const semi = line.indexOf(';');
    const sizeText = (semi < 0 ? line : line.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw new ChunkedBodyError('InvalidChunkSizeError', 'Invalid chunk size');
    this.#remaining = Number.parseInt(sizeText, 16);
    if (!Number.isSafeInteger(this.#remaining)) throw new ChunkedBodyError('InvalidChunkSizeError', 'Invalid chunk size');
    const ext = semi < 0 ? '' : line.slice(semi + 1).trim();
    const m = /^chunk-signature=([0-9a-fA-F]{64})$/.exec(ext);
    if (this.options.signing && !m) throw new ChunkedBodyError('SignatureDoesNotMatch', 'A chunk is missing its chunk-signature');
    this.#expectedSignature = m?.[1]?.toLowerCase();
  }

  #finishChunk(data: Buffer): void {
    const signing = this.options.signing;
    if (!signing) return;
    const actual = chunkSignature(signing, this.#previous, data);
    if (!same(actual, this.#expectedSignature ?? '')) {
      throw new ChunkedBodyError('SignatureDoesNotMatch', 'The chunk signature we calculated does not match the signature you provided');
    }
    this.#previous = actual;
  }
}
