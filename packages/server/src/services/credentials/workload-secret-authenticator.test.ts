import { describe, expect, it } from 'vitest';
import type { AuthenticationClaim } from '../../domain/ports/authenticator.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import type { WorkloadRegistrationRow } from '../../store/store.js';
import { WorkloadSecretAuthenticator } from './workload-secret-authenticator.js';

const ACTIVE: WorkloadRegistrationRow = { id: 'wl-0a', accountId: '111122223333', instanceProfileName: 'web', secretHash: 'h', createDate: new Date(0) };
const authenticator = new WorkloadSecretAuthenticator({ activeRegistration: async (secret) => (secret === 'cwls_good' ? ACTIVE : undefined) });

function request(headers: Record<string, string>): InboundRequest {
  return { method: 'POST', path: '/', query: '', host: 'h', body: new Uint8Array(), header: (name) => headers[name] };
}
const EXCHANGE = 'Castellan_20261201.GetWorkloadCredentials';

describe('WorkloadSecretAuthenticator', () => {
  it.each([
    ['a bootstrap secret', { authorization: 'Bearer cwls_x' }, true],
    ['a SigV4 header', { authorization: 'AWS4-HMAC-SHA256 Credential=…' }, false],
    ['another bearer token', { authorization: 'Bearer abc' }, false],
    ['no authorization', {}, false],
  ])('recognizes %s: %s', (_name, headers, expected) => {
    expect(authenticator.recognizes(request(headers))).toBe(expected);
  });

  it.each([
    ['the exchange with an active secret', { authorization: 'Bearer cwls_good', 'x-amz-target': EXCHANGE }, { ok: true }],
    ['an unknown or revoked secret', { authorization: 'Bearer cwls_bad', 'x-amz-target': EXCHANGE }, { ok: false, code: 'AccessDenied', message: /unknown, revoked/ }],
    ['another castellan operation', { authorization: 'Bearer cwls_good', 'x-amz-target': 'Castellan_20261201.ListWorkloads' }, { ok: false, code: 'AccessDenied', message: /only GetWorkloadCredentials/ }],
    ['a Query call (no target)', { authorization: 'Bearer cwls_good' }, { ok: false, code: 'AccessDenied', message: /only GetWorkloadCredentials/ }],
  ] as const)('%s', async (_name, headers, expected) => {
    // Given a request carrying the headers, When it is authenticated
    const claims: AuthenticationClaim = {};
    const run = authenticator.authenticate({ request: request(headers), now: new Date(0), services: ['cloudtrail', 'castellan'], defaultService: 'castellan', requiredSignedHeaders: ['X-Amz-Target'], secureTransport: true, claim: (c) => Object.assign(claims, c) });
    // Then EC2's service principal acts for the registration, or the call is refused
    if (expected.ok) {
      expect(await run).toEqual({
        principal: { type: 'AWSService', accountId: ACTIVE.accountId, arn: `arn:aws:castellan::${ACTIVE.accountId}:workload/wl-0a`, principalId: 'ec2.amazonaws.com', mfaAuthenticated: false },
        facts: { method: 'metadata-token', temporaryCredentials: false },
      });
      expect(claims).toMatchObject({ service: 'castellan', accountId: ACTIVE.accountId });
    } else {
      await expect(run).rejects.toMatchObject({ code: expected.code, message: expect.stringMatching(expected.message) });
    }
  });
});
