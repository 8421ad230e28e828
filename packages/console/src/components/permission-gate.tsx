/**
 * Edit controls the signed-in user may not use, disabled with the reason: `<Gate>` wraps a form or
 * a group of buttons in a fieldset that the browser disables when the server says the action is
 * denied (api/permissions.ts), and says why, with "Why was this denied?" for the deciding statements.
 * Until the answer comes, and when it depends on the request, the controls stay as they were: the
 * server decides, as it always does.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { permission, whenPermissionsChange, type Permission } from '../api/permissions.js';
import { DenialExplainer } from './denial-explainer.js';

/** The answer for `action` on `resource`, asked again when a change from this tab made answers stale. */
export function usePermission(action: string, resource: string | undefined): Permission | undefined {
  const [answer, setAnswer] = useState<Permission>();
  const [version, setVersion] = useState(0);
  useEffect(() => whenPermissionsChange(() => setVersion((v) => v + 1)), []);
  useEffect(() => {
    if (resource === undefined) return;
    let live = true;
    void permission(action, resource).then((p) => live && setAnswer(p));
    return () => {
      live = false;
    };
  }, [action, resource, version]);
  return resource === undefined ? undefined : answer;
}

/** The policy layers in the words of AWS's AccessDenied messages. */
const LAYER_WORDS: Record<string, string> = {
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  resource: 'resource-based policy',
};

/** Why `action` is denied, in one line: "You may not: iam:CreateUser, denied by …". */
export function deniedText(action: string, p: Extract<Permission, { state: 'denied' }>): string {
  const layer = LAYER_WORDS[p.deniedBy] ?? p.deniedBy;
  return p.effect === 'explicitDeny' ? `You may not: ${action}, denied by an explicit deny in a ${layer}.` : `You may not: ${action}, denied because no ${layer} allows it.`;
}

interface GateProps {
  action: string;
  /** The resource ARN (api/permissions.ts `iamArn`), or undefined while it is not known. */
  resource: string | undefined;
  children: ReactNode;
  /** A button within a row: laid out inline, its reason left to one {@link DeniedHint} for the rows. */
  inline?: boolean;
}

/**
 * `children` (a form, buttons) disabled when `action` on `resource` is denied, followed by why. A
 * `resource` still unknown (the entity is loading) leaves them as they are.
 */
export function Gate({ action, resource, children, inline = false }: GateProps) {
  const answer = usePermission(action, resource);
  const hintId = useId();
  const denied = answer?.state === 'denied' ? answer : undefined;
  return (
    <>
      <fieldset className={inline ? 'gate gate-inline' : 'gate'} disabled={denied !== undefined} aria-describedby={denied && !inline ? hintId : undefined} data-action={action} data-permission={answer?.state ?? 'asking'}>
        {children}
      </fieldset>
      {denied && !inline && <Why id={hintId} action={action} denied={denied} />}
    </>
  );
}

/** Why `action` on `resource` is denied, when it is: the reason for a list of {@link Gate} `inline` rows. */
export function DeniedHint({ action, resource }: { action: string; resource: string | undefined }) {
  const answer = usePermission(action, resource);
  const id = useId();
  return answer?.state === 'denied' ? <Why id={id} action={action} denied={answer} /> : null;
}

function Why({ id, action, denied }: { id: string; action: string; denied: Extract<Permission, { state: 'denied' }> }) {
  return (
    <div className="denied-hint">
      <p id={id}>{deniedText(action, denied)}</p>
      {denied.encodedMessage && <DenialExplainer encoded={denied.encodedMessage} />}
    </div>
  );
}
