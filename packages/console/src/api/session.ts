/**
 * The console session as the page knows it. The session itself is the server's `HttpOnly` cookie,
 * which no script can read; the page keeps only the CSRF token every call echoes (per tab, in
 * `sessionStorage`) and who signed in.
 */
export interface ConsoleSession {
  csrfToken: string;
  expiration: string;
  mfaUsed: boolean;
  account: string;
  userName: string;
}

const KEY = 'castellan-console-session';

export function loadSession(): ConsoleSession | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as ConsoleSession;
    return Date.parse(session.expiration) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: ConsoleSession | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

/** Calls from the console carry its version, so the trail's `userAgent` names the console. */
export const CONSOLE_VERSION = '0.1.0';
