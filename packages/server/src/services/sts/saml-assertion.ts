/**
 * Verifies a SAML 2.0 response (the base64 `SAMLAssertion` of AssumeRoleWithSAML) against an IdP's
 * metadata, as AWS does:
 * - the XML signature (on the assertion, or on the response around it) is checked by `xml-crypto`
 *   against the metadata's signing certificates only (never a certificate the message carries),
 *   and everything below is read from the XML the signature covers (`getSignedReferences`), so
 *   nodes wrapped around or beside the signed element are never believed;
 * - it holds exactly one (unencrypted) assertion, whose `Issuer` is the metadata's entity id; a
 *   response whose status is not Success is the IdP's refusal (`IDPRejectedClaim`);
 * - a bearer `SubjectConfirmationData` names an accepted `Recipient` and a `NotOnOrAfter` in the
 *   future; `Conditions` (`NotBefore`, `NotOnOrAfter`) hold now and each of their
 *   `AudienceRestriction`s (at least one) names an accepted audience.
 * Replay (the same assertion twice) is checked by the caller, with the store: before the signature
 * check with the id the assertion claims (a fast refusal, `claimedAssertionId`), and after it with
 * the verified id (the decision).
 *
 * @module
 */
import { findAncestorNs, SignedXml } from 'xml-crypto';
import { IdentityTokenExpiredError, IdpRejectedClaimError, InvalidIdentityTokenError } from '../../domain/errors.js';
import { childElements, parseXmlElement, SAML_NS, textOf, type SamlMetadata } from '../iam/saml-metadata.js';
import { samlTextOutOfBounds, samlTreeOutOfBounds } from './saml-bounds.js';

/** What a verified assertion says. */
export interface VerifiedSamlAssertion {
  /** The assertion's `ID`. */
  id: string;
  issuer: string;
  /** The `NameID`. */
  subject: string;
  /** The `NameID`'s `Format`, when given. */
  subjectFormat?: string;
  /** The `Recipient` the assertion was made for. */
  recipient: string;
  /** The `Audience` values of its conditions. */
  audiences: string[];
  /** The earliest `NotOnOrAfter`: until then a replay must be refused. */
  expiresAt: Date;
  /** The earliest `SessionNotOnOrAfter` of its `AuthnStatement`s: the IdP's end for the session, when given. */
  sessionNotOnOrAfter?: Date;
  /** Attributes by name, with their values in order. */
  attributes: Map<string, string[]>;
}

/** How long before `NotBefore` an assertion is already accepted, for clocks that differ a little. */
const NOT_BEFORE_SKEW_MS = 60_000;

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const invalid = (why: string) => new InvalidIdentityTokenError(`Invalid SAML response: ${why}`);

/**
 * A SAML response decoded, parsed and within bounds, holding one assertion: not yet verified.
 * {@link claimedAssertionId} reads the id it claims (for a fast refusal of a replay, before the
 * costly signature check); {@link verifyReadSamlResponse} verifies it.
 */
export interface ReadSamlResponse {
  readonly xml: string;
  readonly root: Element;
  readonly ids: Map<string, Element | null>;
  readonly assertion: Element;
}

/** Checks `samlResponse` (base64) for an IdP of `metadata`, accepting `audiences` as audience and recipient. */
export function verifySamlResponse(samlResponse: string, metadata: SamlMetadata, audiences: (url: string) => boolean, now: Date): VerifiedSamlAssertion {
  return verifyReadSamlResponse(readSamlResponse(samlResponse), metadata, audiences, now);
}

/** Decodes and parses `samlResponse` (base64), refusing what is out of bounds or not one plain assertion in a Response. */
export function readSamlResponse(samlResponse: string): ReadSamlResponse {
  const xml = Buffer.from(samlResponse.replace(/\s+/g, ''), 'base64').toString('utf8');
  const tooLarge = samlTextOutOfBounds(xml);
  if (tooLarge) throw invalid(tooLarge);
  const root = parseXmlElement(xml);
  if (!root) throw invalid('the assertion is not base64-encoded XML without a DOCTYPE.');
  const tree = samlTreeOutOfBounds(root);
  if (tree.reason) throw invalid(tree.reason);
  if (root.namespaceURI !== SAML_NS.protocol || root.localName !== 'Response') throw invalid('the document is not a SAML 2.0 Response.');
  if (root.getElementsByTagNameNS(SAML_NS.assertion, 'EncryptedAssertion').length > 0) throw invalid('encrypted assertions are not supported.');
  const assertions = root.getElementsByTagNameNS(SAML_NS.assertion, 'Assertion');
  if (assertions.length !== 1) throw invalid('the response must hold exactly one assertion.');
  return { xml, root, ids: tree.ids, assertion: assertions.item(0) as Element };
}

