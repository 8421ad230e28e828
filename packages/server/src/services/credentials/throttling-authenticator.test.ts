import { describe, expect, it } from 'vitest';
import type { AuthenticationClaim, Authenticator } from '../../domain/ports/authenticator.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import { RateLimiter } from '../../domain/rate-limiter.js';
import { rootPrincipal } from '../../domain/test-principals.js';
import { ThrottlingAuthenticator } from './throttling-authenticator.js';

const request: InboundRequest = { method: 'POST', path: '/', query: '', header: () => 'AWS4-HMAC-SHA256 …', host: 'h', body: new Uint8Array() };

/** Proves every request to be from the key named in `keys`, in turn. */
function fixed(keys: string[]): Authenticator {
  let i = 0;
  return {
    recognizes: () => true,
    authenticate: async () => ({ principal: rootPrincipal(), facts: { method: 'sigv4-header', accessKeyId: keys[i++ % keys.length]!, temporaryCredentials: false } }),
  };
}

async function attempt(authenticator: Authenticator, nowMs: number) {
  const claims: AuthenticationClaim = {};
  try {
    await authenticator.authenticate({ request, now: new Date(nowMs), services: ['iam'], defaultService: 'iam', requiredSignedHeaders: [], secureTransport: true, claim: (c) => Object.assign(claims, c) });
    return { ok: true as const, claims };
  } catch (err) {
    return { ok: false as const, err, claims };
  }
}

describe('ThrottlingAuthenticator', () => {
  it("answers AWS's Throttling once a key is over its rate, counting each key apart", async () => {
    const a = new ThrottlingAuthenticator(fixed(['AKIAONE', 'AKIAONE', 'AKIATWO', 'AKIAONE']), new RateLimiter({ perSecond: 1, burst: 2 }));
    expect((await attempt(a, 0)).ok).toBe(true);
    expect((await attempt(a, 0)).ok).toBe(true);
    expect((await attempt(a, 0)).ok).toBe(true);
    const throttled = await attempt(a, 0);
    expect(throttled).toMatchObject({ ok: false, err: { code: 'Throttling', message: 'Rate exceeded' }, claims: { accountId: '123456789012' } });
  });

  it('recognizes what the wrapped authenticator recognizes', () => {
    expect(new ThrottlingAuthenticator(fixed(['k']), new RateLimiter({ perSecond: 1 })).recognizes(request, true)).toBe(true);
  });
});
