/**
 * SAML 2.0 identity-provider metadata, as CreateSAMLProvider and UpdateSAMLProvider take it: an
 * `md:EntityDescriptor` with an `entityID`, an `md:IDPSSODescriptor`, and at least one signing
 * certificate (`md:KeyDescriptor` without `use` or with `use="signing"`). Parsed with
 * `@xmldom/xmldom`; a document with a DOCTYPE is refused (no entity expansion, no external
 * references). A certificate that Node's X.509 parser does not read is refused too.
 *
 * @module
 */
import { createHash, X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { InvalidInputError } from '../../domain/errors.js';

/** SAML's XML namespaces. */
export const SAML_NS = {
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** What AssumeRoleWithSAML needs from a provider's metadata. */
export interface SamlMetadata {
  /** The IdP's entity id: the `Issuer` of its assertions. */
  entityId: string;
  /** Its signing certificates, PEM. */
  certificates: string[];
  /** The metadata's `validUntil`, when it has one. */
  validUntil?: Date;
}

/** AWS's text for metadata it cannot use. */
const COULD_NOT_PARSE = 'Could not parse metadata';

/**
 * Parses XML that must not carry a DOCTYPE (SAML forbids one; it is the door to entity expansion),
 * answering its document element, or undefined when it is not well-formed.
 */
export function parseXmlElement(xml: string): Element | undefined {
  if (/<!DOCTYPE/i.test(xml)) return undefined;
  let failed = false;
  const doc = new DOMParser({
    errorHandler: { warning: () => undefined, error: () => { failed = true; }, fatalError: () => { failed = true; } },
  }).parseFromString(xml, 'text/xml');
  if (failed || !doc?.documentElement) return undefined;
  return doc.documentElement as unknown as Element;
}

/** The elements named `ns:local` among `parent`'s children. */
export function childElements(parent: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) out.push(n as Element);
  }
  return out;
}

/** The text of an element, trimmed. */
export function textOf(e: Element | undefined): string | undefined {
  const t = e?.textContent?.trim();
  return t === undefined || t === '' ? undefined : t;
}

/** A base64 DER certificate (as in `ds:X509Certificate`) in PEM form. */
function pemOf(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}

/** Parses and validates an IdP's metadata; throws AWS's `InvalidInput` naming what is wrong. */
export function parseSamlMetadata(document: string): SamlMetadata {
  const root = parseXmlElement(document);
  if (!root) throw new InvalidInputError(`${COULD_NOT_PARSE}: the document is not well-formed XML without a DOCTYPE.`);
  if (root.namespaceURI !== SAML_NS.metadata || root.localName !== 'EntityDescriptor') {
    throw new InvalidInputError(`${COULD_NOT_PARSE}: the root element must be an EntityDescriptor in the SAML 2.0 metadata namespace.`);
  }
  const entityId = root.getAttribute('entityID') ?? '';
  if (entityId === '') throw new InvalidInputError(`${COULD_NOT_PARSE}: the EntityDescriptor has no entityID.`);
  const idp = childElements(root, SAML_NS.metadata, 'IDPSSODescriptor')[0];
  if (!idp) throw new InvalidInputError(`${COULD_NOT_PARSE}: no IDPSSODescriptor.`);
  const certificates = new Set<string>();
  for (const kd of childElements(idp, SAML_NS.metadata, 'KeyDescriptor')) {
    const use = kd.getAttribute('use');
    if (use && use !== 'signing') continue;
    const x509s = kd.getElementsByTagNameNS(SAML_NS.dsig, 'X509Certificate');
    for (let i = 0; i < x509s.length; i++) {
      const text = textOf(x509s.item(i) as Element);
      if (!text) continue;
      const pem = pemOf(text);
      if (certificates.has(pem)) continue;
      // Refused at the first one past the limit, before parsing it or reading the rest.
      if (certificates.size === MAX_SIGNING_CERTIFICATES) {
        throw new InvalidInputError(`${COULD_NOT_PARSE}: the IDPSSODescriptor has more than ${MAX_SIGNING_CERTIFICATES} signing certificates.`);
      }
      try {
        new X509Certificate(pem);
      } catch {
        throw new InvalidInputError(`${COULD_NOT_PARSE}: a signing certificate is not a valid X.509 certificate.`);
      }
      certificates.add(pem);
    }
  }
  if (certificates.size === 0) throw new InvalidInputError(`${COULD_NOT_PARSE}: the IDPSSODescriptor has no signing certificate.`);
  const validUntilText = root.getAttribute('validUntil');
  let validUntil: Date | undefined;
  if (validUntilText) {
    validUntil = new Date(validUntilText);
    if (Number.isNaN(validUntil.getTime())) throw new InvalidInputError(`${COULD_NOT_PARSE}: validUntil is not a date.`);
  }
  return { entityId, certificates: [...certificates], ...(validUntil ? { validUntil } : {}) };
}

/**
 * The most distinct signing certificates a provider's metadata may list. An IdP lists one, or two
 * while it rolls its key; every unsigned AssumeRoleWithSAML tries its signature against each, so an
 * account administrator's metadata of thousands (IAM allows 10,000,000 characters) would make every
 * forged call cost that many RSA checks. Repeats of one certificate count once.
 */
export const MAX_SIGNING_CERTIFICATES = 20;

/** How many parsed documents {@link cachedSamlMetadata} keeps (each a few certificates). */
export const SAML_METADATA_CACHE_ENTRIES = 256;
const parsed = new Map<string, Readonly<SamlMetadata> | InvalidInputError>();

/**
 * {@link parseSamlMetadata} for AssumeRoleWithSAML, remembered by the document's SHA-256: every
 * unsigned call reads its provider's metadata before anything is verified, and parsing a document
 * of IAM's largest size (10,000,000 characters) took over a second of CPU per call; hashing it
 * takes milliseconds. A document it refuses is remembered with its refusal (a provider stored
 * before a limit was added would otherwise be parsed again by every call naming it). The least
 * recently used documents are forgotten first.
 */
export function cachedSamlMetadata(document: string): Readonly<SamlMetadata> {
  const key = createHash('sha256').update(document).digest('base64');
  const known = parsed.get(key);
  if (known) {
    parsed.delete(key);
    parsed.set(key, known);
    if (known instanceof InvalidInputError) throw known;
    return known;
  }
  let outcome: Readonly<SamlMetadata> | InvalidInputError;
  try {
    const fresh = parseSamlMetadata(document);
    outcome = Object.freeze({ ...fresh, certificates: Object.freeze(fresh.certificates) as string[] });
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    outcome = err;
  }
  parsed.set(key, outcome);
  if (parsed.size > SAML_METADATA_CACHE_ENTRIES) parsed.delete(parsed.keys().next().value!);
  if (outcome instanceof InvalidInputError) throw outcome;
  return outcome;
}
