// The requests of bench/authorizer: the account's two users, a GetObject signed as the AWS SDK
// signs it, the question the S3 service asks about it (bucket policy and data event included) and
// the AuthorizeRequest call that carries it.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { signPost } from '../api/sign-request.js';

// The SDK's Node 22 notice is noise in a benchmark's output (the CLI turns it off the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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

/**
 * The service's user (may call AuthorizeRequest for `s3`) and the client's user with `policyCount`
 * identity policies (the last one grants the reads measured), each with an access key.
 */
export async function setUp(url, root, policyCount) {
  const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: root, maxAttempts: 1 });
  // The last policy is inline; the others are managed policies attached to the user (AWS's inline
  // policies share 2,048 bytes per user; up to 10 managed policies may be attached).
  const user = async (name, policies) => {
    await iam.send(new CreateUserCommand({ UserName: name }));
    for (const [i, p] of policies.slice(0, -1).entries()) {
      const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-p${i}`, PolicyDocument: p }))).Policy.Arn;
      await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: arn }));
    }
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'grant', PolicyDocument: policies.at(-1) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
    return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey };
  };
  const service = await user('s3-service', [doc({ Effect: 'Allow', Action: 'castellan:AuthorizeRequest', Resource: '*', Condition: { StringEquals: { 'castellan:SigningService': 's3' } } })]);
  const filler = Array.from({ length: Math.max(0, policyCount - 1) }, (_, i) => doc(
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::team-${i}/*` },
    { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::team-${i}`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ));
  const reader = await user('reader', [...filler, doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::bench-bucket', 'arn:aws:s3:::bench-bucket/*'] })]);
  iam.destroy();
  return { service, reader };
}

/** The AuthorizeRequest call as autocannon replays it (signed once: well within the 15-minute skew). */
export function authorizeCall(host, service, q) {
  const body = JSON.stringify({
    Service: 's3',
    ClientRequest: { Method: q.request.method, Path: q.request.path, Query: q.request.query, Headers: q.request.headers },
    SourceIp: q.sourceIp,
    Authorizations: q.authorizations.map((a) => ({ Action: a.action, Resource: a.resource, ResourceAccount: a.resourceAccount })),
    ResourcePolicy: { PolicyId: q.resourcePolicy.policyId, Document: q.resourcePolicy.document },
    Event: { EventName: q.event.eventName, ReadOnly: true, RequestParameters: q.event.requestParameters, Resources: q.event.resources.map((r) => ({ Type: r.type, Arn: r.arn })) },
  });
  const headers = signPost({ host, body, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Castellan_20261201.AuthorizeRequest' }, service: 'castellan', region: 'us-east-1', credentials: service, date: new Date() });
  const { host: _host, ...sent } = headers;
  return { method: 'POST', path: '/', headers: sent, body };
}

/**
 * Checks `questions` in turn with the in-process authorizer `local` for `seconds`, every one of which
 * must be allowed; the number of checks made.
 */
export async function checkFor(local, questions, seconds) {
  let n = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    for (const q of questions) {
      const a = await local.authorize(q);
      if (!a.authenticated || !a.allowed) throw new Error('refused');
    }
    n += questions.length;
  }
  return n;
}
