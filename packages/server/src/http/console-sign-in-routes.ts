/**
 * The console's routes of its own: `POST /signin`, `POST /signout`, and security key registration
 * (`POST /console-api/webauthn/registration-options`, `POST /console-api/webauthn/register`).
 * Signing in answers a sealed session cookie (`HttpOnly; SameSite=Strict; Path=/`; over TLS, or
 * through a trusted proxy saying https, named `__Host-castellan-console` and `Secure`, and only
 * that name is read there; `castellan-console` over plain http) and, in the JSON body, the CSRF token later calls echo in `X-Castellan-CSRF`; everything else
 * the console does is an ordinary Query call to `POST /`, authenticated by `ConsoleSessionAuthenticator`.
 *
 * What these routes change goes through the request pipeline like any API call: a password changed
 * at sign-in is the IAM call `ChangePassword`, and registering a security key is authorized and
 * audited as `CreateVirtualMFADevice`/`EnableMFADevice` (`protocol/console/`).
 *
 * @module
 */
import type { Context, Hono } from 'hono';
import type { Clock } from '../domain/context.js';
import type { InboundRequest } from '../domain/ports/inbound-request.js';
import { OperationRegistry } from '../pipeline/operation-registry.js';
import type { OperationSpec } from '../pipeline/operation-spec.js';
import { RequestPipeline, type PipelineDeps } from '../pipeline/request-pipeline.js';
import { SourceIpResolver } from '../pipeline/source-ip.js';
import { consoleCall } from '../protocol/console/console-call.js';
import { registerSecurityKeyOperation, registrationOptionsOperation } from '../protocol/console/security-key-operations.js';
import { awsErrorInfo } from '../protocol/model/aws-errors.js';
import { QueryAdapter } from '../protocol/query/query-adapter.js';
import { crossSite } from '../services/credentials/console-session-authenticator.js';
import { CONSOLE_CSRF_HEADER, consoleSessionCookieName, consoleSessionSetCookie, cookieValue, type ConsoleSession } from '../services/console/console-session-codec.js';
import type { WebAuthnSite } from '../services/console/security-keys.js';
import type { SignedOutSessions } from '../services/console/signed-out-sessions.js';
import { sessionUserName, signIn, type ChangePasswordCall, type SignInDeps, type SignInInput } from '../services/console/sign-in.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { userAgentOf, type PeerBindings } from './create-app.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';

export interface ConsoleSignInRouteDeps {
  signIn: SignInDeps;
  signedOut: SignedOutSessions;
  clock: Clock;
  trustedProxies: readonly string[];
  /** `--console-origin`: when set, the relying party and origin of every WebAuthn ceremony, whatever the request's `Host`. */
  consoleOrigin?: string;
  /** The same pipeline dependencies as the API's: calls made here are authorized and audited alike. */
  pipeline: PipelineDeps<ServiceDeps>;
}

type Ctx = Context<{ Bindings: PeerBindings }>;

/** The longest a sign-in field may be (a WebAuthn answer is larger, and is bounded by the body limit). */
const MAX_FIELD = 512;

