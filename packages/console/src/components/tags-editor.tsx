/** An IAM entity's tags: listed, added (or changed) and removed through its Tag/Untag calls. */
import { Gate } from './permission-gate.js';
import { useState, type FormEvent } from 'react';
import { query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { Notice } from './notice.js';
import { useAction, useAsync } from './use-async.js';

export function TagsEditor({ entity, nameKey, name, arn }: { entity: 'User' | 'Role' | 'Policy'; nameKey: string; name: string; arn: string }) {
  const tags = useAsync(async () => asList((await query('iam', `List${entity}Tags`, { [nameKey]: name }))['Tags']), [entity, nameKey, name]);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const action = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => query('iam', `Tag${entity}`, { [nameKey]: name, Tags: [{ Key: key.trim(), Value: value }] }), `Tagged ${key.trim()}.`)) {
      setKey('');
      setValue('');
      tags.reload();
    }
  };
  const remove = async (k: string) => {
    if (await action.run(() => query('iam', `Untag${entity}`, { [nameKey]: name, TagKeys: [k] }), `Removed tag ${k}.`)) tags.reload();
  };
  return (
    <section aria-labelledby="tags-heading" className="card">
      <h3 id="tags-heading">Tags</h3>
      <Notice kind="error">{tags.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <Gate action={`iam:Untag${entity}`} resource={arn} explain={(tags.value?.length ?? 0) > 0}>
      <ul className="plain">
        {(tags.value ?? []).map((t) => (
          <li key={t['Key']}>
            <code>
              {t['Key']} = {t['Value']}
            </code>
            <button type="button" onClick={() => void remove(t['Key']!)} aria-label={`Remove tag ${t['Key']}`}>
              Remove
            </button>
          </li>
        ))}
        {tags.value?.length === 0 && <li>No tags.</li>}
      </ul>
      </Gate>
      <Gate action={`iam:Tag${entity}`} resource={arn}>
      <form onSubmit={add} className="inline-form">
        <label>
          Tag key
          <input name="tagKey" required value={key} onChange={(e) => setKey(e.target.value)} />
        </label>
        <label>
          Tag value
          <input name="tagValue" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Add tag
        </button>
      </form>
      </Gate>
    </section>
  );
}
