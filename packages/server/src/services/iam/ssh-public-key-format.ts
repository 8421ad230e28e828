/**
 * SSH public keys as IAM takes them (UploadSSHPublicKey): OpenSSH `ssh-rsa AAAA… [comment]` or a
 * PEM RSA public key (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`), at least 2048 bits. Parsed
 * with node:crypto; converted between the two encodings for GetSSHPublicKey's `Encoding`.
 *
 * @module
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidPublicKeyError, UnrecognizedPublicKeyEncodingError } from '../../domain/errors.js';

/** AWS's minimum (UploadSSHPublicKey: "The minimum bit-length of the public key is 2048 bits"). */
export const MIN_SSH_KEY_BITS = 2048;

/** A parsed key: both encodings and the fingerprint. */
export interface ParsedSshPublicKey {
  /** `ssh-rsa <base64>` (no comment). */
  ssh: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  pem: string;
  /** MD5 of the SSH wire form, colon-separated lowercase hex (`ssh-keygen -E md5 -l`). */
  fingerprint: string;
}

/** Parses an uploaded key or throws AWS's InvalidPublicKey / UnrecognizedPublicKeyEncoding. */
export function parseSshPublicKey(body: string): ParsedSshPublicKey {
  const text = body.trim();
  let key: KeyObject;
  if (/^ssh-rsa\s/.test(text)) key = fromOpenSsh(text);
  else if (/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) key = fromPem(text);
  else throw new UnrecognizedPublicKeyEncodingError('The public key encoding format is unsupported or unrecognized: use ssh-rsa or PEM.');
  if (key.asymmetricKeyType !== 'rsa') throw new UnrecognizedPublicKeyEncodingError('The public key encoding format is unsupported or unrecognized: use ssh-rsa or PEM.');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_SSH_KEY_BITS) throw new InvalidPublicKeyError(`The public key is ${bits} bits long; the minimum is ${MIN_SSH_KEY_BITS} bits.`);
  const blob = wireForm(key);
  return {
    ssh: `ssh-rsa ${blob.toString('base64')}`,
    pem: key.export({ type: 'spki', format: 'pem' }).toString().trim(),
    fingerprint: createHash('md5').update(blob).digest('hex').match(/../g)!.join(':'),
  };
}

function malformed(): InvalidPublicKeyError {
  return new InvalidPublicKeyError('The public key is malformed or otherwise invalid.');
}

function fromPem(text: string): KeyObject {
  try {
    const type = text.startsWith('-----BEGIN RSA') ? 'pkcs1' : 'spki';
    return createPublicKey({ key: text, format: 'pem', type });
  } catch {
    throw malformed();
  }
}

function fromOpenSsh(text: string): KeyObject {
  const b64 = text.split(/\s+/)[1] ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw malformed();
  const blob = Buffer.from(b64, 'base64');
  const reader = new WireReader(blob);
  const type = reader.string();
  const e = reader.mpint();
  const n = reader.mpint();
  if (type?.toString() !== 'ssh-rsa' || !e || !n || !reader.atEnd()) throw malformed();
  try {
    return createPublicKey({ key: { kty: 'RSA', e: unsigned(e).toString('base64url'), n: unsigned(n).toString('base64url') }, format: 'jwk' });
  } catch {
    throw malformed();
  }
}

/** The RFC 4253 `ssh-rsa` blob: string "ssh-rsa", mpint e, mpint n. */
function wireForm(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const parts = [Buffer.from('ssh-rsa'), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'))];
  return Buffer.concat(parts.flatMap((p) => [u32(p.length), p]));
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** An unsigned big-endian integer as an SSH mpint (a leading zero byte when the top bit is set). */
function mpint(bytes: Buffer): Buffer {
  const trimmed = unsigned(bytes);
  return trimmed.length > 0 && trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}

function unsigned(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** Reads length-prefixed fields of an SSH wire blob; `undefined` past the end. */
class WireReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer | undefined {
    if (this.offset + 4 > this.buf.length) return undefined;
    const len = this.buf.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + len > this.buf.length) return undefined;
    this.offset = start + len;
    return this.buf.subarray(start, start + len);
  }
  mpint(): Buffer | undefined {
    const b = this.string();
    // A negative mpint (top bit set without a leading zero) is not an RSA parameter.
    return b && b.length > 0 && !(b[0]! & 0x80) ? b : undefined;
  }
  atEnd(): boolean {
    return this.offset === this.buf.length;
  }
}
