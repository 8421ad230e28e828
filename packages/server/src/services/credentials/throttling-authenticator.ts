import { ThrottlingError } from '../../domain/errors.js';
import type { Authentication, AuthenticationAttempt, Authenticator } from '../../domain/ports/authenticator.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import type { RateLimiter } from '../../domain/rate-limiter.js';

/**
 * Limits the requests of each authenticated access key (or principal, for proofs without a key):
 * over its rate, a caller gets AWS's `Throttling` "Rate exceeded". It wraps another authenticator
 * and counts only proven callers, so nobody can throttle a key they do not hold.
 */
export class ThrottlingAuthenticator implements Authenticator {
  constructor(
    private readonly inner: Authenticator,
    private readonly limiter: RateLimiter,
  ) {}

  recognizes(request: InboundRequest, secureTransport: boolean): boolean {
    return this.inner.recognizes(request, secureTransport);
  }

  async authenticate(attempt: AuthenticationAttempt): Promise<Authentication> {
    const authentication = await this.inner.authenticate(attempt);
    const key = authentication.facts.accessKeyId ?? authentication.principal.arn;
    if (!this.limiter.take(key, attempt.now.getTime())) {
      attempt.claim({ accountId: authentication.principal.accountId });
      throw new ThrottlingError('Rate exceeded');
    }
    return authentication;
  }
}
