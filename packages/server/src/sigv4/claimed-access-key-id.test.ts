import { describe, expect, it } from 'vitest';
import { ACCESS_KEY_ID_SHAPE, recordableAccessKeyId } from '../domain/recordable-access-key-id.js';
import { claimedAccessKeyId } from './parse-signature.js';
import type { SigV4Request } from './sigv4-request.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SCOPE = '20260102/us-east-1/iam/aws4_request';

const request = (headers: Record<string, string>, query = ''): SigV4Request => ({
  method: 'POST', path: '/', query, host: 'iam.test', body: new Uint8Array(), header: (name) => headers[name.toLowerCase()],
});

describe('the access key id a request claims', () => {
  const cases: Array<{ name: string; req: SigV4Request; claimed: string | undefined }> = [
    { name: 'a well-formed header', req: request({ authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${SCOPE}, SignedHeaders=host, Signature=ab` }), claimed: 'AKIAIOSFODNN7EXAMPLE' },
    { name: 'a secret with slashes in the key position', req: request({ authorization: `AWS4-HMAC-SHA256 Credential=${SECRET}/${SCOPE}, SignedHeaders=host, Signature=ab` }), claimed: SECRET },
    { name: 'a credential without a scope (claimed whole)', req: request({ authorization: `AWS4-HMAC-SHA256 Credential=${SECRET}, Signature=ab` }), claimed: SECRET },
    { name: 'a foreign algorithm still names its credential', req: request({ authorization: `AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${SCOPE}, SignedHeaders=host` }), claimed: 'AKIAIOSFODNN7EXAMPLE' },
    { name: 'a presigned X-Amz-Credential', req: request({}, `X-Amz-Credential=${encodeURIComponent(`${SECRET}/${SCOPE}`)}&X-Amz-Signature=ab`), claimed: SECRET },
    { name: 'an empty key position', req: request({ authorization: `AWS4-HMAC-SHA256 Credential=/${SCOPE}, SignedHeaders=host` }), claimed: undefined },
    { name: 'no credential at all', req: request({ authorization: 'AWS4-HMAC-SHA256 SignedHeaders=host' }), claimed: undefined },
    { name: 'no signature', req: request({}), claimed: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => expect(claimedAccessKeyId(c.req)).toBe(c.claimed));
  }
});

describe('what the trail may show of a claimed key id', () => {
  const cases: Array<{ claimed: string; known: boolean; shown: string }> = [
    { claimed: 'AKIAIOSFODNN7EXAMPLE', known: false, shown: 'AKIAIOSFODNN7EXAMPLE' },
    { claimed: 'ASIAIOSFODNN7EXAMPLE', known: false, shown: 'ASIAIOSFODNN7EXAMPLE' },
    { claimed: 'minio', known: true, shown: 'minio' },
    { claimed: SECRET, known: false, shown: 'HIDDEN_DUE_TO_SECURITY_REASONS (40 characters)' },
    { claimed: 'AKIAIOSFODNN7EXAMPLEX', known: false, shown: 'HIDDEN_DUE_TO_SECURITY_REASONS (21 characters)' },
    { claimed: 'akiaiosfodnn7example', known: false, shown: 'HIDDEN_DUE_TO_SECURITY_REASONS (20 characters)' },
  ];
  for (const c of cases) {
    it(`${c.claimed} (${c.known ? 'known' : 'unknown'})`, () => expect(recordableAccessKeyId(c.claimed, c.known)).toBe(c.shown));
  }
  it('takes the shape of the keys Castellan issues', () => expect(ACCESS_KEY_ID_SHAPE.test('AKIA' + 'A2B3C4D5E6F7G2H3')).toBe(true));
});
