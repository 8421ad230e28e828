import { describe, expect, it } from 'vitest';
import { parseCompleteMultipartUpload, parseDeleteObjects } from './s3-xml.js';

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
