/**
 * Group membership seen from either side: a user's groups, or a group's members. Both list the other
 * side with links, remove one after a confirmation (RemoveUserFromGroup) and add one by name
 * (AddUserToGroup), suggesting the account's groups or users not listed yet.
 */
import { useState, type FormEvent } from 'react';
import { query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { Gate } from '../components/permission-gate.js';
import { iamArn } from '../api/permissions.js';
import { Notice } from '../components/notice.js';
import { useAction, useAsync } from '../components/use-async.js';

/** What differs between the two sides; `owner` is the page's user or group. */
interface Side {
  title: string;
  headingId: string;
  /** The page the listed names open. */
  opens: 'users' | 'groups';
  /** The names listed, and whether IAM had more than it answered. */
  load(owner: string): Promise<{ names: string[]; truncated: boolean }>;
  /** Names to suggest (suggestions only: a caller who may not list them still types a name). */
  candidates(): Promise<string[]>;
  /** The membership of `owner` and a listed or typed name. */
  pair(owner: string, other: string): { UserName: string; GroupName: string };
  empty: string;
  truncatedNote: string;
  inputLabel: string;
  inputName: string;
  listId: string;
  submit: string;
}

const USERS_GROUPS: Side = {
  title: 'Groups',
  headingId: 'groups-heading',
  opens: 'groups',
  load: async (userName) => ({ names: asList((await query('iam', 'ListGroupsForUser', { UserName: userName }))['Groups']).map((g) => g['GroupName'] ?? ''), truncated: false }),
  candidates: async () => asList((await query('iam', 'ListGroups', { MaxItems: 1000 }))['Groups']).map((g) => g['GroupName'] ?? ''),
  pair: (userName, groupName) => ({ UserName: userName, GroupName: groupName }),
  empty: 'In no group.',
  truncatedNote: '',
  inputLabel: 'Add to group',
  inputName: 'groupName',
  listId: 'user-group-candidates',
  submit: 'Add to group',
};

const GROUPS_MEMBERS: Side = {
  title: 'Members',
  headingId: 'members-heading',
  opens: 'users',
  load: async (groupName) => {
    const r = await query('iam', 'GetGroup', { GroupName: groupName, MaxItems: 1000 });
    return { names: asList(r['Users']).map((u) => u['UserName'] ?? ''), truncated: r['IsTruncated'] === 'true' };
  },
  candidates: async () => asList((await query('iam', 'ListUsers', { MaxItems: 1000 }))['Users']).map((u) => u['UserName'] ?? ''),
  pair: (groupName, userName) => ({ UserName: userName, GroupName: groupName }),
  empty: 'No members.',
  truncatedNote: 'Showing the first 1,000 members.',
  inputLabel: 'User to add',
  inputName: 'memberName',
  listId: 'group-member-candidates',
  submit: 'Add user to group',
};

// On a user's page the groups are many (and their paths unknown): what the user may do is asked for
// any group, the best case, so only a denial for every group disables.
export const UserGroups = ({ userName }: { userName: string }) => <Membership side={USERS_GROUPS} owner={userName} groupArn={iamArn('group', '*')} />;
export const GroupMembers = ({ groupName, groupArn }: { groupName: string; groupArn: string }) => <Membership side={GROUPS_MEMBERS} owner={groupName} groupArn={groupArn} />;

function Membership({ side, owner, groupArn }: { side: Side; owner: string; groupArn: string }) {
  const listed = useAsync(() => side.load(owner), [side, owner]);
  const candidates = useAsync(() => side.candidates(), [side]);
  const [name, setName] = useState('');
  const action = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const pair = side.pair(owner, name.trim());
    if (await action.run(() => query('iam', 'AddUserToGroup', pair), `Added ${pair.UserName} to ${pair.GroupName}.`)) {
      setName('');
      listed.reload();
    }
  };
  const remove = async (other: string) => {
    const pair = side.pair(owner, other);
    if (await action.run(() => query('iam', 'RemoveUserFromGroup', pair), `Removed ${pair.UserName} from ${pair.GroupName}.`)) listed.reload();
  };
  const names = listed.value?.names ?? [];
  return (
    <section aria-labelledby={side.headingId} className="card">
      <h3 id={side.headingId}>{side.title}</h3>
      <Notice kind="error">{listed.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <Gate action="iam:RemoveUserFromGroup" resource={groupArn} explain={names.length > 0}>
      <ul className="plain">
        {names.map((other) => {
          const { UserName, GroupName } = side.pair(owner, other);
          return (
            <li key={other}>
              <a href={`#/${side.opens}/${encodeURIComponent(other)}`}>{other}</a>{' '}
              <ConfirmButton label="Remove" name={`Remove ${UserName} from ${GroupName}`} question={`Remove ${UserName} from ${GroupName}?`} onConfirm={() => void remove(other)} disabled={action.busy} />
            </li>
          );
        })}
        {listed.value?.names.length === 0 && <li>{side.empty}</li>}
      </ul>
      </Gate>
      {listed.value?.truncated && <p role="status">{side.truncatedNote}</p>}
      <Gate action="iam:AddUserToGroup" resource={groupArn}>
      <form onSubmit={add} className="inline-form">
        <label>
          {side.inputLabel}
          <input name={side.inputName} list={side.listId} required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <datalist id={side.listId}>
          {(candidates.value ?? [])
            .filter((c) => !names.includes(c))
            .map((c) => (
              <option key={c} value={c} />
            ))}
        </datalist>
        <button type="submit" disabled={action.busy}>
          {side.submit}
        </button>
      </form>
      </Gate>
    </section>
  );
}
