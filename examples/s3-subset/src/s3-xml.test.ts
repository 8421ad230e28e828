import { describe, expect, it } from 'vitest';
import { parseAccessControlPolicy, parseCompleteMultipartUpload, parseCreateBucketLocation, parseDeleteObjects } from './s3-xml.js';

describe('character references in request documents', () => {
  const del = (key: string) => `<Delete><Object><Key>${key}</Key></Object></Delete>`;
  const complete = (etag: string) => `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;

  it.each([
    ['a decimal reference', 'a&#233;b', 'aéb'],
    ['a hexadecimal reference', 'a&#x1F600;b', 'a😀b'],
    ['the named entities', '&lt;&amp;&gt;&quot;&apos;', `<&>"'`],
    ['a tab, the lowest control XML allows', '&#9;', '\t'],
  ])('reads %s', (_name, text, expected) => {
    expect(parseDeleteObjects(del(text))?.objects[0]?.key).toBe(expected);
  });

  // XML's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
  it.each([
    ['beyond Unicode (decimal)', '&#99999999;'],
    ['beyond Unicode (hexadecimal)', '&#x110000;'],
    ['too large for a number', `&#${'9'.repeat(400)};`],
    ['a surrogate', '&#xD800;'],
    ['NUL', '&#0;'],
    ['a control character XML does not allow', '&#x1;'],
    ['U+FFFE', '&#xFFFE;'],
  ])('refuses a reference %s as a malformed document', (_name, text) => {
    expect(parseDeleteObjects(del(`k${text}`))).toBeUndefined();
    expect(parseCompleteMultipartUpload(complete(`"e${text}"`))).toBeUndefined();
  });
});

describe('parseDeleteObjects', () => {
  it.each([
    ['an empty VersionId element', '<Object><Key>k</Key><VersionId/></Object>', 'VersionId'],
    ['a VersionId with an attribute', '<Object><Key>k</Key><VersionId a="1">v</VersionId></Object>', 'VersionId'],
    ['a VersionId with a space before >', '<Object><Key>k</Key><VersionId >v</VersionId ></Object>', 'VersionId'],
    ['an ETag condition', '<Object><Key>k</Key><ETag>"e"</ETag></Object>', 'ETag'],
    ['an empty Size', '<Object><Key>k</Key><Size/></Object>', 'Size'],
    ['nothing unsupported', '<Object><Key>k</Key></Object>', undefined],
    ['a key that merely contains VersionIdx', '<Object><Key>k</Key><VersionIdx/></Object>', undefined],
    ['the null version (an unversioned object’s one version)', '<Object><Key>k</Key><VersionId>null</VersionId></Object>', undefined],
    ['the null version and an ETag condition', '<Object><Key>k</Key><VersionId>null</VersionId><ETag>"e"</ETag></Object>', 'ETag'],
    ['a version whose id merely contains null', '<Object><Key>k</Key><VersionId>nullx</VersionId></Object>', 'VersionId'],
  ])('flags %s', (_name, object, unsupported) => {
    expect(parseDeleteObjects(`<Delete>${object}</Delete>`)?.objects[0]?.unsupported).toBe(unsupported);
  });

  it('reads the null version of an object', () => {
    expect(parseDeleteObjects('<Delete><Object><Key>k</Key><VersionId> null </VersionId></Object><Object><Key>j</Key></Object></Delete>')?.objects).toEqual([{ key: 'k', versionId: 'null' }, { key: 'j' }]);
  });

  it.each([
    ['an unknown entity', '<Delete><Object><Key>a&foo;b</Key></Object></Delete>'],
    ['a bare ampersand', '<Delete><Object><Key>a & b</Key></Object></Delete>'],
    ['text before the document', 'junk<Delete><Object><Key>k</Key></Object></Delete>'],
    ['text after the document', '<Delete><Object><Key>k</Key></Object></Delete>junk'],
    ['a second document after it', '<Delete><Object><Key>k</Key></Object></Delete><Delete></Delete>x'],
  ])('refuses %s as a malformed document', (_name, body) => {
    expect(parseDeleteObjects(body)).toBeUndefined();
  });

  it.each([
    ['an XML declaration and white space around', '<?xml version="1.0" encoding="UTF-8"?>\n<Delete><Object><Key>k</Key></Object></Delete>\n'],
    ['a byte-order mark', '\uFEFF<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>k</Key></Object></Delete>'],
  ])('reads a document with %s', (_name, body) => {
    expect(parseDeleteObjects(body)?.objects).toEqual([{ key: 'k' }]);
  });
});

describe('parseCreateBucketLocation', () => {
  it.each([
    ['', ''],
    ['<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>', 'eu-west-1'],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration><LocationConstraint> EU </LocationConstraint></CreateBucketConfiguration>', 'EU'],
    ['<CreateBucketConfiguration/>', ''],
    ['<CreateBucketConfiguration></CreateBucketConfiguration>', ''],
    ['<Delete><Object><Key>k</Key></Object></Delete>', undefined],
    ['not xml', undefined],
    ['<CreateBucketConfiguration><LocationConstraint>a&b</LocationConstraint></CreateBucketConfiguration>', undefined],
  ])('%s', (body, expected) => {
    expect(parseCreateBucketLocation(body)).toBe(expected);
  });
});

describe('parseAccessControlPolicy', () => {
  const acp = (grants: string) => `<?xml version="1.0"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>1</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`;
  it.each([
    ['an owner grant', acp('<Grant><Grantee xsi:type="CanonicalUser"><ID> 1 </ID><DisplayName>o</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>'), [{ granteeId: '1', permission: 'FULL_CONTROL' }]],
    ['a group grant (no ID)', acp('<Grant><Grantee xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>'), [{ permission: 'READ' }]],
    ['no grant', acp(''), []],
    ['another document', '<Delete/>', undefined],
    ['a grant without a permission', acp('<Grant><Grantee><ID>1</ID></Grantee></Grant>'), undefined],
    ['a grant without a grantee', acp('<Grant><Permission>READ</Permission></Grant>'), undefined],
    ['an ID with a bad reference', acp('<Grant><Grantee><ID>&#0;</ID></Grantee><Permission>READ</Permission></Grant>'), undefined],
  ])('reads %s', (_name, body, expected) => {
    expect(parseAccessControlPolicy(body)).toEqual(expected);
  });
});
