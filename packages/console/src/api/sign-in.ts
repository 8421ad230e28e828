/** `POST /signin` and `POST /signout`, as README "Console sign-in" describes them. */
import { activeSession } from './session.js';

export interface SignInFields {
  account: string;
  userName: string;
  password: string;
  mfaCode?: string;
  newPassword?: string;
  webauthnResponse?: unknown;
}

export type SignInAnswer =
  | { state: 'SIGNED_IN'; csrfToken: string; expiration: string; mfaUsed: boolean }
  | { state: 'PASSWORD_CHANGE_REQUIRED'; message: string; hardExpired?: boolean }
  | { state: 'MFA_REQUIRED'; message?: string; webauthn?: Record<string, unknown> }
  | { state: 'FAILED' | 'INVALID_REQUEST'; message: string };

export async function postSignIn(fields: SignInFields): Promise<SignInAnswer> {
  const res = await fetch('/signin', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  });
  try {
    return (await res.json()) as SignInAnswer;
  } catch {
    return { state: 'FAILED', message: `Sign-in failed (HTTP ${res.status}).` };
  }
}

/**
 * Ends the session on the server. True when it is over there: signed out now (200), or already
 * unknown to the server (403); false when the server could not be reached or failed, so the
 * session may still be live.
 */
export async function postSignOut(): Promise<boolean> {
  const res = await fetch('/signout', { method: 'POST', credentials: 'same-origin', headers: { 'X-Castellan-CSRF': activeSession()?.csrfToken ?? '' } }).catch(() => undefined);
  return res !== undefined && (res.ok || res.status === 403);
}