/**
 * The `ID` the response's assertion claims, or `''`: NOT verified (anyone can write any id), so it
 * may only refuse early what the verified id would refuse later, never accept anything.
 */
export function claimedAssertionId(read: ReadSamlResponse): string {
  return read.assertion.getAttribute('ID') ?? '';
}

/** Verifies a response {@link readSamlResponse} read: signature, issuer, subject, recipient, conditions. */
export function verifyReadSamlResponse(read: ReadSamlResponse, metadata: SamlMetadata, audiences: (url: string) => boolean, now: Date): VerifiedSamlAssertion {
  const { xml, root } = read;
  const assertion = signedAssertion(xml, root, read.assertion, read.ids, metadata.certificates);
  const status = childElements(root, SAML_NS.protocol, 'Status')[0];
  const code = status ? childElements(status, SAML_NS.protocol, 'StatusCode')[0]?.getAttribute('Value') : undefined;
  // AWS's meaning of IDPRejectedClaim: "the identity provider reported that authentication failed".
  if (code !== SUCCESS) throw new IdpRejectedClaimError(`The identity provider reported that authentication failed (${code ?? 'no StatusCode'}).`);

  const issuer = textOf(childElements(assertion, SAML_NS.assertion, 'Issuer')[0]);
  if (issuer !== metadata.entityId) throw invalid('the assertion\'s Issuer is not the provider\'s entity id.');
  const subjectEl = childElements(assertion, SAML_NS.assertion, 'Subject')[0];
  const nameId = subjectEl ? childElements(subjectEl, SAML_NS.assertion, 'NameID')[0] : undefined;
  const subject = textOf(nameId);
  if (!subjectEl || !nameId || subject === undefined) throw invalid('the assertion has no Subject NameID.');

  const expiries: Date[] = [];
  const confirmations = childElements(subjectEl, SAML_NS.assertion, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === BEARER);
  const data = confirmations.flatMap((c) => childElements(c, SAML_NS.assertion, 'SubjectConfirmationData'));
  const confirmed = data.find((d) => audiences(d.getAttribute('Recipient') ?? ''));
  if (!confirmed) throw invalid('no bearer SubjectConfirmationData names this service as its Recipient.');
  const recipient = confirmed.getAttribute('Recipient')!;
  const confirmedUntil = timeAttribute(confirmed, 'NotOnOrAfter');
  if (!confirmedUntil) throw invalid('the SubjectConfirmationData has no NotOnOrAfter.');
  expiries.push(confirmedUntil);

  const conditions = childElements(assertion, SAML_NS.assertion, 'Conditions')[0];
  const audienceValues: string[] = [];
  if (conditions) {
    const notBefore = timeAttribute(conditions, 'NotBefore');
    if (notBefore && now.getTime() + NOT_BEFORE_SKEW_MS < notBefore.getTime()) throw invalid('the assertion is not valid yet (NotBefore).');
    const until = timeAttribute(conditions, 'NotOnOrAfter');
    if (until) expiries.push(until);
    // SAML core 2.5.1.4: the audiences of one restriction are alternatives, but every restriction
    // must hold, so an assertion also restricted to another audience is not for this service.
    for (const r of childElements(conditions, SAML_NS.assertion, 'AudienceRestriction')) {
      const values = childElements(r, SAML_NS.assertion, 'Audience').flatMap((a) => textOf(a) ?? []);
      if (!values.some(audiences)) throw invalid('an AudienceRestriction of the assertion does not name this service.');
      audienceValues.push(...values);
    }
  }
  if (!audienceValues.some(audiences)) throw invalid('the assertion\'s AudienceRestriction does not name this service.');
  const expiresAt = new Date(Math.min(...expiries.map((d) => d.getTime())));
  if (now.getTime() >= expiresAt.getTime()) throw new IdentityTokenExpiredError(`The SAML assertion expired at ${expiresAt.toISOString()} (NotOnOrAfter).`);

  const attributes = new Map<string, string[]>();
  for (const statement of childElements(assertion, SAML_NS.assertion, 'AttributeStatement')) {
    for (const attr of childElements(statement, SAML_NS.assertion, 'Attribute')) {
      const name = attr.getAttribute('Name');
      if (!name) continue;
      const values = childElements(attr, SAML_NS.assertion, 'AttributeValue').map((v) => v.textContent?.trim() ?? '');
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  const sessionEnds = childElements(assertion, SAML_NS.assertion, 'AuthnStatement').flatMap((s) => timeAttribute(s, 'SessionNotOnOrAfter') ?? []);
  const format = nameId.getAttribute('Format');
  return {
    id: assertion.getAttribute('ID') ?? '',
    issuer,
    subject,
    ...(format ? { subjectFormat: format } : {}),
    recipient,
    audiences: audienceValues,
    expiresAt,
    ...(sessionEnds.length > 0 ? { sessionNotOnOrAfter: new Date(Math.min(...sessionEnds.map((d) => d.getTime()))) } : {}),
    attributes,
  };
}

/**
 * The assertion as the signature covers it: the assertion's own enveloped signature, or the
 * response's (then the one assertion inside the signed response). The element returned is parsed
 * from the bytes xml-crypto verified, not taken from `root`.
 *
 * xml-crypto checks a signature by walking the whole document (the referenced ID by XPath, then its
 * canonicalization and digest) before it tries the key, once per certificate. So before it runs:
 * the one reference must name, by an ID used once, the element the signature sits in; and the
 * signature value must verify over the (small) canonicalized SignedInfo with a metadata
 * certificate. Only that certificate is then given to xml-crypto's full check, which still decides.
 */
function signedAssertion(xml: string, root: Element, assertion: Element, ids: Map<string, Element | null>, certificates: readonly string[]): Element {
  const assertionSignatures = childElements(assertion, SAML_NS.dsig, 'Signature');
  const responseSignatures = childElements(root, SAML_NS.dsig, 'Signature');
  // SAML's schema allows one signature per assertion and per response, and SAML core 5.4.2 one
  // reference per signature: each more would cost the server a check of its own.
  if (assertionSignatures.length > 1 || responseSignatures.length > 1) throw invalid('the assertion or the response carries more than one signature.');
  const candidates: Array<{ signature: Element; signed: Element; kind: 'Assertion' | 'Response' }> = [
    ...assertionSignatures.map((signature) => ({ signature, signed: assertion, kind: 'Assertion' as const })),
    ...responseSignatures.map((signature) => ({ signature, signed: root, kind: 'Response' as const })),
  ];
  if (candidates.length === 0) throw invalid('the response and its assertion are not signed.');
  for (const c of candidates) {
    const signedInfo = childElements(c.signature, SAML_NS.dsig, 'SignedInfo');
    const references = signedInfo.length === 1 ? childElements(signedInfo[0]!, SAML_NS.dsig, 'Reference') : [];
    const id = c.signed.getAttribute('ID');
    // The signature must cover the element it sits in, whole: its reference is that element's ID.
    if (references.length !== 1 || !id || references[0]!.getAttribute('URI') !== `#${id}` || ids.get(id) !== c.signed) continue;
    const cert = certificateOf(c.signature, signedInfo[0]!, certificates);
    if (!cert) continue;
    const sig = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    // SAML's ID attribute is `ID`; xml-crypto would search the whole document for `Id` and `id`
    // too, an XPath walk each, which `ids` already did (a value used twice under any of them was
    // refused above).
    sig.idAttributes = ['ID'];
    try {
      sig.loadSignature(c.signature);
      if (!sig.checkSignature(xml)) continue;
    } catch {
      continue;
    }
    const refs = sig.getSignedReferences();
    if (refs.length !== 1) continue;
    const signedRoot = parseXmlElement(refs[0]!);
    const ns = c.kind === 'Assertion' ? SAML_NS.assertion : SAML_NS.protocol;
    if (!signedRoot || signedRoot.namespaceURI !== ns || signedRoot.localName !== c.kind || signedRoot.getAttribute('ID') !== id) continue;
    if (c.kind === 'Assertion') return signedRoot;
    const inner = signedRoot.getElementsByTagNameNS(SAML_NS.assertion, 'Assertion');
    if (inner.length === 1) return inner.item(0) as Element;
  }
  throw invalid('the signature does not verify with the provider\'s certificate.');
}

/**
 * The metadata certificate whose key made `signature`'s SignatureValue over its SignedInfo,
 * canonicalized as xml-crypto's check does (same algorithm, same ancestor namespaces); a provider
 * rolling its key lists several. Nothing outside the signature is canonicalized or digested here.
 */
function certificateOf(signature: Element, signedInfo: Element, certificates: readonly string[]): string | undefined {
  try {
    const sig = new SignedXml({ getCertFromKeyInfo: () => null });
    sig.loadSignature(signature);
    const canonicalization = sig.canonicalizationAlgorithm;
    const algorithm = sig.signatureAlgorithm;
    const value = childElements(signature, SAML_NS.dsig, 'SignatureValue')[0]?.textContent?.replace(/\r?\n/g, '');
    if (!canonicalization || !algorithm || !value) return undefined;
    const Verifier = sig.SignatureAlgorithms[algorithm];
    if (!Verifier) return undefined;
    const doc = signature.ownerDocument;
    const canon = sig.getCanonXml([canonicalization], signedInfo, { ancestorNamespaces: findAncestorNs(doc, "//*[local-name()='SignedInfo']") });
    return certificates.find((cert) => {
      try {
        return new Verifier().verifySignature(canon, cert, value);
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}

function timeAttribute(e: Element, name: string): Date | undefined {
  const v = e.getAttribute(name);
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalid(`${name} is not a date.`);
  return d;
}
