/**
 * The console session as the page knows it. The session itself is the server's `HttpOnly` cookie,
 * which no script can read and which every tab of the browser shares; the page keeps only the CSRF
 * token every call echoes and who signed in. These are kept in `localStorage`, so a console link
 * opened in another tab is signed in too, as on AWS. Only scripts of the console's own origin can
 * read it, as with the `sessionStorage` it replaced: another site cannot learn the token.
 *
 * Each tab also remembers the session it shows ({@link activeSession}): its calls echo that
 * session's token, so a tab never acts for a session it does not show (a newer sign-in in another
 * tab replaces the cookie; the tab learns of it from the `storage` event, or from a call refused
 * with `InvalidClientTokenId`, and moves to the new session or to sign-in, see app.tsx).
 */
export interface ConsoleSession {
  csrfToken: string;
  expiration: string;
  mfaUsed: boolean;
  account: string;
  userName: string;
}

/** The `localStorage` key holding the browser's console session. */
export const SESSION_KEY = 'castellan-console-session';

/** The browser's console session, shared by its tabs; undefined when there is none or it has expired. */
export function loadSession(): ConsoleSession | undefined {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as ConsoleSession;
    return Date.parse(session.expiration) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes `session` this tab's and the browser's session. Clearing (undefined) forgets the stored
 * session only when it is this tab's: a tab whose session ended must not sign the others out of a
 * newer one.
 */
export function saveSession(session: ConsoleSession | undefined): void {
  const mine = active;
  active = session;
  try {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else {
      const stored = loadSession();
      if (!stored || !mine || stored.csrfToken === mine.csrfToken) localStorage.removeItem(SESSION_KEY);
    }
  } catch {
    // Storage refused (a private mode's quota): this tab still works with its own session.
  }
}

let active: ConsoleSession | undefined;

/** The session this tab shows and acts in: the one its calls echo the CSRF token of. */
export function activeSession(): ConsoleSession | undefined {
  return active;
}

/** Makes `session` this tab's, without touching the stored one (a tab adopting what another stored). */
export function adoptSession(session: ConsoleSession | undefined): void {
  active = session;
}

/** The `localStorage` key holding when someone last used the console in any tab (ms since the epoch). */
export const ACTIVITY_KEY = 'castellan-console-activity';

/** Notes input in this tab, so that the idle sign-out of the other tabs counts it. */
export function noteActivity(now: number): void {
  try {
    localStorage.setItem(ACTIVITY_KEY, String(now));
  } catch {
    // As above: the idle timeout then counts this tab's input only.
  }
}

/** When the console was last used in any tab of the browser, or 0. */
export function lastActivity(): number {
  try {
    return Number(localStorage.getItem(ACTIVITY_KEY) ?? 0) || 0;
  } catch {
    return 0;
  }
}

/** Calls from the console carry its version, so the trail's `userAgent` names the console. */
export const CONSOLE_VERSION = '0.1.0';
