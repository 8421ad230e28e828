import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedSamlMetadata, MAX_SIGNING_CERTIFICATES, parseSamlMetadata, SAML_METADATA_CACHE_ENTRIES } from './saml-metadata.js';
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

  /** `count` distinct certificates (one key, one subject each: openssl makes no key per certificate). */
  const distinctCertificates = (count: number): string[] => {
    const dir = mkdtempSync(join(tmpdir(), 'castellan-saml-certs-'));
    try {
      execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'k')], { stdio: 'ignore' });
      return Array.from({ length: count }, (_, i) => {
        execFileSync('openssl', ['req', '-x509', '-key', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '1', '-subj', `/CN=rolled-${i}`], { stdio: 'ignore' });
        return readFileSync(join(dir, 'c'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  /** The test IdP's metadata with `bodies` as its signing certificates, in one KeyDescriptor. */
  const withCertificates = (bodies: string[]) =>
    idp.metadata.replace(/<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/, bodies.map((b) => `<ds:X509Certificate>${b}</ds:X509Certificate>`).join(''));

  it('counts a certificate listed again once, and takes up to the limit of distinct ones', () => {
    const own = /<ds:X509Certificate>([^<]+)</.exec(idp.metadata)![1]!;
    expect(parseSamlMetadata(withCertificates(Array(50).fill(own))).certificates).toHaveLength(1);
    expect(parseSamlMetadata(withCertificates(distinctCertificates(MAX_SIGNING_CERTIFICATES))).certificates).toHaveLength(MAX_SIGNING_CERTIFICATES);
  });

  it('refuses metadata with more distinct signing certificates than the limit (each forged call would try them all)', () => {
    expect(() => parseSamlMetadata(withCertificates(distinctCertificates(MAX_SIGNING_CERTIFICATES + 1)))).toThrowError(
      expect.objectContaining({ code: 'InvalidInput', message: expect.stringContaining(`more than ${MAX_SIGNING_CERTIFICATES} signing certificates`) }),
    );
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

describe('cachedSamlMetadata', () => {
  let idp: TestSamlIdp;
  beforeAll(() => {
    idp = testSamlIdp('https://idp.example.com/cached');
  });
  const withEntity = (id: string) => idp.metadata.replace('entityID="https://idp.example.com/cached"', `entityID="${id}"`);

  it('parses a document once, a changed one anew, and forgets the least recently used beyond its size', () => {
    const first = cachedSamlMetadata(withEntity('https://first.example.com'));
    const second = cachedSamlMetadata(withEntity('https://second.example.com'));
    expect(second.entityId).toBe('https://second.example.com');
    // The same text read again from the store (another string) is the same parse; it is now the most recently used.
    expect(cachedSamlMetadata(withEntity('https://first.example.com'))).toBe(first);
    for (let i = 0; i < SAML_METADATA_CACHE_ENTRIES - 1; i++) cachedSamlMetadata(withEntity(`https://filler-${i}.example.com`));
    // One past the size: the least recently used ("second") was dropped and is parsed anew.
    expect(cachedSamlMetadata(withEntity('https://first.example.com'))).toBe(first);
    const again = cachedSamlMetadata(withEntity('https://second.example.com'));
    expect(again).not.toBe(second);
    expect(again).toEqual(second);
  });

  it('shares a parse whose certificate list cannot be changed', () => {
    const m = cachedSamlMetadata(withEntity('https://frozen.example.com'));
    expect(Object.isFrozen(m.certificates)).toBe(true);
  });

  it('remembers a document it refuses with its refusal, and refuses it again without parsing it', () => {
    const bad = withEntity('');
    let first: unknown;
    try {
      cachedSamlMetadata(bad);
    } catch (err) {
      first = err;
    }
    expect(first).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('entityID') });
    // The same refusal, not a second parse's (which would be a new error).
    expect(() => cachedSamlMetadata(bad)).toThrow(first as Error);
    let second: unknown;
    try {
      cachedSamlMetadata(bad);
    } catch (err) {
      second = err;
    }
    expect(second).toBe(first);
  });
});
