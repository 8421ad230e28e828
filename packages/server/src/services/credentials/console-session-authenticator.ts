/**
 * Authenticates the console's calls: a request carrying the console session cookie (and no SigV4
 * proof) whose `X-Castellan-CSRF` header echoes the session's CSRF token. It then goes through the
 * same pipeline as any API call (authorized by the engine, audited). Cross-site requests are refused
 * twice over: the cookie is `SameSite=Strict`, and an `Origin` or `Sec-Fetch-Site` naming another
 * site is turned away here.
 *
 * @module
 */
import { rootArn } from '../../domain/arn.js';
import type { Principal } from '../../domain/context.js';
import { AccessDeniedError, ExpiredTokenError, InvalidClientTokenIdError } from '../../domain/errors.js';
import type { Authentication, AuthenticationAttempt, Authenticator } from '../../domain/ports/authenticator.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import type { UserRow } from '../../store/store.js';
import { CONSOLE_CSRF_HEADER, consoleSessionCookieName, cookieValue, type ConsoleSessionCodec } from '../console/console-session-codec.js';

export interface ConsoleSessionAuthenticatorDeps {
  codec: ConsoleSessionCodec;
  /** True for a session ended by sign-out. */
  isSignedOut(sessionId: string, now: Date): Promise<boolean>;
  /** The user as stored now: a deleted user's session ends with it. */
  getUserById(userId: string): Promise<UserRow | undefined>;
  /** True while the account's root has a console password: clearing it ends root's sessions. */
  rootHasPassword(accountId: string): Promise<boolean>;
  /** The account's alias, if it has one (CloudTrail's `userName` of root): cached by the caller, forgotten when it changes. */
  accountAlias(accountId: string): Promise<string | undefined>;
}

export class ConsoleSessionAuthenticator implements Authenticator {
  constructor(private readonly deps: ConsoleSessionAuthenticatorDeps) {}

  /** Only the transport's cookie name counts: over TLS the `__Host-` one, so a plain-named cookie planted by a sibling subdomain is not a session. */
  recognizes(request: InboundRequest, secureTransport: boolean): boolean {
    if (request.header('authorization') !== undefined) return false;
    if (/(^|&)X-Amz-(Signature|Credential)=/i.test(request.query)) return false;
    return cookieValue(request.header('cookie'), consoleSessionCookieName(secureTransport)) !== undefined;
  }

  async authenticate(attempt: AuthenticationAttempt): Promise<Authentication> {
    const { request, now } = attempt;
    if (crossSite(request)) throw new AccessDeniedError('Cross-site requests cannot use a console session.');
    const session = this.deps.codec.open(cookieValue(request.header('cookie'), consoleSessionCookieName(attempt.secureTransport)) ?? '');
    if (!session) throw new InvalidClientTokenIdError('The console session is invalid.');
    attempt.claim({ accountId: session.accountId });
    if (now.getTime() >= session.expiresAt.getTime() || (await this.deps.isSignedOut(session.sessionId, now))) {
      throw new ExpiredTokenError('The console session has expired. Sign in again.');
    }
    const csrf = request.header(CONSOLE_CSRF_HEADER);
    if (!csrf) throw new AccessDeniedError('The request is missing the console session\'s CSRF token (X-Castellan-CSRF).');
    // A token that is not this session's: most often an earlier session's, from a console tab open
    // when the browser signed in again (the cookie is the browser's, replaced by the newer sign-in).
    // The tab's session is over, as for an unknown token: the console then signs in again.
    if (!this.deps.codec.csrfMatches(session.sessionId, csrf)) {
      throw new InvalidClientTokenIdError('The console session\'s CSRF token (X-Castellan-CSRF) does not match the session cookie: the browser signed in again since this session began. Sign in again.');
    }
    const mfa = session.mfaAuthenticatedAt !== undefined;
    const consoleSession = { issuedAt: session.issuedAt, ...(session.mfaAuthenticatedAt ? { mfaAuthenticatedAt: session.mfaAuthenticatedAt } : {}) };
    let principal: Principal;
    if (session.arn === rootArn(session.accountId)) {
      if (!(await this.deps.rootHasPassword(session.accountId))) throw new InvalidClientTokenIdError('The console session is invalid.');
      const alias = await this.deps.accountAlias(session.accountId);
      principal = { type: 'Root', accountId: session.accountId, arn: session.arn, principalId: session.accountId, ...(alias ? { accountAlias: alias } : {}), mfaAuthenticated: mfa, consoleSession };
    } else {
      const user = await this.deps.getUserById(session.userId);
      if (!user || user.accountId !== session.accountId) throw new InvalidClientTokenIdError('The console session is invalid.');
      principal = { type: 'IAMUser', accountId: user.accountId, arn: user.arn, principalId: user.id, userName: user.name, mfaAuthenticated: mfa, consoleSession };
    }
    return {
      principal,
      facts: {
        method: 'console-session',
        // As on AWS, a console session counts as temporary credentials: aws:MultiFactorAuthPresent is set either way.
        temporaryCredentials: true,
        tokenIssuedAt: session.issuedAt,
        ...(session.mfaAuthenticatedAt ? { mfaAuthenticatedAt: session.mfaAuthenticatedAt } : {}),
      },
    };
  }
}

/**
 * True when the browser says the request came from another site or origin. `POST /signin` asks it
 * too: a sign-in another site submits would put its own session in the user's browser.
 */
export function crossSite(request: Pick<InboundRequest, 'header' | 'host'>): boolean {
  const site = request.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.header('origin');
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== (request.header('host') ?? request.host);
  } catch {
    return true;
  }
}
