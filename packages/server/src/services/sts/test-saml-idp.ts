/**
 * A SAML identity provider for tests (excluded from the build by the `test-` prefix): a key and a
 * self-signed certificate made with the system's `openssl`, its metadata document, and SAML 2.0
 * responses whose assertion (or the response itself) is signed with `xml-crypto`, as real IdPs do.
 */
import { randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { selfSignedCertificate } from '../iam/test-credential-material.js';

/** AWS's sign-in endpoint: the audience and recipient of assertions meant for STS. */
export const AWS_SAML_ENDPOINT = 'https://signin.aws.amazon.com/saml';

/** What a test response says; every field has a valid default. */
export interface TestSamlResponseOptions {
  /** `[roleArn, providerArn]` pairs for the Role attribute. */
  roles: Array<[string, string]>;
  sessionName?: string | undefined;
  subject?: string;
  nameIdFormat?: string;
  issuer?: string;
  recipient?: string;
  audience?: string;
  /** A second `AudienceRestriction`, naming only this audience. */
  extraAudienceRestriction?: string;
  /** Seconds from `now` (negative: in the past). Default 300. */
  expiresIn?: number;
  notBeforeIn?: number;
  /** The AuthnStatement's `SessionNotOnOrAfter`, in seconds from `now`; absent by default. */
  sessionNotOnOrAfterIn?: number;
  now?: Date;
  assertionId?: string;
  /** Other attributes, by name. */
  attributes?: Record<string, string[]>;
  /** What is signed. Default the assertion. */
  sign?: 'assertion' | 'response' | 'none';
  /** Sign with a key that is not the metadata's. */
  foreignKey?: boolean;
}

/** A test IdP. */
export interface TestSamlIdp {
  entityId: string;
  /** The IdP's metadata document (over 1,000 characters, as IAM requires). */
  metadata: string;
  /** A base64 SAML response, as the browser would post it. */
  response(options: TestSamlResponseOptions): string;
  /** The XML of a response before base64 (for tampering). */
  responseXml(options: TestSamlResponseOptions): string;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const certBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** Makes an IdP with a fresh key and certificate. */
export function testSamlIdp(entityId = 'https://idp.castellan.test/saml'): TestSamlIdp {
  const own = selfSignedCertificate('idp.castellan.test');
  const foreign = selfSignedCertificate('attacker.castellan.test');
  const metadata = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${xmlEscape(entityId)}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certBody(own.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.castellan.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

  const responseXml = (o: TestSamlResponseOptions): string => {
    const now = o.now ?? new Date();
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
    const until = at(o.expiresIn ?? 300);
    const recipient = o.recipient ?? AWS_SAML_ENDPOINT;
    const attrs: Record<string, string[]> = {
      'https://aws.amazon.com/SAML/Attributes/Role': o.roles.map(([role, provider]) => `${role},${provider}`),
      ...(o.sessionName === undefined && 'sessionName' in o ? {} : { 'https://aws.amazon.com/SAML/Attributes/RoleSessionName': [o.sessionName ?? 'alice@example.com'] }),
      ...o.attributes,
    };
    const attributeXml = Object.entries(attrs)
      .map(([name, values]) => `<saml:Attribute Name="${xmlEscape(name)}">${values.map((v) => `<saml:AttributeValue>${xmlEscape(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
      .join('');
    const assertionId = o.assertionId ?? `_a${randomUUID()}`;
    return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${xmlEscape(recipient)}">`
      + `<saml:Issuer>${xmlEscape(o.issuer ?? entityId)}</saml:Issuer>`
      + '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
      + `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${now.toISOString()}">`
      + `<saml:Issuer>${xmlEscape(o.issuer ?? entityId)}</saml:Issuer>`
      + `<saml:Subject><saml:NameID Format="${xmlEscape(o.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')}">${xmlEscape(o.subject ?? 'alice@example.com')}</saml:NameID>`
      + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${xmlEscape(recipient)}"/></saml:SubjectConfirmation></saml:Subject>`
      + `<saml:Conditions NotBefore="${at(o.notBeforeIn ?? -5)}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${xmlEscape(o.audience ?? AWS_SAML_ENDPOINT)}</saml:Audience></saml:AudienceRestriction>`
      + `${o.extraAudienceRestriction === undefined ? '' : `<saml:AudienceRestriction><saml:Audience>${xmlEscape(o.extraAudienceRestriction)}</saml:Audience></saml:AudienceRestriction>`}</saml:Conditions>`
      + `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"${o.sessionNotOnOrAfterIn === undefined ? '' : ` SessionNotOnOrAfter="${at(o.sessionNotOnOrAfterIn)}"`}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
      + `<saml:AttributeStatement>${attributeXml}</saml:AttributeStatement>`
      + '</saml:Assertion></samlp:Response>';
  };

  const sign = (xml: string, o: TestSamlResponseOptions): string => {
    const what = o.sign ?? 'assertion';
    if (what === 'none') return xml;
    const material = o.foreignKey ? foreign : own;
    const sig = new SignedXml({
      privateKey: material.key,
      publicCert: material.cert,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    const xpath = what === 'assertion' ? "//*[local-name(.)='Assertion']" : "/*[local-name(.)='Response']";
    sig.addReference({
      xpath,
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    // The schema puts the signature right after the signed element's Issuer.
    sig.computeSignature(xml, { prefix: 'ds', location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' } });
    return sig.getSignedXml();
  };

  return {
    entityId,
    metadata,
    responseXml: (o) => sign(responseXml(o), o),
    response: (o) => Buffer.from(sign(responseXml(o), o)).toString('base64'),
  };
}
