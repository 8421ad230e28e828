/**
 * `POST /signin` and `POST /signout`: the console's only routes of its own. Signing in answers a
 * sealed session cookie (`HttpOnly; SameSite=Strict; Path=/`, `Secure` over TLS) and, in the JSON
 * body, the CSRF token later calls echo in `X-Castellan-CSRF`; everything else the console does is
 * an ordinary Query call to `POST /`, authenticated by `ConsoleSessionAuthenticator`.
 *
 * @module
 */
import type { Context, Hono } from 'hono';
import type { Clock } from '../domain/context.js';
import { SourceIpResolver } from '../pipeline/source-ip.js';
import { CONSOLE_CSRF_HEADER, CONSOLE_SESSION_COOKIE, cookieValue } from '../services/console/console-session-codec.js';
import type { SignedOutSessions } from '../services/console/signed-out-sessions.js';
import { signIn, type SignInDeps, type SignInInput } from '../services/console/sign-in.js';
import type { PeerBindings } from './create-app.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';

export interface ConsoleSignInRouteDeps {
  signIn: SignInDeps;
  signedOut: SignedOutSessions;
  clock: Clock;
  trustedProxies: readonly string[];
}

type Ctx = Context<{ Bindings: PeerBindings }>;

export function addConsoleSignInRoutes(app: Hono<{ Bindings: PeerBindings }>, deps: ConsoleSignInRouteDeps): void {
  const sourceIps = new SourceIpResolver(deps.trustedProxies);
  const peerOf = (c: Ctx) => {
    const url = new URL(c.req.url);
    const socket = c.env?.incoming?.socket;
    const h = c.req.raw.headers;
    return {
      url,
      ...sourceIps.resolve(socket?.remoteAddress ?? '127.0.0.1', h.get('x-forwarded-for') ?? undefined, h.get('x-forwarded-proto') ?? undefined, socket?.encrypted === true || url.protocol === 'https:'),
    };
  };

  app.post('/signin', async (c) => {
    const peer = peerOf(c);
    const input = await readSignInInput(c);
    if (!input) return c.json({ state: 'INVALID_REQUEST', message: 'account, userName and password are required.' }, 400);
    const now = deps.clock.now();
    const result = await signIn(deps.signIn, input, { now, sourceIp: peer.sourceIp, userAgent: c.req.header('user-agent') ?? '', loginTo: `${peer.url.origin}/console/` });
    c.header('Cache-Control', 'no-store');
    switch (result.kind) {
      case 'signed-in': {
        const maxAge = Math.floor((result.session.expiresAt.getTime() - now.getTime()) / 1000);
        c.header('Set-Cookie', `${CONSOLE_SESSION_COOKIE}=${result.cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${peer.secureTransport ? '; Secure' : ''}`);
        return c.json({ state: 'SIGNED_IN', csrfToken: result.csrfToken, expiration: result.session.expiresAt.toISOString(), mfaUsed: result.session.mfaAuthenticatedAt !== undefined });
      }
      case 'password-change-required':
        return c.json({
          state: 'PASSWORD_CHANGE_REQUIRED',
          message: result.hardExpired
            ? 'Your password has expired and must be reset by an administrator.'
            : 'Your password has expired or must be reset. Change it with ChangePassword (access keys) or ask an administrator to reset it.',
        }, 403);
      case 'failed':
        return c.json({ state: 'FAILED', message: result.message }, 401);
    }
  });

  app.post('/signout', (c) => {
    const now = deps.clock.now();
    const session = deps.signIn.codec.open(cookieValue(c.req.header('cookie'), CONSOLE_SESSION_COOKIE) ?? '');
    // The CSRF token is required so another site cannot sign the user out.
    if (!session || !deps.signIn.codec.csrfMatches(session.sessionId, c.req.header(CONSOLE_CSRF_HEADER))) return c.json({ state: 'FAILED', message: 'No console session to end.' }, 403);
    deps.signedOut.add(session.sessionId, session.expiresAt, now);
    c.header('Set-Cookie', `${CONSOLE_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${peerOf(c).secureTransport ? '; Secure' : ''}`);
    return c.json({ state: 'SIGNED_OUT' });
  });
}

/** The sign-in fields from a JSON or form body, or undefined when one is missing. */
async function readSignInInput(c: Ctx): Promise<SignInInput | undefined> {
  let body: Uint8Array;
  try {
    body = await readBody(c.req.raw, DEFAULT_MAX_BODY_BYTES);
  } catch {
    return undefined;
  }
  const text = new TextDecoder().decode(body);
  let fields: Record<string, unknown>;
  if ((c.req.header('content-type') ?? '').includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object') return undefined;
      fields = parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(text));
  }
  const str = (k: string) => (typeof fields[k] === 'string' && (fields[k] as string).length > 0 && (fields[k] as string).length <= 512 ? (fields[k] as string) : undefined);
  const account = str('account');
  const userName = str('userName');
  const password = str('password');
  if (!account || !userName || !password) return undefined;
  const mfaCode = str('mfaCode');
  return { account, userName, password, ...(mfaCode ? { mfaCode } : {}) };
}
