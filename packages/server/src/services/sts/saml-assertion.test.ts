import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { selfSignedCertificate } from '../iam/test-credential-material.js';
import { parseSamlMetadata, type SamlMetadata } from '../iam/saml-metadata.js';
import { verifySamlResponse } from './saml-assertion.js';
import { MAX_SAML_ATTRIBUTES, MAX_SAML_DEPTH, MAX_SAML_ELEMENTS } from './saml-bounds.js';
import { samlAudienceMatcher } from './saml.js';
import { testSamlIdp, type TestSamlIdp, type TestSamlResponseOptions } from './test-saml-idp.js';

const ROLE: [string, string] = ['arn:aws:iam::123456789012:role/Admins', 'arn:aws:iam::123456789012:saml-provider/Corp'];
const NOW = new Date();
const b64 = (xml: string) => Buffer.from(xml).toString('base64');

describe('verifySamlResponse', () => {
  let idp: TestSamlIdp;
  let metadata: SamlMetadata;
  beforeAll(() => {
    idp = testSamlIdp();
    metadata = parseSamlMetadata(idp.metadata);
  });
  const verify = (response: string) => verifySamlResponse(response, metadata, samlAudienceMatcher([]), NOW);
  const opts = (o: Partial<TestSamlResponseOptions> = {}): TestSamlResponseOptions => ({ roles: [ROLE], now: NOW, ...o });

  it.each([
    { name: 'a signed assertion', o: {} },
    { name: 'a signed response around the assertion', o: { sign: 'response' as const } },
    { name: 'a regional sign-in endpoint', o: { recipient: 'https://eu-west-1.signin.aws.amazon.com/saml', audience: 'urn:amazon:webservices' } },
    { name: 'two AudienceRestrictions that both name AWS', o: { extraAudienceRestriction: 'urn:amazon:webservices' } },
  ])('accepts $name', ({ o }) => {
    const v = verify(idp.response(opts(o)));
    expect(v).toMatchObject({ issuer: idp.entityId, subject: 'alice@example.com', subjectFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' });
    expect(v.attributes.get('https://aws.amazon.com/SAML/Attributes/Role')).toEqual([ROLE.join(',')]);
  });

  it('reads the AuthnStatement’s SessionNotOnOrAfter when there is one', () => {
    expect(verify(idp.response(opts())).sessionNotOnOrAfter).toBeUndefined();
    expect(verify(idp.response(opts({ sessionNotOnOrAfterIn: 1200 }))).sessionNotOnOrAfter).toEqual(new Date(NOW.getTime() + 1200_000));
  });

  it('reads the NameID whole when a comment is slipped into it after signing (c14n drops comments, so the signature still verifies)', () => {
    const xml = idp.responseXml(opts({ subject: 'user@evil.com.good.com' })).replace('user@evil.com.good.com', 'user@evil.com<!---->.good.com');
    expect(verify(b64(xml)).subject).toBe('user@evil.com.good.com');
  });

  /** The parts of a signed response an attacker can move around: its assertion, that assertion's ID and signature. */
  const parts = (xml: string) => {
    const assertion = xml.slice(xml.indexOf('<saml:Assertion'), xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length);
    const signature = xml.slice(xml.indexOf('<ds:Signature'), xml.indexOf('</ds:Signature>') + '</ds:Signature>'.length);
    return { assertion, signature, id: /ID="([^"]+)"/.exec(assertion)![1]!, response: /ID="([^"]+)"/.exec(xml)![1]! };
  };
  /** An unsigned assertion granting another role, left open for a signature to be put in it. */
  const forged = (id: string) => idp.responseXml(opts({ sign: 'none', assertionId: id, subject: 'root@evil', roles: [['arn:aws:iam::123456789012:role/Root', ROLE[1]]] }))
    .replace(/^[\s\S]*?(<saml:Assertion)/, '$1').replace(/<\/saml:Assertion>[\s\S]*$/, '');
  const xsw: Array<{ name: string; xml: () => string; error: string }> = [
    {
      name: 'XSW: a forged assertion with the signed one\'s ID carries its signature, the signed one inside ds:Object',
      xml: () => { const x = idp.responseXml(opts()); const p = parts(x); return x.replace(p.assertion, `${forged(p.id)}${p.signature.replace('</ds:Signature>', `<ds:Object>${p.assertion}</ds:Object></ds:Signature>`)}</saml:Assertion>`); },
      error: 'exactly one assertion',
    },
    {
      name: 'XSW: a forged assertion with the signed one\'s ID and signature, the signed one moved into Extensions',
      xml: () => { const x = idp.responseXml(opts()); const p = parts(x); return x.replace(p.assertion, `${forged(p.id)}${p.signature}</saml:Assertion>`).replace('<samlp:Status>', `<samlp:Extensions>${p.assertion}</samlp:Extensions><samlp:Status>`); },
      error: 'exactly one assertion',
    },
    {
      name: 'XSW: the signed response moved into Extensions of a forged one with its ID and signature',
      xml: () => { const x = idp.responseXml(opts({ sign: 'response' })); const p = parts(x); return x.replace(p.signature, '').replace(/^(<samlp:Response[^>]*>)[\s\S]*$/, `$1<saml:Issuer>${idp.entityId}</saml:Issuer>${p.signature}<samlp:Extensions>${x.replace(p.signature, '')}</samlp:Extensions><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>`); },
      error: 'does not verify',
    },
    {
      name: 'a signed response whose assertion was replaced by a forged one',
      xml: () => { const x = idp.responseXml(opts({ sign: 'response' })); const p = parts(x); return x.replace(p.assertion, `${forged(p.id)}</saml:Assertion>`); },
      error: 'does not verify',
    },
  ];
  it.each(xsw)('refuses $name', ({ xml, error }) => {
    expect(() => verify(b64(xml()))).toThrow(error);
  });

  describe('the cost of a forged response', () => {
    const checks = () => vi.spyOn(SignedXml.prototype, 'checkSignature');
    const signature = (x: string) => x.slice(x.indexOf('<ds:Signature'), x.indexOf('</ds:Signature>') + '</ds:Signature>'.length);

    it('refuses an assertion carrying a second signature before checking any (each check re-parses and canonicalizes)', () => {
      const x = idp.responseXml(opts());
      const spy = checks();
      expect(() => verify(b64(x.replace(signature(x), signature(x).repeat(2))))).toThrow('more than one signature');
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    });

    it('does not check a signature whose SignedInfo has more than one reference', () => {
      const x = idp.responseXml(opts());
      const reference = /<ds:Reference[\s\S]*<\/ds:Reference>/.exec(x)![0];
      const spy = checks();
      expect(() => verify(b64(x.replace(reference, reference.repeat(2))))).toThrow('does not verify');
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    });

    const signedAssertion = () => idp.responseXml(opts());
    const within = (x: string, extra: string) => x.replace('<samlp:Status>', `<samlp:Extensions>${extra}</samlp:Extensions><samlp:Status>`);
    const nested = (depth: number) => `${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}`;
    it.each([
      { name: 'more than 1,000 elements (counted before parsing)', xml: () => within(signedAssertion(), '<x/>'.repeat(MAX_SAML_ELEMENTS)), error: 'more than 1000 elements' },
      { name: 'elements nested more than 32 deep', xml: () => within(signedAssertion(), nested(MAX_SAML_DEPTH)), error: 'more than 32 deep' },
      { name: 'an element with more than 32 attributes', xml: () => within(signedAssertion(), `<x${Array.from({ length: MAX_SAML_ATTRIBUTES + 1 }, (_, i) => ` a${i}=""`).join('')}/>`), error: 'more than 32 attributes' },
      { name: 'an element with more than 32 namespace declarations', xml: () => within(signedAssertion(), `<x${Array.from({ length: MAX_SAML_ATTRIBUTES + 1 }, (_, i) => ` xmlns:n${i}="u"`).join('')}/>`), error: 'more than 32 attributes' },
    ])('bounds the document before any signature work: $name', ({ xml, error }) => {
      const spy = checks();
      expect(() => verify(b64(xml()))).toThrow(error);
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    });

    it('accepts a large real-shaped response within the bounds (150 groups, as Entra ID sends at most)', () => {
      const groups = Array.from({ length: 150 }, (_, i) => `group-${i}-${'g'.repeat(20)}`);
      expect(verify(idp.response(opts({ attributes: { 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': groups } }))).attributes.get('http://schemas.microsoft.com/ws/2008/06/identity/claims/groups')).toEqual(groups);
    });

    it.each([
      { name: 'signed with a key no metadata certificate holds (every digest right)', xml: () => idp.responseXml(opts({ foreignKey: true })), certs: 3 },
      { name: 'whose reference names another element than the one it sits in', xml: () => signedAssertion().replace(/URI="#[^"]+"/, 'URI="#_elsewhere"'), certs: 1 },
      { name: 'whose element\'s ID is used again elsewhere', xml: () => { const x = signedAssertion(); return within(x, `<x ID="${/<saml:Assertion ID="([^"]+)"/.exec(x)![1]}"/>`); }, certs: 1 },
    ])('does not run xml-crypto\'s document-wide check for a signature $name', ({ xml, certs }) => {
      const more = Array.from({ length: certs - 1 }, (_, i) => selfSignedCertificate(`c${i}.castellan.test`).cert);
      const spy = checks();
      expect(() => verifySamlResponse(b64(xml()), { ...metadata, certificates: [...metadata.certificates, ...more] }, samlAudienceMatcher([]), NOW)).toThrow('does not verify');
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    });

    it('tries no further certificate once the signed content does not match its digest', () => {
      const others = [selfSignedCertificate('a.castellan.test').cert, selfSignedCertificate('b.castellan.test').cert];
      const tampered = b64(idp.responseXml(opts()).replace('>alice@example.com</saml:NameID>', '>root@example.com</saml:NameID>'));
      const spy = checks();
      expect(() => verifySamlResponse(tampered, { ...metadata, certificates: [...metadata.certificates, ...others] }, samlAudienceMatcher([]), NOW)).toThrow('does not verify');
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
    });

    it('still tries each certificate for a signature value the first does not verify (a provider rolling its key), over SignedInfo alone', () => {
      const old = selfSignedCertificate('old.castellan.test').cert;
      const spy = checks();
      const v = verifySamlResponse(idp.response(opts()), { ...metadata, certificates: [old, ...metadata.certificates] }, samlAudienceMatcher([]), NOW);
      expect(v.subject).toBe('alice@example.com');
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
    });
  });

  it.each([
    { name: 'unsigned', response: () => idp.response(opts({ sign: 'none' })), error: 'not signed' },
    { name: 'signed by another key', response: () => idp.response(opts({ foreignKey: true })), error: 'does not verify' },
    { name: 'tampered after signing (subject changed)', response: () => b64(idp.responseXml(opts()).replace('>alice@example.com</saml:NameID>', '>root@example.com</saml:NameID>')), error: 'does not verify' },
    { name: 'tampered after signing (role added)', response: () => b64(idp.responseXml(opts()).replace('</saml:AttributeValue>', '</saml:AttributeValue><saml:AttributeValue>arn:aws:iam::123456789012:role/Root,x</saml:AttributeValue>')), error: 'does not verify' },
    {
      name: 'a second, unsigned assertion wrapped around the signed one',
      response: () => b64(idp.responseXml(opts()).replace('</samlp:Response>', '<saml:Assertion ID="_evil" Version="2.0"><saml:Issuer>x</saml:Issuer></saml:Assertion></samlp:Response>')),
      error: 'exactly one assertion',
    },
    { name: 'for another audience', response: () => idp.response(opts({ audience: 'https://evil.example.com/saml' })), error: 'AudienceRestriction' },
    { name: 'also restricted to another audience (each AudienceRestriction must hold)', response: () => idp.response(opts({ extraAudienceRestriction: 'https://other-sp.example.com' })), error: 'AudienceRestriction' },
    { name: 'for another recipient', response: () => idp.response(opts({ recipient: 'https://evil.example.com/acs' })), error: 'Recipient' },
    { name: 'expired', response: () => idp.response(opts({ expiresIn: -1 })), error: 'expired', code: 'ExpiredTokenException' },
    { name: 'not valid yet', response: () => idp.response(opts({ notBeforeIn: 3600 })), error: 'NotBefore' },
    { name: 'from another issuer', response: () => idp.response(opts({ issuer: 'https://other.example.com' })), error: 'Issuer' },
    { name: 'not XML', response: () => b64('not xml at all'), error: 'XML' },
    { name: 'reporting a failed authentication', response: () => b64(idp.responseXml(opts()).replace('status:Success', 'status:Responder')), error: 'authentication failed', code: 'IDPRejectedClaim' },
    { name: 'with a DOCTYPE', response: () => b64(`<!DOCTYPE x [<!ENTITY a "b">]>${idp.responseXml(opts())}`), error: 'DOCTYPE' },
  ])('refuses a response $name', ({ response, error, code }) => {
    let thrown: unknown;
    try {
      verify(response());
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: code ?? 'InvalidIdentityToken' });
    expect((thrown as Error).message).toContain(error);
  });
});