export function addConsoleSignInRoutes(app: Hono<{ Bindings: PeerBindings }>, deps: ConsoleSignInRouteDeps): void {
  const sourceIps = new SourceIpResolver(deps.trustedProxies);
  const query = new QueryAdapter();
  const apiPipeline = new RequestPipeline<ServiceDeps>(deps.pipeline);
  const peerOf = (c: Ctx) => {
    const url = new URL(c.req.url);
    const socket = c.env?.incoming?.socket;
    const h = c.req.raw.headers;
    return {
      url,
      ...sourceIps.resolve(socket?.remoteAddress ?? '127.0.0.1', h.get('x-forwarded-for') ?? undefined, h.get('x-forwarded-proto') ?? undefined, socket?.encrypted === true || url.protocol === 'https:'),
    };
  };
  const configured = deps.consoleOrigin === undefined ? undefined : webAuthnSiteOf(new URL(deps.consoleOrigin));
  /**
   * The relying party of a WebAuthn ceremony. With `--console-origin`, that origin's host name and
   * the origin itself: an answer signed for any other origin is refused (`@simplewebauthn`'s
   * `expectedOrigin`). Without it, the host name the console is served from and the origin of a
   * page served from that host (taken from `Host` and the transport, never from a client-supplied
   * `Origin`): a proxy that forwards another `Host` (a phishing reverse proxy keeping its own, a
   * DNS-rebound name) then gets ceremonies for that name, which the README warns of.
   */
  const siteOf = (c: Ctx): WebAuthnSite => {
    if (configured) return configured;
    const peer = peerOf(c);
    const host = c.req.header('host') ?? peer.url.host;
    return { rpId: host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'), origin: `${peer.secureTransport ? 'https' : 'http'}://${host}` };
  };

  app.post('/signin', async (c) => {
    const peer = peerOf(c);
    const h = c.req.raw.headers;
    if (crossSite({ header: (name) => h.get(name) ?? undefined, host: peer.url.host })) {
      return c.json({ state: 'FAILED', message: 'Sign in from the console\'s own page: a sign-in sent by another site is refused.' }, 403);
    }
    const input = await readSignInInput(c);
    if (!input) return c.json({ state: 'INVALID_REQUEST', message: 'account, userName and password are required.' }, 400);
    const userAgent = c.req.header('user-agent') ?? '';
    // A password change at sign-in is the IAM call ChangePassword, made with a session that never leaves the server.
    const changePassword: ChangePasswordCall = async (session, change) => {
      const body = new URLSearchParams({ Action: 'ChangePassword', Version: '2010-05-08', OldPassword: change.oldPassword, NewPassword: change.newPassword });
      const request = internalRequest(peer.url, sessionHeaders(deps, session, userAgent, peer.secureTransport), new TextEncoder().encode(body.toString()));
      const outcome = await apiPipeline.run(query.readCall(request, { sourceIp: peer.sourceIp, secureTransport: peer.secureTransport, userAgent }));
      return outcome.ok ? { ok: true } : { ok: false, message: outcome.error.message };
    };
    const result = await signIn(deps.signIn, input, { now: () => deps.clock.now(), sourceIp: peer.sourceIp, userAgent, loginTo: `${peer.url.origin}/console/`, site: siteOf(c) }, changePassword);
    c.header('Cache-Control', 'no-store');
    switch (result.kind) {
      case 'signed-in': {
        const maxAge = Math.floor((result.session.expiresAt.getTime() - result.session.issuedAt.getTime()) / 1000);
        c.header('Set-Cookie', consoleSessionSetCookie(peer.secureTransport, result.cookie, maxAge));
        return c.json({ state: 'SIGNED_IN', csrfToken: result.csrfToken, expiration: result.session.expiresAt.toISOString(), mfaUsed: result.session.mfaAuthenticatedAt !== undefined });
      }
      case 'password-change-required':
        return c.json({
          state: 'PASSWORD_CHANGE_REQUIRED',
          message: result.message ?? (result.hardExpired
            ? 'Your password has expired and must be reset by an administrator.'
            : 'Your password has expired or must be reset. Sign in again with newPassword, change it with ChangePassword (access keys), or ask an administrator to reset it.'),
          hardExpired: result.hardExpired,
        }, 403);
      case 'mfa-required':
        return c.json({ state: 'MFA_REQUIRED', ...(result.webauthn ? { webauthn: result.webauthn } : {}) }, 401);
      case 'failed':
        return c.json({ state: 'FAILED', message: result.message }, 401);
    }
  });

  app.post('/signout', async (c) => {
    const now = deps.clock.now();
    const secure = peerOf(c).secureTransport;
    const session = deps.signIn.codec.open(cookieValue(c.req.header('cookie'), consoleSessionCookieName(secure)) ?? '');
    // The CSRF token is required so another site cannot sign the user out.
    if (!session || !deps.signIn.codec.csrfMatches(session.sessionId, c.req.header(CONSOLE_CSRF_HEADER))) return c.json({ state: 'FAILED', message: 'No console session to end.' }, 403);
    await deps.signedOut.add(session.sessionId, session.expiresAt, now);
    c.header('Set-Cookie', consoleSessionSetCookie(secure, '', 0));
    return c.json({ state: 'SIGNED_OUT' });
  });

  /**
   * Runs one console operation through a pipeline with the API's authenticators, authorizer and
   * audit log; the cookie and CSRF header of the request authenticate it. Answers JSON: the output,
   * or `{error: {code, message}}` with the error's HTTP status.
   */
  const runConsoleOperation = async (c: Ctx, body: Uint8Array, spec: OperationSpec<never, unknown, ServiceDeps>, params: Record<string, unknown>) => {
    const peer = peerOf(c);
    const h = c.req.raw.headers;
    const request: InboundRequest = { method: 'POST', path: peer.url.pathname, query: '', header: (name) => h.get(name) ?? undefined, host: peer.url.host, body };
    const operations = new OperationRegistry<ServiceDeps>().register(spec as OperationSpec<unknown, unknown, ServiceDeps>);
    const outcome = await new RequestPipeline<ServiceDeps>({ ...deps.pipeline, operations }).run(
      consoleCall(request, { sourceIp: peer.sourceIp, secureTransport: peer.secureTransport, userAgent: userAgentOf(c.req.raw.headers) }, spec.name, params),
    );
    c.header('Cache-Control', 'no-store');
    c.header('x-amzn-requestid', outcome.requestId);
    if (outcome.ok) return c.json(outcome.output as Record<string, unknown>);
    return c.json({ error: { code: outcome.error.code, message: outcome.error.message } }, awsErrorInfo(outcome.error.code).httpStatus as 400);
  };
  /** The session of a console API request (authentication proper is the pipeline's), for binding challenges. */
  const sessionOf = (c: Ctx): ConsoleSession | undefined => deps.signIn.codec.open(cookieValue(c.req.header('cookie'), consoleSessionCookieName(peerOf(c).secureTransport)) ?? '');
  const readBodyOrNull = (c: Ctx) => readBody(c.req.raw, DEFAULT_MAX_BODY_BYTES).catch(() => undefined);
  const tooLarge = (c: Ctx) => c.json({ error: { code: 'RequestEntityTooLarge', message: 'The request body is too large.' } }, 413);
  const unauthenticated = (c: Ctx) => c.json({ error: { code: 'MissingAuthenticationToken', message: 'A console session is required.' } }, 403);
  /**
   * These routes act for the session's user: a request carrying other credentials (SigV4, a bearer
   * secret) is refused, so that the pipeline authenticates the cookie itself (its expiry, sign-out
   * and CSRF token) and the caller it records is the user the route acts for.
   */
  const otherCredentials = (c: Ctx) =>
    c.req.header('authorization') === undefined
      ? undefined
      : c.json({ error: { code: 'AccessDenied', message: 'Security keys are registered from a console session only: a request with an Authorization header is refused.' } }, 403);

  app.post('/console-api/webauthn/registration-options', async (c) => {
    const refused = otherCredentials(c);
    if (refused) return refused;
    const session = sessionOf(c);
    if (!session) return unauthenticated(c);
    const body = await readBodyOrNull(c);
    if (!body) return tooLarge(c);
    const spec = registrationOptionsOperation({ codec: deps.signIn.codec, sessionId: session.sessionId, site: siteOf(c) });
    return runConsoleOperation(c, body, spec as OperationSpec<never, unknown, ServiceDeps>, { UserName: await sessionUserName(deps.signIn.store, session) });
  });

  app.post('/console-api/webauthn/register', async (c) => {
    const refused = otherCredentials(c);
    if (refused) return refused;
    const session = sessionOf(c);
    if (!session) return unauthenticated(c);
    const body = await readBodyOrNull(c);
    if (!body) return tooLarge(c);
    const fields = parseJsonObject(new TextDecoder().decode(body));
    const deviceName = typeof fields?.['deviceName'] === 'string' ? fields['deviceName'] : '';
    if (!fields || !/^[\w+=,.@-]{1,128}$/.test(deviceName) || typeof fields['response'] !== 'object' || fields['response'] === null) {
      return c.json({ error: { code: 'ValidationError', message: 'deviceName (1-128 characters of [\\w+=,.@-]) and response (the RegistrationResponseJSON) are required.' } }, 400);
    }
    const spec = registerSecurityKeyOperation({ codec: deps.signIn.codec, sessionId: session.sessionId, site: siteOf(c), response: fields['response'] });
    return runConsoleOperation(c, body, spec as OperationSpec<never, unknown, ServiceDeps>, { UserName: await sessionUserName(deps.signIn.store, session), DeviceName: deviceName });
  });
}

/** The WebAuthn site of a configured origin: its host name (without IPv6 brackets) and the origin itself. */
function webAuthnSiteOf(origin: URL): WebAuthnSite {
  return { rpId: origin.hostname.replace(/^\[(.*)\]$/, '$1'), origin: origin.origin };
}

/** The cookie and CSRF header of a session, for a call the server makes on the user's behalf. */
function sessionHeaders(deps: ConsoleSignInRouteDeps, session: ConsoleSession, userAgent: string, secureTransport: boolean): Record<string, string> {
  return {
    cookie: `${consoleSessionCookieName(secureTransport)}=${deps.signIn.codec.seal(session)}`,
    [CONSOLE_CSRF_HEADER]: deps.signIn.codec.csrfToken(session.sessionId),
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': userAgent,
  };
}

function internalRequest(url: URL, headers: Record<string, string>, body: Uint8Array): InboundRequest {
  return { method: 'POST', path: '/', query: '', header: (name) => headers[name.toLowerCase()], host: url.host, body };
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
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
    const parsed = parseJsonObject(text);
    if (!parsed) return undefined;
    fields = parsed;
  } else {
    fields = Object.fromEntries(new URLSearchParams(text));
  }
  const str = (k: string) => (typeof fields[k] === 'string' && (fields[k] as string).length > 0 && (fields[k] as string).length <= MAX_FIELD ? (fields[k] as string) : undefined);
  const account = str('account');
  const userName = str('userName');
  const password = str('password');
  if (!account || !userName || !password) return undefined;
  const mfaCode = str('mfaCode');
  const newPassword = str('newPassword');
  const webauthnResponse = fields['webauthnResponse'];
  return {
    account, userName, password,
    ...(mfaCode ? { mfaCode } : {}),
    ...(newPassword ? { newPassword } : {}),
    ...(webauthnResponse && typeof webauthnResponse === 'object' ? { webauthnResponse } : {}),
  };
}
