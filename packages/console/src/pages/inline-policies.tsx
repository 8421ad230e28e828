/**
 * A user's, group's or role's inline policies: list them (List{User,Group,Role}Policies), open one
 * in the policy editor (Get…Policy; validated as you type, problems at their line), save it or add a
 * new one (Put…Policy) and delete it (Delete…Policy). AWS's refusal is shown as it comes.
 */
import type { PolicySizeClass } from '@castellan/policy';
import { useState, type FormEvent } from 'react';
import { query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { DeniedHint, Gate } from '../components/permission-gate.js';
import { Notice } from '../components/notice.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { useAction, useAsync } from '../components/use-async.js';

export type InlineEntity = 'User' | 'Group' | 'Role';

/** Each entity's inline policy quota (AWS: 2,048 characters for a user, 5,120 for a group, 10,240 for a role). */
const INLINE_SIZE_CLASS: Readonly<Record<InlineEntity, PolicySizeClass>> = { User: 'userInline', Group: 'groupInline', Role: 'roleInline' };

const NEW_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }, null, 2);

/** The stored document (URL-encoded on the wire), pretty-printed when it is JSON so lines are short. */
function readable(encoded: unknown): string {
  const text = decodeURIComponent(String(encoded ?? ''));
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function InlinePolicies({ entity, name, arn }: { entity: InlineEntity; name: string; arn: string }) {
  const nameKey = `${entity}Name`;
  const names = useAsync(async () => {
    const out: string[] = [];
    let marker: string | undefined;
    do {
      const page = await query('iam', `List${entity}Policies`, { [nameKey]: name, MaxItems: 1000, ...(marker ? { Marker: marker } : {}) });
      out.push(...asList<string>(page['PolicyNames']));
      marker = page['IsTruncated'] === 'true' ? String(page['Marker']) : undefined;
    } while (marker);
    return out;
  }, [entity, name]);
  /** The policy open in the editor: its name, text, and whether it is new. */
  const [open, setOpen] = useState<{ policyName: string; text: string; isNew: boolean }>();
  const action = useAction();
  const headingId = `inline-${entity.toLowerCase()}-heading`;

  const edit = async (policyName: string) => {
    await action.run(async () => {
      const r = await query('iam', `Get${entity}Policy`, { [nameKey]: name, PolicyName: policyName });
      setOpen({ policyName, text: readable(r['PolicyDocument']), isNew: false });
    }, '');
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!open) return;
    const policyName = open.policyName.trim();
    if (await action.run(() => query('iam', `Put${entity}Policy`, { [nameKey]: name, PolicyName: policyName, PolicyDocument: open.text }), `Saved inline policy ${policyName}.`)) {
      setOpen(undefined);
      names.reload();
    }
  };
  const remove = async (policyName: string) => {
    if (await action.run(() => query('iam', `Delete${entity}Policy`, { [nameKey]: name, PolicyName: policyName }), `Deleted inline policy ${policyName}.`)) {
      if (open?.policyName === policyName) setOpen(undefined);
      names.reload();
    }
  };

  return (
    <section aria-labelledby={headingId} className="card">
      <h3 id={headingId}>Inline policies</h3>
      <Notice kind="error">{names.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <ul className="plain">
        {(names.value ?? []).map((n) => (
          <li key={n}>
            <code>{n}</code>
            <button type="button" onClick={() => void edit(n)} aria-label={`Edit inline policy ${n}`} disabled={action.busy}>
              Edit
            </button>
            <Gate action={`iam:Delete${entity}Policy`} resource={arn} inline>
              <ConfirmButton label="Delete" name={`Delete inline policy ${n}`} question={`Delete inline policy ${n}?`} onConfirm={() => void remove(n)} disabled={action.busy} />
            </Gate>
          </li>
        ))}
        {names.value?.length === 0 && <li>None.</li>}
      </ul>
      {(names.value?.length ?? 0) > 0 && <DeniedHint action={`iam:Delete${entity}Policy`} resource={arn} />}
      {open ? (
        <form onSubmit={save} aria-label={open.isNew ? 'New inline policy' : `Inline policy ${open.policyName}`}>
          {open.isNew ? (
            <label>
              Inline policy name
              <input name="inlinePolicyName" required value={open.policyName} onChange={(e) => setOpen({ ...open, policyName: e.target.value })} />
            </label>
          ) : (
            <h4>Editing {open.policyName}</h4>
          )}
          <PolicyEditor label="Policy document" kind="identity" sizeClass={INLINE_SIZE_CLASS[entity]} value={open.text} onChange={(text) => setOpen({ ...open, text })} />
          <div className="inline-form">
            <Gate action={`iam:Put${entity}Policy`} resource={arn} inline>
              <button type="submit" className="primary" disabled={action.busy}>
                Save inline policy
              </button>
            </Gate>
            <button type="button" onClick={() => setOpen(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <Gate action={`iam:Put${entity}Policy`} resource={arn}>
          <button type="button" onClick={() => (action.clear(), setOpen({ policyName: '', text: NEW_POLICY, isNew: true }))}>
            Add inline policy
          </button>
        </Gate>
      )}
    </section>
  );
}
