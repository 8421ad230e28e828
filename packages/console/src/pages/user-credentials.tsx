/**
 * A user's credentials: access keys (a new secret is shown once, with a copy button), the console
 * password, and MFA devices — a virtual device enrolled from its QR code and two consecutive codes,
 * or, for the signed-in user, a security key (WebAuthn).
 */
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AwsApiError, errorText, query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { activeSession, CONSOLE_VERSION, type ConsoleSession } from '../api/session.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { DeniedHint, Gate } from '../components/permission-gate.js';
import { iamArn } from '../api/permissions.js';
import { Notice } from '../components/notice.js';
import { useAction, useAsync } from '../components/use-async.js';
import { EmptyRow } from '../components/list-footer.js';
import { isUsersVirtualSerial, unassignedOffer, type UnassignedOffer } from './mfa-serials.js';
import { SECURITY_KEY_NAME, securityKeySiteProblem } from '../api/security-key-site.js';

export function UserCredentials({ userName, session, arn }: { userName: string; session: ConsoleSession; arn: string }) {
  return (
    <>
      {session.userName === userName && session.userName !== 'root' && <ChangeOwnPassword arn={arn} />}
      <AccessKeys userName={userName} arn={arn} />
      <LoginProfile userName={userName} arn={arn} />
      <MfaDevices userName={userName} self={session.userName === userName} arn={arn} />
    </>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={copied ? `${label}: copied` : label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/** When and where a key was last used (GetAccessKeyLastUsed); undefined when that could not be read. */
async function lastUsed(keyId: string): Promise<string | undefined> {
  try {
    const used = (await query('iam', 'GetAccessKeyLastUsed', { AccessKeyId: keyId }))['AccessKeyLastUsed'] as Record<string, string> | undefined;
    const date = used?.['LastUsedDate'];
    return date ? `${date.slice(0, 16).replace('T', ' ')} (${used['ServiceName']}, ${used['Region']})` : 'Never';
  } catch {
    return undefined;
  }
}

function AccessKeys({ userName, arn }: { userName: string; arn: string }) {
  const keys = useAsync(async () => {
    const listed = asList((await query('iam', 'ListAccessKeys', { UserName: userName }))['AccessKeyMetadata']);
    // The list stands without it: a caller refused GetAccessKeyLastUsed still sees the keys.
    return Promise.all(listed.map(async (k): Promise<Record<string, string>> => ({ ...k, LastUsed: (await lastUsed(k['AccessKeyId'] ?? '')) ?? 'Unknown' })));
  }, [userName]);
  const [created, setCreated] = useState<{ id: string; secret: string }>();
  const action = useAction();
  const create = async () => {
    await action.run(async () => {
      const key = (await query('iam', 'CreateAccessKey', { UserName: userName }))['AccessKey'] as Record<string, string>;
      setCreated({ id: key['AccessKeyId']!, secret: key['SecretAccessKey']! });
      keys.reload();
    }, 'Created an access key.');
  };
  const setStatus = async (id: string, status: 'Active' | 'Inactive') => {
    if (await action.run(() => query('iam', 'UpdateAccessKey', { UserName: userName, AccessKeyId: id, Status: status }), `${id} is now ${status}.`)) keys.reload();
  };
  const remove = async (id: string) => {
    if (await action.run(() => query('iam', 'DeleteAccessKey', { UserName: userName, AccessKeyId: id }), `Deleted ${id}.`)) {
      if (created?.id === id) setCreated(undefined);
      keys.reload();
    }
  };
  return (
    <section aria-labelledby="keys-heading" className="card">
      <h3 id="keys-heading">Access keys</h3>
      <Notice kind="error">{keys.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      {created && (
        <div className="secret" role="region" aria-label="New access key">
          <p>
            <strong>Save the secret now: it is shown this once.</strong>
          </p>
          <dl>
            <dt>Access key id</dt>
            <dd>
              <code data-testid="new-key-id">{created.id}</code> <CopyButton text={created.id} label="Copy access key id" />
            </dd>
            <dt>Secret access key</dt>
            <dd>
              <code data-testid="new-key-secret">{created.secret}</code> <CopyButton text={created.secret} label="Copy secret access key" />
            </dd>
          </dl>
          <button type="button" onClick={() => setCreated(undefined)}>
            I have saved it
          </button>
        </div>
      )}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Access keys of {userName}</caption>
          <thead>
            <tr>
              <th scope="col">Access key id</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(keys.value ?? []).map((k) => (
              <tr key={k['AccessKeyId']}>
                <td>
                  <code>{k['AccessKeyId']}</code>
                </td>
                <td>{k['Status']}</td>
                <td>{k['CreateDate']?.slice(0, 19).replace('T', ' ')}</td>
                <td>{k['LastUsed']}</td>
                <td className="actions">
                  <Gate action="iam:UpdateAccessKey" resource={arn} inline>
                    <button
                      type="button"
                      aria-label={`${k['Status'] === 'Active' ? 'Deactivate' : 'Activate'} access key ${k['AccessKeyId']}`}
                      onClick={() => void setStatus(k['AccessKeyId']!, k['Status'] === 'Active' ? 'Inactive' : 'Active')}
                      disabled={action.busy}
                    >
                      {k['Status'] === 'Active' ? 'Deactivate' : 'Activate'}
                    </button>
                  </Gate>
                  <Gate action="iam:DeleteAccessKey" resource={arn} inline>
                    <ConfirmButton label="Delete" name={`Delete access key ${k['AccessKeyId']}`} question={`Delete access key ${k['AccessKeyId']}?`} onConfirm={() => void remove(k['AccessKeyId']!)} />
                  </Gate>
                </td>
              </tr>
            ))}
            <EmptyRow show={keys.value?.length === 0} columns={5}>
              No access keys.
            </EmptyRow>
          </tbody>
        </table>
      </div>
      {(keys.value?.length ?? 0) > 0 && (
        <>
          <DeniedHint action="iam:UpdateAccessKey" resource={arn} />
          <DeniedHint action="iam:DeleteAccessKey" resource={arn} />
        </>
      )}
      <Gate action="iam:CreateAccessKey" resource={arn}>
        <button type="button" onClick={() => void create()} disabled={action.busy}>
          Create access key
        </button>
      </Gate>
    </section>
  );
}

/**
 * The signed-in user's own password change, as AWS's console offers it under "Security credentials":
 * the IAM call ChangePassword (authorized and audited like any call), which a user may make when the
 * password policy sets AllowUsersToChangePassword or a policy grants iam:ChangePassword. The server
 * decides; a refusal, or the password policy's (PasswordPolicyViolation, in AWS's words), is shown.
 */
function ChangeOwnPassword({ arn }: { arn: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const action = useAction();
  const change = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      if (next !== confirm) throw new Error('The new passwords do not match.');
      await query('iam', 'ChangePassword', { OldPassword: current, NewPassword: next });
    }, 'Your password was changed. Use the new one next time you sign in.');
    if (ok) {
      setCurrent('');
      setNext('');
      setConfirm('');
    }
  };
  return (
    <section aria-labelledby="own-password-heading" className="card">
      <h3 id="own-password-heading">Change your password</h3>
      <Notice kind="error">{action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      {/* AllowUsersToChangePassword counts as a grant of iam:ChangePassword on one's own user, so the gate answers for either. */}
      <Gate action="iam:ChangePassword" resource={arn}>
      <form onSubmit={(e) => void change(e)} className="inline-form">
        <label>
          Your current password
          <input type="password" name="currentPassword" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          Your new password
          <input type="password" name="newOwnPassword" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} />
        </label>
        <label>
          Confirm your new password
          <input type="password" name="confirmOwnPassword" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Change password
        </button>
      </form>
      </Gate>
    </section>
  );
}

/** AWS's managed policy allowing a user to change their own password (iam:ChangePassword, GetAccountPasswordPolicy). */
const CHANGE_PASSWORD_POLICY = 'arn:aws:iam::aws:policy/IAMUserChangePassword';

function LoginProfile({ userName, arn }: { userName: string; arn: string }) {
  const profile = useAsync(async () => {
    try {
      return (await query('iam', 'GetLoginProfile', { UserName: userName }))['LoginProfile'] as Record<string, string>;
    } catch (e) {
      if (e instanceof AwsApiError && e.code === 'NoSuchEntity') return null;
      throw e;
    }
  }, [userName]);
  const [password, setPassword] = useState('');
  const [reset, setReset] = useState(true);
  const action = useAction();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const op = profile.value ? 'UpdateLoginProfile' : 'CreateLoginProfile';
    const setText = profile.value ? 'Password changed.' : 'Console password set.';
    let set = false;
    const ok = await action.run(async () => {
      await query('iam', op, { UserName: userName, Password: password, PasswordResetRequired: reset });
      set = true;
      if (!reset) return;
      // As AWS's console does: a user made to choose a new password needs iam:ChangePassword to choose it.
      try {
        await query('iam', 'AttachUserPolicy', { UserName: userName, PolicyArn: CHANGE_PASSWORD_POLICY });
      } catch (err) {
        throw new Error(`${setText} IAMUserChangePassword was not attached, so ${userName} may be unable to choose a new password: ${errorText(err)}`);
      }
    }, reset ? `${setText} IAMUserChangePassword is attached, so ${userName} can choose a new one at sign-in.` : setText);
    if (ok || set) {
      setPassword('');
      profile.reload();
    }
  };
  const remove = async () => {
    if (await action.run(() => query('iam', 'DeleteLoginProfile', { UserName: userName }), 'Console access removed.')) profile.reload();
  };
  return (
    <section aria-labelledby="password-heading" className="card">
      <h3 id="password-heading">Console password</h3>
      <Notice kind="error">{profile.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <p>{profile.value ? `Set on ${profile.value['CreateDate']?.slice(0, 10)}${profile.value['PasswordResetRequired'] === 'true' ? '; must be changed at next sign-in' : ''}.` : profile.value === null ? 'No console password: this user cannot sign in.' : ''}</p>
      <Gate action={profile.value ? 'iam:UpdateLoginProfile' : 'iam:CreateLoginProfile'} resource={profile.loading ? undefined : arn}>
      <form onSubmit={create} className="inline-form">
        <label>
          {profile.value ? 'New password' : 'Password'}
          <input type="password" name="consolePassword" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={reset} onChange={(e) => setReset(e.target.checked)} /> Require a new password at next sign-in (attaches IAMUserChangePassword)
        </label>
        <button type="submit" disabled={action.busy}>
          {profile.value ? 'Set new password' : 'Set console password'}
        </button>
      </form>
      </Gate>
      {profile.value && (
        <Gate action="iam:DeleteLoginProfile" resource={arn}>
          <ConfirmButton label="Remove console access" question={`Delete ${userName}'s console password?`} onConfirm={() => void remove()} />
        </Gate>
      )}
    </section>
  );
}

/** A page of ListVirtualMFADevices: how many of the account's other unassigned devices an administrator's view lists. */
const UNASSIGNED_SHOWN = 1000;

/**
 * The unassigned virtual devices a user's page offers to delete ({@link unassignedOffer}): on the
 * caller's own page only the one named after them; for an administrator also, apart, the account's others.
 */
function unassignedDevices(userName: string, self: boolean): Promise<UnassignedOffer> {
  return unassignedOffer(async (marker) => {
    const r = await query('iam', 'ListVirtualMFADevices', { AssignmentStatus: 'Unassigned', MaxItems: UNASSIGNED_SHOWN, ...(marker ? { Marker: marker } : {}) });
    const serials = asList(r['VirtualMFADevices']).map((d) => d['SerialNumber'] ?? '').filter(Boolean);
    return { serials, marker: r['IsTruncated'] === 'true' && typeof r['Marker'] === 'string' ? r['Marker'] : undefined };
  }, userName, self);
}

function MfaDevices({ userName, self, arn }: { userName: string; self: boolean; arn: string }) {
  const devices = useAsync(async () => asList((await query('iam', 'ListMFADevices', { UserName: userName }))['MFADevices']), [userName]);
  // Left by an enrolment whose tab was closed or reloaded: its name stays taken until deleted.
  const unassigned = useAsync(() => unassignedDevices(userName, self), [userName, self]);
  // A suggestions-only list: a user who may not list the account's devices (self-service policies rarely
  // allow it) just sees none, not a refusal that would stay on the page; other failures still show.
  const unassignedError = unassigned.errorCode === 'AccessDenied' ? '' : unassigned.error;
  const [pending, setPending] = useState<{ serial: string; png: string; seed: string }>();
  const [deviceName, setDeviceName] = useState(userName);
  const [code1, setCode1] = useState('');
  const [code2, setCode2] = useState('');
  const [keyName, setKeyName] = useState('security-key');
  const action = useAction();

  const start = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      const device = (await query('iam', 'CreateVirtualMFADevice', { VirtualMFADeviceName: deviceName.trim() }))['VirtualMFADevice'] as Record<string, string>;
      // Created after the user left: the cleanup below has run already and saw no serial, so delete it here.
      if (!mounted.current) {
        void query('iam', 'DeleteVirtualMFADevice', { SerialNumber: device['SerialNumber']! }).catch(() => undefined);
        return;
      }
      // Both are blobs on the wire (base64): the PNG goes into a data: URL as it is, the seed is base32 text.
      setPending({ serial: device['SerialNumber']!, png: device['QRCodePNG']!, seed: atob(device['Base32StringSeed']!) });
    }, 'Scan the QR code, then enter two consecutive codes.');
    // EntityAlreadyExists may be a leftover device of this user's: list it, to delete.
    if (!ok) unassigned.reload();
  };
  const enable = async (e: FormEvent) => {
    e.preventDefault();
    if (!pending) return;
    if (await action.run(() => query('iam', 'EnableMFADevice', { UserName: userName, SerialNumber: pending.serial, AuthenticationCode1: code1, AuthenticationCode2: code2 }), 'MFA device enabled.')) {
      setPending(undefined);
      setCode1('');
      setCode2('');
      devices.reload();
      unassigned.reload();
    }
  };
  // A created device that is not enabled keeps its name taken (EntityAlreadyExists on the next try), and
  // its seed is never shown again: Cancel deletes it, and so does leaving the page mid-enrolment.
  // A Create still in flight when the user leaves is caught by `mounted` in `start`.
  const pendingSerial = useRef<string | undefined>(undefined);
  pendingSerial.current = pending?.serial;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (pendingSerial.current) void query('iam', 'DeleteVirtualMFADevice', { SerialNumber: pendingSerial.current }).catch(() => undefined);
    };
  }, []);
  const cancel = async () => {
    if (!pending) return;
    // NoSuchEntity: the device is gone already. DeleteConflict: it is assigned (an Enable whose answer was
    // lost did succeed). Either way there is nothing left to cancel: drop the enrolment and show the list as it is.
    let outcome = 'Enrolment cancelled.';
    const ok = await action.run(async () => {
      try {
        await query('iam', 'DeleteVirtualMFADevice', { SerialNumber: pending.serial });
      } catch (e) {
        if (!(e instanceof AwsApiError) || (e.code !== 'NoSuchEntity' && e.code !== 'DeleteConflict')) throw e;
        outcome = e.code === 'NoSuchEntity' ? 'Enrolment cancelled: the device was already deleted.' : 'Not cancelled: the device is already enabled.';
        devices.reload();
      }
    }, () => outcome);
    if (ok) {
      setPending(undefined);
      setCode1('');
      setCode2('');
      unassigned.reload();
    }
  };
  const removeUnassigned = async (serial: string) => {
    // NoSuchEntity: gone meanwhile; DeleteConflict: enabled meanwhile. Either way the lists say how it is now.
    await action.run(() => query('iam', 'DeleteVirtualMFADevice', { SerialNumber: serial }), `Deleted ${serial}.`);
    unassigned.reload();
    devices.reload();
  };
  const remove = async (serial: string) => {
    const ok = await action.run(async () => {
      await query('iam', 'DeactivateMFADevice', { UserName: userName, SerialNumber: serial });
      if (serial.includes(':mfa/')) await query('iam', 'DeleteVirtualMFADevice', { SerialNumber: serial });
    }, `Removed ${serial}.`);
    if (ok) devices.reload();
  };
  // Known before any ceremony: an IP address cannot be a WebAuthn relying party.
  const siteProblem = securityKeySiteProblem(window.location);
  const registerKey = async (e: FormEvent) => {
    e.preventDefault();
    const name = keyName.trim();
    await action.run(async () => {
      // Checked before the browser makes a credential the server would then refuse to register.
      if (!SECURITY_KEY_NAME.test(name)) throw new Error('A security key name is 1 to 128 letters, digits or any of + = , . @ _ - (no spaces).');
      const post = async (path: string, body: unknown) => {
        const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-Castellan-CSRF': activeSession()?.csrfToken ?? '', 'X-Castellan-Console': CONSOLE_VERSION }, body: JSON.stringify(body) });
        const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        // The console API answers AWS's code and message as `{error: {code, message}}`.
        const error = json['error'] as { code?: string; message?: string } | undefined;
        if (!res.ok) throw new AwsApiError(error?.code ?? `HTTP${res.status}`, error?.message ?? res.statusText, res.status);
        return json;
      };
      const { options } = (await post('/console-api/webauthn/registration-options', {})) as { options: PublicKeyCredentialCreationOptionsJSON };
      const response = await startRegistration({ optionsJSON: options });
      await post('/console-api/webauthn/register', { deviceName: name, response });
      devices.reload();
    }, 'Security key registered.');
  };

  return (
    <section aria-labelledby="mfa-heading" className="card">
      <h3 id="mfa-heading">MFA devices</h3>
      <Notice kind="error">{devices.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <ul className="plain">
        {(devices.value ?? []).map((d) => (
          <li key={d['SerialNumber']}>
            <code className="serial">{d['SerialNumber']}</code> enabled {d['EnableDate']?.slice(0, 10)}{' '}
            <Gate action="iam:DeactivateMFADevice" resource={arn} inline>
              <ConfirmButton label="Remove" name={`Remove MFA device ${d['SerialNumber']}`} question={`Remove ${d['SerialNumber']}?`} onConfirm={() => void remove(d['SerialNumber']!)} />
            </Gate>
          </li>
        ))}
        {devices.value?.length === 0 && <li>No MFA device.</li>}
      </ul>
      {(devices.value?.length ?? 0) > 0 && <DeniedHint action="iam:DeactivateMFADevice" resource={arn} />}
      <UnassignedDevices
        named={(unassigned.value?.named ?? []).filter((s) => s !== pending?.serial)}
        others={(unassigned.value?.others ?? []).filter((s) => s !== pending?.serial)}
        more={unassigned.value?.more ?? false}
        userName={userName}
        error={unassignedError}
        onDelete={(s) => void removeUnassigned(s)}
        busy={action.busy}
      />
      {!pending ? (
        <Gate action="iam:CreateVirtualMFADevice" resource={iamArn('mfa', '*')} also={[['iam:EnableMFADevice', arn]]}>
        <form onSubmit={start} className="inline-form">
          <label>
            Virtual MFA device name
            <input name="deviceName" required value={deviceName} onChange={(e) => setDeviceName(e.target.value)} />
          </label>
          <button type="submit" disabled={action.busy}>
            Assign virtual MFA device
          </button>
        </form>
        </Gate>
      ) : (
        <form onSubmit={enable} className="mfa-enrol">
          <img src={`data:image/png;base64,${pending.png}`} alt="QR code to scan with an authenticator app" width={200} height={200} />
          <p>
            Or type this secret into the app: <code data-testid="mfa-seed">{pending.seed}</code>
          </p>
          <label>
            First code
            <input name="code1" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required value={code1} onChange={(e) => setCode1(e.target.value)} />
          </label>
          <label>
            Second code (the next one)
            <input name="code2" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required value={code2} onChange={(e) => setCode2(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={action.busy}>
            Enable MFA device
          </button>{' '}
          <button type="button" onClick={() => void cancel()} disabled={action.busy}>
            Cancel
          </button>
        </form>
      )}
      {self && (
        // Registration is authorized as both actions on the user (README "Web console"); the name is disabled with the button.
        <Gate action="iam:CreateVirtualMFADevice" resource={arn} also={[['iam:EnableMFADevice', arn]]}>
          <form className="inline-form" onSubmit={(e) => void registerKey(e)}>
            <label>
              Security key name
              <input name="keyName" required maxLength={128} value={keyName} onChange={(e) => setKeyName(e.target.value)} disabled={siteProblem !== undefined} />
            </label>
            <button type="submit" disabled={action.busy || siteProblem !== undefined} aria-describedby={siteProblem ? 'security-key-site' : undefined}>
              Register a security key
            </button>
          </form>
        </Gate>
      )}
      {self && siteProblem && (
        <p id="security-key-site" className="denied-hint">
          {siteProblem}
        </p>
      )}
    </section>
  );
}


function UnassignedDevices({ named, others, more, userName, error, onDelete, busy }: { named: string[]; others: string[]; more: boolean; userName: string; error: string; onDelete: (serial: string) => void; busy: boolean }) {
  const item = (serial: string) => (
    <li key={serial}>
      <code className="serial">{serial}</code>
      {isUsersVirtualSerial(serial, userName) ? ` (named after ${userName})` : ''}{' '}
      <Gate action="iam:DeleteVirtualMFADevice" resource={serial} inline>
        <ConfirmButton label="Delete" name={`Delete unassigned MFA device ${serial}`} question={`Delete unassigned device ${serial}?`} onConfirm={() => onDelete(serial)} disabled={busy} />
      </Gate>
    </li>
  );
  return (
    <>
      {(error || named.length > 0) && (
        <div role="region" aria-labelledby="unassigned-mfa-heading">
          <h4 id="unassigned-mfa-heading">Unassigned virtual MFA devices</h4>
          <Notice kind="error">{error}</Notice>
          {named.length > 0 && (
            <>
              <p>A virtual device named after {userName}, created but never enabled (an enrolment left unfinished, say by closing the tab). Delete it to use its name again.</p>
              <ul className="plain">{named.map(item)}</ul>
              <DeniedHint action="iam:DeleteVirtualMFADevice" resource={named[0]} />
            </>
          )}
        </div>
      )}
      {others.length > 0 && (
        <div role="region" aria-labelledby="account-unassigned-mfa-heading">
          <h4 id="account-unassigned-mfa-heading">Unassigned devices of this account</h4>
          <p>
            Virtual devices of the account created but never enabled, under other names than {userName}'s: an enrolment of anyone's may have been given any name.
            Delete one to use its name again.
          </p>
          <ul className="plain">{others.map(item)}</ul>
          <DeniedHint action="iam:DeleteVirtualMFADevice" resource={iamArn('mfa', '*')} />
          {more && <p role="status">Showing the first {UNASSIGNED_SHOWN.toLocaleString('en-US')} unassigned devices.</p>}
        </div>
      )}
    </>
  );
}
