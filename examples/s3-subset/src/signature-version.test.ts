import { describe, expect, it } from 'vitest';
import { signedWithV2 } from './signature-version.js';

describe('signedWithV2', () => {
  it.each([
    ['a SigV2 Authorization header', { authorization: 'AWS AKIAEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' }, '', true],
    ['a SigV2 presigned URL (s3cmd signurl)', {}, 'AWSAccessKeyId=AKIAEXAMPLE&Expires=1796655467&Signature=lF4V%3D', true],
    ['a SigV4 Authorization header', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' }, '', false],
    ['a SigV4A Authorization header', { authorization: 'AWS4-ECDSA-P256-SHA256 Credential=AKIAEXAMPLE/20261207/s3/aws4_request, SignedHeaders=host, Signature=00' }, '', false],
    ['a SigV4 presigned URL', {}, 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00', false],
    ['a SigV4 presigned URL that also has a Signature parameter', {}, 'X-Amz-Algorithm=AWS4-HMAC-SHA256&AWSAccessKeyId=A&Signature=00', false],
    ['an unsigned request', {}, '', false],
    ['a query naming only a Signature', {}, 'Signature=00', false],
  ])('%s', (_, headers: Record<string, string>, query, expected) => {
    expect(signedWithV2(headers, new URLSearchParams(query))).toBe(expected);
  });
});
