import { beforeAll, describe, expect, it } from 'vitest';
import { parseSamlMetadata } from './saml-metadata.js';
import { testSamlIdp, type TestSamlIdp } from '../sts/test-saml-idp.js';

describe('parseSamlMetadata', () => {
  let idp: TestSamlIdp;
  beforeAll(() => {
    idp = testSamlIdp('https://idp.example.com/metadata');
  });

  it('reads the entity id, the signing certificate and validUntil', () => {
    const m = parseSamlMetadata(idp.metadata.replace('entityID=', 'validUntil="2030-01-02T03:04:05Z" entityID='));
    expect(m.entityId).toBe('https://idp.example.com/metadata');
    expect(m.certificates).toHaveLength(1);
    expect(m.certificates[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(m.validUntil).toEqual(new Date('2030-01-02T03:04:05Z'));
  });

  it.each([
    { name: 'not XML', doc: () => '<md:EntityDescriptor', message: 'not well-formed' },
    { name: 'with a DOCTYPE', doc: () => `<!DOCTYPE x [<!ENTITY e "x">]>${idp.metadata.replace(/^<\?xml[^>]*>/, '')}`, message: 'DOCTYPE' },
    { name: 'another root element', doc: () => '<EntityDescriptor entityID="x"/>', message: 'root element' },
    { name: 'without entityID', doc: () => idp.metadata.replace(/entityID="[^"]*"/, ''), message: 'entityID' },
    { name: 'without an IDPSSODescriptor', doc: () => idp.metadata.replace(/IDPSSODescriptor/g, 'SPSSODescriptor'), message: 'IDPSSODescriptor' },
    { name: 'with an encryption key only', doc: () => idp.metadata.replace('use="signing"', 'use="encryption"'), message: 'no signing certificate' },
    { name: 'with a certificate that is not X.509', doc: () => idp.metadata.replace(/<ds:X509Certificate>[^<]+/, '<ds:X509Certificate>bm90IGEgY2VydGlmaWNhdGU='), message: 'not a valid X.509' },
    { name: 'with a validUntil that is no date', doc: () => idp.metadata.replace('entityID=', 'validUntil="soon" entityID='), message: 'validUntil' },
  ])('refuses metadata $name with InvalidInput', ({ doc, message }) => {
    expect(() => parseSamlMetadata(doc())).toThrowError(expect.objectContaining({ code: 'InvalidInput', message: expect.stringContaining(message) }));
  });
});
