import { describe, expect, it } from 'vitest';
import type { AuthenticationClaim } from '../../domain/ports/authenticator.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import { rootPrincipal } from '../../domain/test-principals.js';
import { InMemoryCredentialResolver } from './test-credential-resolver.js';
import { signedRequest } from '../../sigv4/test-sign.js';
import { SigV4Authenticator } from './sigv4-authenticator.js';

const NOW = new Date('2026-05-06T07:08:09Z');
const ROOT = { accessKeyId: 'AKIACASTELLANTEST001', secretAccessKey: 'root-secret' };
const credentials = new InMemoryCredentialResolver().add(ROOT.accessKeyId, ROOT.secretAccessKey, rootPrincipal()).addState('AKIACASTELLANINACTIV', 'inactive', '210987654321');

async function inbound(options: { presign?: boolean; headers?: Record<string, string>; accessKeyId?: string; service?: string }): Promise<InboundRequest> {
  const req = await signedRequest({
    url: options.presign ? 'http://castellan.test/?Action=ListUsers&Version=2010-05-08' : 'http://castellan.test/',
    ...(options.presign ? { presign: true } : { body: 'Action=ListUsers&Version=2010-05-08' }),
    service: options.service ?? 'iam',
    region: 'eu-west-1',
    credentials: { ...ROOT, ...(options.accessKeyId ? { accessKeyId: options.accessKeyId } : {}) },
    signingDate: NOW,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const url = new URL(req.url);
  const body = new Uint8Array(await req.arrayBuffer());
  return { method: req.method, path: url.pathname, query: url.search.slice(1), header: (n) => req.headers.get(n) ?? undefined, host: url.host, body };
}

async function attempt(request: InboundRequest, required: string[] = []) {
  const claims: AuthenticationClaim = {};
  const authenticator = new SigV4Authenticator(credentials);
  const run = authenticator.authenticate({ request, now: NOW, services: ['iam', 'sts'], defaultService: 'iam', requiredSignedHeaders: required, secureTransport: true, claim: (c) => Object.assign(claims, c) });
  return { run, claims, authenticator };
}

describe('SigV4Authenticator', () => {
  it.each([
    ['header', false, 'sigv4-header'],
    ['presigned', true, 'sigv4-presigned'],
  ] as const)('authenticates a %s signature with its facts', async (_name, presign, method) => {
    const request = await inbound({ presign });
    const { run, authenticator } = await attempt(request);
    expect(authenticator.recognizes(request)).toBe(true);
    await expect(run).resolves.toEqual({
      principal: rootPrincipal(),
      facts: { method, accessKeyId: ROOT.accessKeyId, scope: { region: 'eu-west-1', service: 'iam' }, temporaryCredentials: false },
    });
  });

  it('does not recognize a request without a signature', () => {
    const unsigned: InboundRequest = { method: 'POST', path: '/', query: 'Action=ListUsers', header: () => undefined, host: 'h', body: new Uint8Array() };
    expect(new SigV4Authenticator(credentials).recognizes(unsigned)).toBe(false);
  });

  it('claims the key, region and account before refusing an inactive key (a key it knows)', async () => {
    const { run, claims } = await attempt(await inbound({ accessKeyId: 'AKIACASTELLANINACTIV' }));
    await expect(run).rejects.toMatchObject({ code: 'InvalidClientTokenId' });
    expect(claims).toEqual({ region: 'eu-west-1', accessKeyId: 'AKIACASTELLANINACTIV', knownAccessKey: true, service: 'iam', accountId: '210987654321' });
  });

  it('claims what stands in the key position even when the signature cannot be parsed, and never knows an unknown key', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const malformed: InboundRequest = { method: 'POST', path: '/', query: '', host: 'h', body: new Uint8Array(), header: (n) => (n === 'authorization' ? `AWS4-HMAC-SHA256 Credential=${secret}/20260102/us-east-1/iam/aws4_request, Signature=ab` : undefined) };
    const refused = await attempt(malformed);
    await expect(refused.run).rejects.toMatchObject({ code: 'IncompleteSignature' });
    expect(refused.claims).toEqual({ accessKeyId: secret });
    const unknown = await attempt(await inbound({ accessKeyId: 'AKIANOSUCHKEY0000000' }));
    await expect(unknown.run).rejects.toMatchObject({ code: 'InvalidClientTokenId' });
    expect(unknown.claims).not.toHaveProperty('knownAccessKey');
  });

  it('requires the headers the protocol names among the signed headers', async () => {
    const { run } = await attempt(await inbound({}), ['X-Amz-Target']);
    await expect(run).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization." });
    const signed = await attempt(await inbound({ headers: { 'x-amz-target': 'CloudTrail_20131101.LookupEvents' } }), ['X-Amz-Target']);
    await expect(signed.run).resolves.toMatchObject({ facts: { method: 'sigv4-header' } });
  });

  it('refuses a scope naming a service this endpoint does not answer', async () => {
    const { run } = await attempt(await inbound({ service: 's3' }));
    await expect(run).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', message: "Credential should be scoped to correct service: 'iam'. " });
  });
});
