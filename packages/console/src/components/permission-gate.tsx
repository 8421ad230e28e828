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

/** An action and the resource it is asked about (undefined while not known: not asked yet). */
export type Check = readonly [action: string, resource: string | undefined];

/**
 * The answers for `checks`, in order (undefined until each comes), asked again when they went stale
 * (their age, the tab shown again, a change from this tab). The answers shown stay until the new
 * ones come, so that a control does not flicker between enabled and disabled while the page asks.
 */
export function usePermissions(checks: readonly Check[]): Array<Permission | undefined> {
  const [answers, setAnswers] = useState<{ key: string; list: Array<Permission | undefined> }>();
  const [version, setVersion] = useState(0);
  useEffect(() => whenPermissionsChange(() => setVersion((v) => v + 1)), []);
  const key = JSON.stringify(checks);
  useEffect(() => {
    let live = true;
    const asked = checks.map(([action, resource]) => (resource === undefined ? Promise.resolve(undefined) : permission(action, resource)));
    void Promise.all(asked).then((list) => live && setAnswers({ key, list }));
    return () => {
      live = false;
    };
    // `key` stands for `checks`, which callers build afresh on every render.
  }, [key, version]);
  // Answers to other checks (the resource just became known) are not these checks' answers.
  return answers?.key === key ? answers.list : checks.map(() => undefined);
}

/** The answer for `action` on `resource`; see {@link usePermissions}. */
export function usePermission(action: string, resource: string | undefined): Permission | undefined {
  return usePermissions([[action, resource]])[0];
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
  return p.effect === 'explicitDeny' ? `You may not: ${action}, denied by an explicit deny in ${/^[aeiou]/.test(layer) ? 'an' : 'a'} ${layer}.` : `You may not: ${action}, denied because no ${layer} allows it.`;
}

interface GateProps {
  action: string;
  /** The resource ARN (api/iam-arn.ts `iamArn`), or undefined while it is not known. */
  resource: string | undefined;
  /** Further actions the same controls need (a security key's registration needs two). */
  also?: readonly Check[];
  children: ReactNode;
  /** A button within a row: laid out inline, its reason left to one {@link DeniedHint} for the rows. */
  inline?: boolean;
  /** False to give no reason (a list with nothing in it to act on): the controls are still disabled. */
  explain?: boolean;
}

/**
 * `children` (a form, buttons) disabled when `action` on `resource`, or one of `also`, is denied,
 * followed by why (outside the fieldset, so "Why was this denied?" stays usable). A `resource`
 * still unknown (the entity is loading) leaves them as they are.
 */
export function Gate({ action, resource, also = [], children, inline = false, explain = !inline }: GateProps) {
  const checks: Check[] = [[action, resource], ...also];
  const answers = usePermissions(checks);
  const hintId = useId();
  const denied = checks.flatMap(([a], i) => (answers[i]?.state === 'denied' ? [{ action: a, denied: answers[i] as Denied }] : []));
  const asking = answers.some((a) => a === undefined);
  return (
    <>
      <fieldset
        className={inline ? 'gate gate-inline' : 'gate'}
        disabled={denied.length > 0}
        aria-describedby={denied.length > 0 && explain ? denied.map((_, i) => `${hintId}-${i}`).join(' ') : undefined}
        data-action={action}
        data-permission={denied.length > 0 ? 'denied' : asking ? 'asking' : 'allowed'}
      >
        {children}
      </fieldset>
      {explain && denied.length > 0 && (
        <div>
          {denied.map((d, i) => (
            <Why key={d.action} id={`${hintId}-${i}`} action={d.action} denied={d.denied} />
          ))}
        </div>
      )}
    </>
  );
}

type Denied = Extract<Permission, { state: 'denied' }>;

/** Why `action` on `resource` is denied, when it is: the reason for a list of {@link Gate} `inline` rows. */
export function DeniedHint({ action, resource }: { action: string; resource: string | undefined }) {
  const answer = usePermission(action, resource);
  return answer?.state === 'denied' ? <Why action={action} denied={answer} /> : null;
}

function Why({ id, action, denied }: { id?: string; action: string; denied: Denied }) {
  return (
    <div className="denied-hint">
      <p id={id}>{deniedText(action, denied)}</p>
      {denied.encodedMessage && <DenialExplainer encoded={denied.encodedMessage} />}
    </div>
  );
}
