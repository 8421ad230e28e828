/** A user's or role's permissions boundary: shown, set to a managed policy ARN, or removed. */
import { Gate } from './permission-gate.js';
import { useState, type FormEvent } from 'react';
import { query } from '../api/aws-call.js';
import { Notice } from './notice.js';
import { useAction, useAsync } from './use-async.js';

export function BoundaryEditor({ entity, name, arn: entityArn }: { entity: 'User' | 'Role'; name: string; arn: string }) {
  const nameKey = `${entity}Name`;
  const boundary = useAsync(async () => {
    const r = (await query('iam', `Get${entity}`, { [nameKey]: name }))[entity] as Record<string, unknown> | undefined;
    return (r?.['PermissionsBoundary'] as Record<string, string> | undefined)?.['PermissionsBoundaryArn'] ?? null;
  }, [entity, name]);
  const [arn, setArn] = useState('');
  const action = useAction();
  const set = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => query('iam', `Put${entity}PermissionsBoundary`, { [nameKey]: name, PermissionsBoundary: arn.trim() }), 'Permissions boundary set.')) {
      setArn('');
      boundary.reload();
    }
  };
  const remove = async () => {
    if (await action.run(() => query('iam', `Delete${entity}PermissionsBoundary`, { [nameKey]: name }), 'Permissions boundary removed.')) boundary.reload();
  };
  return (
    <section aria-labelledby="boundary-heading" className="card">
      <h3 id="boundary-heading">Permissions boundary</h3>
      <Notice kind="error">{boundary.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <div>
        {boundary.value ? (
          <>
            <span className="arn">{boundary.value}</span>{' '}
            <Gate action={`iam:Delete${entity}PermissionsBoundary`} resource={entityArn}>
              <button type="button" onClick={() => void remove()}>
                Remove boundary
              </button>
            </Gate>
          </>
        ) : boundary.value === null ? (
          'None: the identity policies alone decide.'
        ) : null}
      </div>
      <Gate action={`iam:Put${entity}PermissionsBoundary`} resource={entityArn}>
      <form onSubmit={set} className="inline-form">
        <label>
          Boundary policy ARN
          <input name="boundaryArn" className="wide" required value={arn} onChange={(e) => setArn(e.target.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Set boundary
        </button>
      </form>
      </Gate>
    </section>
  );
}
