// The client requests of bench/authorizer: a GetObject signed as the AWS SDK signs it, and the
// question the S3 service asks about it (bucket policy and data event included).
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

const doc = (...statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** The bucket's policy: a Deny outside loopback and a grant to another account. */
export const BUCKET_POLICY = doc(
  { Sid: 'DenyOutsideLoopback', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::bench-bucket/*', Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
  { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bench-bucket/shared/*' },
);

/** A client request signed by `credentials`. */
export async function clientRequest(credentials, key) {
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: 's3.bench.local', path: `/bench-bucket/${key}`, query: {}, headers: { host: 's3.bench.local', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'user-agent': 'bench' } });
  const headers = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return { method: 'GET', path: `/bench-bucket/${key}`, query: '', headers };
}

/** What the S3 service asks about `request`. */
export function question(request, key, accountId) {
  return {
    request,
    sourceIp: '127.0.0.1',
    authorizations: [{ action: 's3:GetObject', resource: `arn:aws:s3:::bench-bucket/${key}`, resourceAccount: accountId }],
    resourcePolicy: { policyId: 'bucket-policy:bench-bucket', document: BUCKET_POLICY },
    event: { eventName: 'GetObject', readOnly: true, requestParameters: { bucketName: 'bench-bucket', key }, resources: [{ type: 'AWS::S3::Object', arn: `arn:aws:s3:::bench-bucket/${key}` }] },
  };
}
