/**
 * Sign in with account, user name, password and, when the user has one, an MFA code or a security
 * key; change an expired password on the way in (the server checks the old one and the account's
 * password policy, and the change is audited as ChangePassword).
 */
import { securityKeySiteProblem } from '../api/security-key-site.js';
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { postSignIn, type SignInFields } from '../api/sign-in.js';
import type { ConsoleSession } from '../api/session.js';
import { Notice } from '../components/notice.js';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (s: ConsoleSession) => void; notice: string }) {
  const [account, setAccount] = useState('');
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [mfaCode, setMfaCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mustChange, setMustChange] = useState(false);
  const [askMfa, setAskMfa] = useState(false);
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  // "You signed out." and the like describe what happened before this form was used, not its answer.
  const [showNotice, setShowNotice] = useState(true);
  const mfaInput = useRef<HTMLInputElement>(null);
  const newPasswordInput = useRef<HTMLInputElement>(null);

  // When the server asks for more (a code, a new password), the keyboard goes to the field it asks for.
  useEffect(() => {
    if (askMfa) mfaInput.current?.focus();
  }, [askMfa]);
  useEffect(() => {
    if (mustChange) newPasswordInput.current?.focus();
  }, [mustChange]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (mustChange && newPassword !== confirm) {
      setError('The new passwords do not match.');
      return;
    }
    setBusy(true);
    setShowNotice(false);
    setError('');
    setInfo('');
    try {
      const fields: SignInFields = { account: account.trim(), userName: userName.trim(), password, ...(mfaCode ? { mfaCode } : {}), ...(mustChange ? { newPassword } : {}) };
      let answer = await postSignIn(fields);
      if (answer.state === 'MFA_REQUIRED' && answer.webauthn) {
        const siteProblem = securityKeySiteProblem(window.location);
        if (siteProblem) {
          setError(siteProblem);
          return;
        }
        setInfo('Use your security key to finish signing in.');
        const response = await startAuthentication({ optionsJSON: answer.webauthn as unknown as PublicKeyCredentialRequestOptionsJSON });
        answer = await postSignIn({ ...fields, webauthnResponse: response });
      }
      switch (answer.state) {
        case 'SIGNED_IN':
          setPassword('');
          setNewPassword('');
          setConfirm('');
          onSignedIn({ csrfToken: answer.csrfToken, expiration: answer.expiration, mfaUsed: answer.mfaUsed, account: fields.account, userName: fields.userName });
          return;
        case 'MFA_REQUIRED':
          setAskMfa(true);
          setInfo('');
          setError(answer.message ?? 'Enter the code from your MFA device.');
          return;
        case 'PASSWORD_CHANGE_REQUIRED':
          if (answer.hardExpired) {
            setError(answer.message);
            return;
          }
          if (mustChange) setError(answer.message);
          else {
            setMustChange(true);
            // The server's message tells API clients which field to send; here the form asks for it.
            setInfo('Your password has expired or must be reset. Choose a new password below.');
          }
          return;
        default:
          setInfo('');
          setError(answer.message);
      }
    } catch (err) {
      setInfo('');
      setError(err instanceof Error ? `Sign-in failed: ${err.message}` : 'Sign-in failed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Castellan console</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-heading" className="card">
        <h2 id="sign-in-heading">{mustChange ? 'Change your password' : 'Sign in'}</h2>
        <Notice kind="ok">{showNotice && notice}</Notice>
        <label>
          Account
          <input name="account" autoComplete="organization" aria-describedby="account-hint" required value={account} onChange={(e) => setAccount(e.target.value)} />
        </label>
        <span id="account-hint" className="hint">The 12-digit account id or its alias.</span>
        <label>
          User name
          <input name="userName" autoComplete="username" aria-describedby="user-hint" required value={userName} onChange={(e) => setUserName(e.target.value)} />
        </label>
        <span id="user-hint" className="hint">
          <code>root</code> for the account root.
        </span>
        <label>
          {mustChange ? 'Current password' : 'Password'}
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          MFA code
          <input
            ref={mfaInput}
            aria-describedby="mfa-hint"
            name="mfaCode"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required={askMfa}
            value={mfaCode}
            onChange={(e) => setMfaCode(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <span id="mfa-hint" className="hint">
          {askMfa ? 'The code your authenticator app shows now.' : 'Only if your user has an MFA device.'}
        </span>
        {mustChange && (
          <>
            <label>
              New password
              <input ref={newPasswordInput} name="newPassword" type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
            </label>
            <label>
              Confirm new password
              <input name="confirmPassword" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            </label>
          </>
        )}
        <Notice kind="ok">{info}</Notice>
        <Notice kind="error">{error}</Notice>
        <button type="submit" className="primary" aria-disabled={busy}>
          {mustChange ? 'Change password and sign in' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
