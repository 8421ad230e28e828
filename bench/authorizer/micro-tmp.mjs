import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { deriveSigningKey } from '@castellan/server/service-kit';
import { InProcessAuthorizer } from '@castellan/authorizer-client';
const SECRET = 'alice-secret-0123456789abcdefghijklmnopq', KEY_ID = 'AKIAALICE00000000001';
const now = new Date();
const date = now.toISOString().slice(0, 10).replace(/-/g, '');
const principal = { type: 'IAMUser', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', principalId: 'AIDAALICE', userName: 'alice', mfaAuthenticated: false };
const doc = (...s) => JSON.stringify({ Version: '2012-10-17', Statement: s });
const policies = Array.from({ length: 9 }, (_, i) => ({ policyId: `p${i}`, name: `p${i}`, document: doc({ Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::team-${i}/*` }, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::team-${i}`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }) }));
policies.push({ policyId: 'grant', name: 'grant', document: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::bench-bucket', 'arn:aws:s3:::bench-bucket/*'] }) });
const snapshot = { accessKeyId: KEY_ID, principal, signingKey: deriveSigningKey(SECRET, date, 'us-east-1', 's3').toString('hex'), scope: { date, region: 'us-east-1', service: 's3' }, policies: { identity: policies }, tags: {}, validUntil: new Date(now.getTime() + 3600_000) };
const castellan = { service: 's3', async ask() { return { authenticated: true, principal, allowed: true, payload: { kind: 'unsigned' }, decisions: [], authentication: {}, snapshot }; } };
const local = new InProcessAuthorizer({ castellan, audit: 'off', refreshAfterMs: 3600_000 });
const BUCKET_POLICY = doc({ Sid: 'DenyOutsideLoopback', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::bench-bucket/*', Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }, { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bench-bucket/shared/*' });
const qs = [];
for (let i = 0; i < 256; i++) {
  const signer = new SignatureV4({ credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const s = await signer.sign({ method: 'GET', protocol: 'http:', hostname: 's3.bench.local', path: `/bench-bucket/photos/${i}.jpg`, query: {}, headers: { host: 's3.bench.local', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'user-agent': 'bench' } }, { signingDate: now });
  const headers = {}; for (const [k, v] of Object.entries(s.headers)) headers[k.toLowerCase()] = v;
  qs.push({ request: { method: 'GET', path: `/bench-bucket/photos/${i}.jpg`, query: '', headers }, sourceIp: '127.0.0.1', authorizations: [{ action: 's3:GetObject', resource: `arn:aws:s3:::bench-bucket/photos/${i}.jpg`, resourceAccount: '111111111111' }], resourcePolicy: { policyId: 'bp', document: BUCKET_POLICY } });
}
await local.authorize(qs[0]);
let n = 0, bad = 0; const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint(); const end = t0 + 2_000_000_000n;
while (process.hrtime.bigint() < end) { for (const q of qs) { const a = await local.authorize(q); if (!a.allowed) bad++; } n += qs.length; }
const secs = Number(process.hrtime.bigint() - t0) / 1e9; const cu = process.cpuUsage(c0); const cpuSecs = (cu.user + cu.system) / 1e6; console.log('per cpu-second', Math.round(n / cpuSecs));
console.log(Math.round(n / secs), 'checks/s', bad, 'bad', local.stats);
