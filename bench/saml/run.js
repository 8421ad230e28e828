// `npm run bench:saml [-- --main /work/main --certs 4 --runs 5]`: the CPU an unauthenticated,
// forged AssumeRoleWithSAML costs before it is refused, in process (process.cpuUsage), for the
// document shapes a red team would send at the model's largest size (SAMLAssertion: 100,000
// characters of base64). Each forged response is signed with the attacker's own key, so every
// digest matches and only the key is wrong (the costliest refusal); the provider's metadata holds
// `--certs` certificates, none of them the attacker's. `--main` names a second build (A/B in the
// same run). The last rows replay a genuine padded response through AssumeRoleWithSAML's whole
// authentication (`authenticateSaml`, with an in-memory stand-in for the store's two assertion
// calls): the first use is accepted, the replays measured are refused. Prints a table; the last
// line is one JSON object.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { findAncestorNs, SignedXml } from 'xml-crypto';
import xpath from 'xpath';

const { values: args } = parseArgs({ options: { main: { type: 'string' }, certs: { type: 'string', default: '4' }, runs: { type: 'string', default: '5' } } });
const ROOT = resolve(import.meta.dirname, '../..');
const CERTS = Number(args.certs);
const RUNS = Number(args.runs);
const MAX_BASE64 = 100_000;
const ENTITY = 'https://idp.bench.test/saml';

