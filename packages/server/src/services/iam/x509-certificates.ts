/**
 * X.509 certificates as IAM takes them (signing and server certificates), parsed and validated
 * with node:crypto's `X509Certificate`. AWS applies standard X.509 validation, so a certificate
 * outside its validity period (expired, or not valid yet) is `MalformedCertificate` too (AWS's
 * service team, aws/aws-sdk-go#2586).
 *
 * @module
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { KeyPairMismatchError, MalformedCertificateError } from '../../domain/errors.js';

/** A parsed certificate and what IAM keeps of it. */
export interface ParsedCertificate {
  cert: X509Certificate;
  /** SHA-256 of the DER form, colon hex: the same certificate uploaded twice has the same one. */
  fingerprint: string;
  notBefore: Date;
  expiration: Date;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Parses one PEM certificate valid at `now`, or throws AWS's MalformedCertificate. */
export function parseCertificate(body: string, now: Date): ParsedCertificate {
  const blocks = body.match(PEM_CERT) ?? [];
  if (blocks.length !== 1 || body.replace(PEM_CERT, '').trim() !== '') throw unparseable();
  const parsed = parseBlock(blocks[0]!);
  if (!parsed) throw unparseable();
  if (now < parsed.notBefore || now > parsed.expiration) {
    throw new MalformedCertificateError(`The certificate is not valid at the current time: it is valid from ${parsed.notBefore.toISOString()} to ${parsed.expiration.toISOString()}.`);
  }
  return parsed;
}

/**
 * Checks a server certificate's chain: PEM certificates, the first the issuer of `leaf` and each
 * the issuer of the one before it, in AWS's words when a link is wrong.
 */
export function checkChain(leaf: X509Certificate, chain: string): void {
  const blocks = chain.match(PEM_CERT) ?? [];
  if (blocks.length === 0 || chain.replace(PEM_CERT, '').trim() !== '') throw badChain(-1);
  let child = leaf;
  blocks.forEach((block, index) => {
    const parsed = parseBlock(block);
    if (!parsed || !child.checkIssued(parsed.cert) || !child.verify(parsed.cert.publicKey)) throw badChain(index);
    child = parsed.cert;
  });
}

/** Parses the private key and checks it is the certificate's, or throws MalformedCertificate / KeyPairMismatch. */
export function checkPrivateKey(cert: X509Certificate, privateKeyPem: string): void {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    throw new MalformedCertificateError('Unable to parse the private key. Please ensure it is an unencrypted PEM private key.');
  }
  if (!cert.checkPrivateKey(key)) throw new KeyPairMismatchError('The private key did not match the public key in the certificate.');
}

function parseBlock(pem: string): ParsedCertificate | undefined {
  try {
    const cert = new X509Certificate(pem);
    const notBefore = new Date(cert.validFrom);
    const expiration = new Date(cert.validTo);
    if (Number.isNaN(notBefore.getTime()) || Number.isNaN(expiration.getTime())) return undefined;
    return { cert, fingerprint: cert.fingerprint256, notBefore, expiration };
  } catch {
    return undefined;
  }
}

function unparseable(): MalformedCertificateError {
  return new MalformedCertificateError('Unable to parse certificate. Please ensure the certificate is in PEM format.');
}

function badChain(index: number): MalformedCertificateError {
  return new MalformedCertificateError(
    `Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: ${index}`,
  );
}
