/**
 * The console's shell: sign-in when there is no session, otherwise the navigation and the page the
 * URL fragment names. After {@link IDLE_TIMEOUT_MS} without a key press, click or touch in any of
 * the browser's console tabs the session is ended (`POST /signout`), as AWS's console does.
 *
 * The session belongs to the browser, not to one tab (api/session.ts): a tab opened later starts
 * signed in, signing out in one tab signs all out, and a sign-in in one tab (which replaces the
 * browser's cookie) moves the others to the new session, saying so.
 */
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { forgetDenials, whenSessionEnds } from './api/aws-call.js';
import { forgetPermissions } from './api/permissions.js';
import { activeSession, adoptSession, lastActivity, loadSession, noteActivity, saveSession, SESSION_KEY, type ConsoleSession } from './api/session.js';
import { postSignOut } from './api/sign-in.js';
import { useHashRoute } from './components/use-hash-route.js';
import { PAGES } from './pages/pages.js';
import { SignInPage } from './pages/sign-in-page.js';
import { Notice } from './components/notice.js';

/** Fifteen minutes without input ends the session. */
export const IDLE_TIMEOUT_MS = 15 * 60_000;

export function App() {
  const [session, setSession] = useState<ConsoleSession | undefined>(() => {
    const stored = loadSession();
    adoptSession(stored);
    return stored;
  });
  const [notice, setNotice] = useState('');
  /** Said above the page of a tab that moved to a session signed in from another tab. */
  const [moved, setMoved] = useState('');
  const [signOutError, setSignOutError] = useState('');
  const route = useHashRoute();

  const end = useCallback((message: string) => {
    // Whoever signs in next at this browser is not offered this session's denials.
    forgetDenials();
    forgetPermissions(true);
    setSignOutError('');
    setMoved('');
    saveSession(undefined);
    setSession(undefined);
    setNotice(message);
  }, []);

  /** Takes up `next`, which another tab signed in: nothing learnt under the old session is kept. */
  const adopt = useCallback((next: ConsoleSession, wasSignedIn: boolean) => {
    forgetDenials();
    forgetPermissions(true);
    setSignOutError('');
    signingOut.current = false;
    adoptSession(next);
    setSession(next);
    setNotice('');
    setMoved(wasSignedIn ? `This browser signed in again in another tab, which ended this tab's session: this tab now uses the new one (${next.userName} @ ${next.account}).` : '');
  }, []);

  // While this tab signs out, a call refused for want of the session (the permissions' periodic
  // question, answered after the cookie went) is not news: the sign-out says why the session ended.
  const signingOut = useRef(false);
  const signOut = useCallback(() => {
    signingOut.current = true;
    return postSignOut().then((over) => {
      if (!over) signingOut.current = false;
      return over;
    });
  }, []);
  // A call refused for want of the session: it ended (signed out, expired, the user deleted) or
  // another tab's sign-in replaced it, in which case this tab moves to that one.
  useEffect(
    () =>
      whenSessionEnds(() => {
        if (signingOut.current) return;
        const stored = loadSession();
        if (stored && stored.csrfToken !== activeSession()?.csrfToken) adopt(stored, true);
        else end('Your session has ended. Sign in again.');
      }),
    [end, adopt],
  );

  // What the other tabs did: signed in (this tab follows), or ended the session (so does this tab).
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key !== SESSION_KEY && e.key !== null) return;
      const stored = loadSession();
      const mine = activeSession();
      if (stored?.csrfToken === mine?.csrfToken) return;
      if (stored) adopt(stored, mine !== undefined);
      else if (mine) end('Your session has ended. Sign in again.');
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [end, adopt]);

  useEffect(() => {
    if (!session) return;
    let timer = 0;
    let last = Date.now();
    let shared = 0;
    // The session is the browser's: input in another console tab keeps it alive here too.
    const wait = (ms: number) => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const idle = Date.now() - Math.max(last, lastActivity());
        if (idle < IDLE_TIMEOUT_MS) wait(IDLE_TIMEOUT_MS - idle);
        else void signOut().then(() => end('You were signed out after 15 minutes without activity.'));
      }, ms);
    };
    const used = () => {
      const now = Date.now();
      // Shared at most once a second (counted from the last write, so a stream of events with no
      // pause is still shared): a scroll wheel's events need not each write storage.
      if (now - shared >= 1000) {
        noteActivity(now);
        shared = now;
      }
      last = now;
    };
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, used, { passive: true });
    wait(IDLE_TIMEOUT_MS);
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, used);
    };
  }, [session, end, signOut]);

  // Another page (a link followed, a deleted entity's list) or the console after signing in replaces
  // what had the keyboard: start at the new page's heading, which a screen reader reads out, as a
  // page load would. The first page of a load keeps the browser's own start.
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(session ? route : '');
  useEffect(() => {
    const now = session ? route : '';
    if (now === shown.current) return;
    shown.current = now;
    if (now) heading.current?.focus();
  }, [route, session]);
  const [pageName, entity] = route.split('/');
  const page = PAGES.find((p) => p.route === pageName) ?? PAGES[0]!;
  useEffect(() => {
    const parts = session ? [entity ? safeDecode(entity) : '', page.title] : ['Sign in'];
    document.title = [...parts.filter(Boolean), 'Castellan console'].join(' – ');
  }, [session, page, entity]);

  if (!session) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(s) => {
          saveSession(s);
          signingOut.current = false;
          setNotice('');
          setMoved('');
          setSession(s);
        }}
      />
    );
  }

  const Page = page.component;
  return (
    // A session taken up from another tab starts its pages afresh: nothing shown was read under the old one.
    <div className="shell" key={session.csrfToken}>
      <header className="top">
        {/* The pages live in the fragment (#/users), so following #main would open the first page: move focus instead. */}
        <a
          className="skip"
          href="#main"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
          Skip to content
        </a>
        <span className="brand">Castellan</span>
        <span className="who" aria-label="Signed in as">
          {session.userName} @ {session.account}
          {session.mfaUsed ? ' (MFA)' : ''}
        </span>
        {/* An IAM user's own page: their password, access keys and MFA devices, as AWS's "Security credentials". Root signs in as `root`. */}
        {session.userName !== 'root' && (
          <a className="mine" href={`#/users/${encodeURIComponent(session.userName)}`}>
            My security credentials
          </a>
        )}
        <button
          type="button"
          onClick={() =>
            void signOut().then((over) => {
              // Showing the sign-in page while the cookie still works would let the next person at this browser in.
              if (over) {
                // The next person to sign in at this browser starts at the first page, not at the last one opened here.
                window.history.replaceState(null, '', '#/users');
                end('You signed out.');
              }
              else setSignOutError('Sign-out failed: the server did not confirm it, so the session may still be active. Try again.');
            })
          }
        >
          Sign out
        </button>
      </header>
      <nav aria-label="Console sections" className="side">
        <ul>
          {PAGES.map((p) => (
            <li key={p.route}>
              <a href={`#/${p.route}`} aria-current={p === page ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Notice kind="error">{signOutError}</Notice>
        <Notice kind="ok">{moved}</Notice>
        <h1 ref={heading} tabIndex={-1}>
          {page.title}
        </h1>
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Page session={session} route={route} />
        </Suspense>
      </main>
    </div>
  );
}

/** A fragment part as text (a malformed %-escape is shown as typed rather than throwing). */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