function keyAndCert(cn) {
  const dir = mkdtempSync(join(tmpdir(), 'castellan-bench-saml-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '2', '-subj', `/CN=${cn}`], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k'), 'utf8'), cert: readFileSync(join(dir, 'c'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const body = (pem) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const provider = Array.from({ length: CERTS }, (_, i) => keyAndCert(`idp${i}.bench.test`));
const attacker = keyAndCert('attacker.bench.test');
const metadataXml = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${ENTITY}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${provider
  .map((p) => `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${body(p.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
  .join('')}<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.bench.test/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;

const now = new Date();
const until = new Date(now.getTime() + 300_000).toISOString();
/** A response whose assertion carries `inner` and whose root carries `rootAttrs`, `outer` beside the assertion. */
const responseXml = ({ inner = '', rootAttrs = '', outer = '' }) =>
  `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="${now.toISOString()}"${rootAttrs}>`
  + `<saml:Issuer>${ENTITY}</saml:Issuer>${outer}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
  + `<saml:Assertion ID="_a1" Version="2.0" IssueInstant="${now.toISOString()}"><saml:Issuer>${ENTITY}</saml:Issuer>`
  + `<saml:Subject><saml:NameID>root@evil</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>`
  + `<saml:Conditions NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
  + `<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::123456789012:role/Admin,arn:aws:iam::123456789012:saml-provider/Corp</saml:AttributeValue></saml:Attribute>${inner}</saml:AttributeStatement>`
  + '</saml:Assertion></samlp:Response>';

function sign(xml, what) {
  const sig = new SignedXml({ privateKey: attacker.key, publicCert: attacker.cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  const xpath = what === 'assertion' ? "//*[local-name(.)='Assertion']" : "/*[local-name(.)='Response']";
  sig.addReference({ xpath, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** The largest document of `unit` repeated `where` (inside the signed assertion, or beside it) that still fits the model's limit once signed and base64-encoded. */
function largest(make, both, max = 80_000) {
  let lo = 0;
  let hi = max;
  let best;
  while (lo <= hi) {
    const n = (lo + hi) >> 1;
    let b64;
    try {
      let xml = sign(make(n), 'assertion');
      if (both) xml = sign(xml, 'response');
      b64 = Buffer.from(xml).toString('base64');
    } catch {
      // xml-crypto's own canonicalizer recurses: nesting deeper than its stack cannot be signed with it.
      hi = n - 1;
      continue;
    }
    if (b64.length <= MAX_BASE64) { best = b64; lo = n + 1; } else hi = n - 1;
  }
  return best;
}

const rep = (s, n) => s.repeat(n);
const SHAPES = [
  { name: 'a real-sized response', make: () => responseXml({}) },
  { name: 'many small elements', make: (n) => responseXml({ inner: `<saml:Attribute Name="x">${rep('<saml:AttributeValue/>', n)}</saml:Attribute>` }) },
  { name: 'many tiny elements beside', make: (n) => responseXml({ outer: `<samlp:Extensions>${rep('<x/>', n)}</samlp:Extensions>` }) },
  { name: 'deep nesting', max: 3_000, make: (n) => responseXml({ inner: `${rep('<a>', n)}${rep('</a>', n)}` }) },
  { name: 'long text', make: (n) => responseXml({ inner: `<saml:Attribute Name="x"><saml:AttributeValue>${rep('x', n)}</saml:AttributeValue></saml:Attribute>` }) },
  { name: 'many attributes', make: (n) => responseXml({ inner: `<saml:Attribute Name="x"${Array.from({ length: n }, (_, i) => ` a${i}=""`).join('')}/>` }) },
  { name: 'many namespaces', make: (n) => responseXml({ rootAttrs: Array.from({ length: n }, (_, i) => ` xmlns:n${i}="u"`).join('') }) },
  { name: 'many namespaces, deep', max: 1_500, make: (n) => responseXml({ inner: `${Array.from({ length: n }, (_, i) => `<a xmlns:n${i}="u">`).join('')}${rep('</a>', n)}` }) },
  { name: 'signed ID among many IDs', make: (n) => responseXml({ outer: `<samlp:Extensions>${Array.from({ length: n }, (_, i) => `<x ID="_${i}"/>`).join('')}</samlp:Extensions>` }) },
  // Within the bounds Castellan sets (1,000 elements, 32 deep, 32 attributes an element): the worst left.
  { name: 'elements, at the bound', max: 950, make: (n) => responseXml({ outer: `<samlp:Extensions>${rep('<x/>', n)}</samlp:Extensions>` }) },
  { name: 'attributes, at the bound', max: 950, make: (n) => responseXml({ outer: `<samlp:Extensions>${rep(`<x${Array.from({ length: 30 }, (_, i) => ` a${i}=""`).join('')}/>`, n)}</samlp:Extensions>` }) },
  { name: 'namespaces, at the bound', max: 2_000, make: (n) => responseXml({ inner: `${Array.from({ length: 25 }, (_, d) => `<a${Array.from({ length: 30 }, (_, i) => ` xmlns:n${d}x${i}="${'u'.repeat(n)}"`).join('')}>`).join('')}${rep('</a>', 25)}` }) },
  { name: 'IDs, at the bound', max: 950, make: (n) => responseXml({ outer: `<samlp:Extensions>${Array.from({ length: n }, (_, i) => `<x ID="_${i}"/>`).join('')}</samlp:Extensions>` }) },
];

/** A response the provider's last certificate really signed, padded beside the assertion up to the bounds: it passes the SignedInfo check, so xml-crypto's full check runs once. */
function genuine(both, inner = '') {
  const real = provider[provider.length - 1];
  const signWith = (xml, what) => {
    const sig = new SignedXml({ privateKey: real.key, publicCert: real.cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
    const xpath = what === 'assertion' ? "//*[local-name(.)='Assertion']" : "/*[local-name(.)='Response']";
    sig.addReference({ xpath, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
    sig.computeSignature(xml, { prefix: 'ds', location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' } });
    return sig.getSignedXml();
  };
  let best;
  for (let n = 50; n <= 1_000; n += 50) {
    const padding = `<samlp:Extensions>${rep(`<x${Array.from({ length: 12 }, (_, i) => ` a${i}="v"`).join('')}/>`, n)}</samlp:Extensions>`;
    let xml = signWith(responseXml({ inner }), 'assertion');
    if (both) xml = signWith(xml, 'response');
    // Padding beside a signed assertion leaves its signature valid; a signed response's would break, so it goes in first.
    xml = both ? signWith(signWith(responseXml({ inner, outer: padding }), 'assertion'), 'response') : xml.replace('<samlp:Status>', `${padding}<samlp:Status>`);
    const b64 = Buffer.from(xml).toString('base64');
    if (b64.length > MAX_BASE64) break;
    best = b64;
  }
  return best;
}

const ROLE_ARN = 'arn:aws:iam::123456789012:role/Admin';
const PROVIDER_ARN = 'arn:aws:iam::123456789012:saml-provider/Corp';
const SESSION_NAME_ATTRIBUTE = '<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>bench</saml:AttributeValue></saml:Attribute>';

/** The store calls AssumeRoleWithSAML's authentication makes, in memory, with the store contract's meaning. */
function assertionStore() {
  const used = new Map();
  const live = (key, at) => (used.get(key) ?? 0) > at.getTime();
  return {
    getSamlProvider: async (accountId, arn) => (arn === PROVIDER_ARN ? { accountId, arn, name: 'Corp', metadataDocument: metadataXml, createDate: now } : undefined),
    samlAssertionUsed: async (key, at) => live(key, at),
    consumeSamlAssertion: async (key, expiresAt, at) => {
      if (live(key, at)) return false;
      used.set(key, expiresAt.getTime());
      return true;
    },
  };
}

async function load(root) {
  const { verifySamlResponse } = await import(join(root, 'packages/server/dist/services/sts/saml-assertion.js'));
  const { samlAudienceMatcher, authenticateSaml } = await import(join(root, 'packages/server/dist/services/sts/saml.js'));
  const { parseSamlMetadata } = await import(join(root, 'packages/server/dist/services/iam/saml-metadata.js'));
  const metadata = parseSamlMetadata(metadataXml);
  const audiences = samlAudienceMatcher([]);
  const verify = (b64) => {
    try {
      verifySamlResponse(b64, metadata, audiences, now);
      return 'accepted';
    } catch (e) {
      return e.message;
    }
  };
  /** A fresh store each time: its first call uses the assertion up, the next ones replay it. */
  verify.authenticate = () => {
    const deps = { store: assertionStore(), federation: { samlAudiences: [] } };
    return async (b64) => {
      try {
        await authenticateSaml(deps, { roleArn: ROLE_ARN, principalArn: PROVIDER_ARN, samlAssertion: b64 }, now);
        return 'accepted';
      } catch (e) {
        return e.message;
      }
    };
  };
  return verify;
}

/** {@link cpu} for an async call: the median CPU of the runs after the first (which is not timed). */
async function cpuAsync(call, b64) {
  const first = await call(b64);
  const ms = [];
  let answer;
  for (let i = 0; i < RUNS; i++) {
    const t = process.cpuUsage();
    answer = await call(b64);
    const d = process.cpuUsage(t);
    ms.push((d.user + d.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  return { ms: Math.round(ms[RUNS >> 1] * 10) / 10, answer, first };
}

/** The median CPU milliseconds of one call over RUNS runs, and what it answered. */
function cpu(verify, b64) {
  verify(b64); // warm
  const ms = [];
  let answer;
  for (let i = 0; i < RUNS; i++) {
    const t = process.cpuUsage();
    answer = verify(b64);
    const d = process.cpuUsage(t);
    ms.push((d.user + d.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  return { ms: Math.round(ms[RUNS >> 1] * 10) / 10, answer };
}

/**
 * Where xml-crypto's check of one signature spends its CPU on `b64` (the steps `checkSignature`
 * takes, timed one by one): parsing, the XPath lookup of the referenced ID (once per ID attribute
 * name: ID, Id, id), the ancestor namespaces, canonicalizing the referenced element, its digest,
 * and the RSA check over SignedInfo.
 */
function stages(b64) {
  const xml = Buffer.from(b64, 'base64').toString('utf8');
  const time = (fn) => { fn(); const t = process.cpuUsage(); const r = fn(); const d = process.cpuUsage(t); return [Math.round((d.user + d.system) / 100) / 10, r]; };
  const [parse, doc] = time(() => new DOMParser().parseFromString(xml, 'text/xml'));
  const signature = xpath.select1("//*[local-name(.)='Signature']", doc);
  const assertion = xpath.select1("//*[local-name(.)='Assertion']", doc);
  const [idLookup] = time(() => ['ID', 'Id', 'id'].map((a) => xpath.select(`//*[@*[local-name(.)='${a}']='_a1']`, doc)));
  const [ancestorNs] = time(() => [findAncestorNs(doc, "//*[local-name()='SignedInfo']"), findAncestorNs(doc, "//*[@*[local-name(.)='ID']='_a1']")]);
  const sig = new SignedXml({ publicCert: provider[0].cert, getCertFromKeyInfo: () => null });
  sig.loadSignature(signature);
  const transforms = ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'];
  const [c14n, canon] = time(() => sig.getCanonXml(transforms, assertion, {}));
  const [digest] = time(() => createHash('sha256').update(canon).digest('base64'));
  const signedInfo = xpath.select1("//*[local-name(.)='SignedInfo']", doc);
  const info = sig.getCanonXml([sig.canonicalizationAlgorithm], signedInfo, {});
  const value = xpath.select1("//*[local-name(.)='SignatureValue']/text()", doc).data;
  const [rsa] = time(() => new sig.SignatureAlgorithms[sig.signatureAlgorithm]().verifySignature(info, provider[0].cert, value));
  return { parse, idLookup, ancestorNs, c14n, digest, rsa };
}

const builds = [{ name: 'this', verify: await load(ROOT) }];
if (args.main) builds.push({ name: 'main', verify: await load(resolve(args.main)) });
const rows = [];
for (const shape of [...SHAPES, { name: 'genuine signature, padded' }]) {
  for (const both of [false, true]) {
    const b64 = shape.name === 'genuine signature, padded' ? genuine(both) : shape.name === 'a real-sized response' ? Buffer.from(both ? sign(sign(shape.make(0), 'assertion'), 'response') : sign(shape.make(0), 'assertion')).toString('base64') : largest(shape.make, both, shape.max);
    const row = { shape: shape.name, signatures: both ? 2 : 1, base64Chars: b64.length };
    for (const b of builds) {
      const r = cpu(b.verify, b64);
      row[`${b.name}Ms`] = r.ms;
      row[`${b.name}Answer`] = r.answer.replace(/^Invalid SAML response: /, '').slice(0, 60);
    }
    if (!both) row.stagesMs = stages(b64);
    rows.push(row);
    console.log(`${row.shape.padEnd(28)} sig=${row.signatures} chars=${String(row.base64Chars).padStart(6)}  ${builds.map((b) => `${b.name}: ${String(row[`${b.name}Ms`]).padStart(7)} ms (${row[`${b.name}Answer`]})`).join('  ')}`);
  }
}
// Replays of a genuine response (padded up to the bounds) through the whole authentication.
for (const both of [false, true]) {
  const b64 = genuine(both, SESSION_NAME_ATTRIBUTE);
  const row = { shape: 'genuine response, replayed', signatures: both ? 2 : 1, base64Chars: b64.length };
  for (const b of builds) {
    const r = await cpuAsync(b.verify.authenticate(), b64);
    if (r.first !== 'accepted') throw new Error(`${b.name}: the first use of the genuine response was refused: ${r.first}`);
    row[`${b.name}Ms`] = r.ms;
    row[`${b.name}Answer`] = r.answer.replace(/^Invalid SAML response: /, '').slice(0, 60);
  }
  rows.push(row);
  console.log(`${row.shape.padEnd(28)} sig=${row.signatures} chars=${String(row.base64Chars).padStart(6)}  ${builds.map((b) => `${b.name}: ${String(row[`${b.name}Ms`]).padStart(7)} ms (${row[`${b.name}Answer`]})`).join('  ')}`);
}
console.log('\nWhere one xml-crypto check spends its CPU (ms, one signature; the old code ran it once per certificate):');
for (const r of rows.filter((x) => x.stagesMs)) console.log(`${r.shape.padEnd(28)} ${Object.entries(r.stagesMs).map(([k, v]) => `${k} ${v}`).join(', ')}`);
const worst = (name, shape) => Math.max(...rows.filter((r) => (shape ? r.shape === shape : !r.shape.startsWith('genuine'))).map((r) => r[`${name}Ms`]));
const per = (shape) => Object.fromEntries(builds.map((b) => [b.name, worst(b.name, shape)]));
console.log(JSON.stringify({ certs: CERTS, runs: RUNS, worstForgedMs: per(undefined), genuinePaddedMs: per('genuine signature, padded'), genuineReplayedMs: per('genuine response, replayed'), rows }));
