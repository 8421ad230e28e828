/**
 * Users, groups and roles: search and page through them, create and delete, and open one to attach
 * and detach managed policies, edit its inline policies (plus each kind's own parts: a user's groups, keys and MFA, a group's
 * members, a role's trust policy). Every refusal shows AWS's code and message.
 */
import { useState, type FormEvent } from 'react';
import { AwsApiError, errorText, query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { BoundaryEditor } from '../components/boundary-editor.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { MissingEntity } from '../components/missing-entity.js';
import { Notice } from '../components/notice.js';
import { usePagedList } from '../components/paged-list.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { TagsEditor } from '../components/tags-editor.js';
import { useAction, useAsync } from '../components/use-async.js';
import { navigate } from '../components/use-hash-route.js';
import type { PageProps } from './pages.js';
import { PRINCIPAL_KINDS, type PrincipalKind, type PrincipalKindName } from './principal-kinds.js';
import { InlinePolicies } from './inline-policies.js';
import { UserCredentials } from './user-credentials.js';
import { Gate } from '../components/permission-gate.js';
import { callerIdentity, iamArn } from '../api/permissions.js';
import { GroupMembers, UserGroups } from './group-membership.js';
import { EmptyRow, LoadMore, SearchNote } from '../components/list-footer.js';
import { firstMatches, SEARCH_SHOW_LIMIT } from '../components/list-search.js';

const DEFAULT_TRUST = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  null,
  2,
);

export function PrincipalsPage({ kind: kindName, route, session }: PageProps & { kind: PrincipalKindName }) {
  const kind = PRINCIPAL_KINDS[kindName];
  const selected = route.split('/')[1];
  // Keyed by name: another entity's page starts afresh (no half-done enrolment or draft carried over).
  if (selected) return <PrincipalDetail key={`${kindName}/${selected}`} kind={kind} kindName={kindName} name={decodeURIComponent(selected)} session={session} />;
  return <PrincipalList kind={kind} kindName={kindName} />;
}

function PrincipalList({ kind, kindName }: { kind: PrincipalKind; kindName: PrincipalKindName }) {
  const [search, setSearch] = useState('');
  const list = usePagedList(kind.list, kind.listKey, {}, { searching: search !== '' });
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [trust, setTrust] = useState(DEFAULT_TRUST);
  const action = useAction();
  const needle = search.toLowerCase();
  const { shown, total } = firstMatches(list.items, (i) => (i[kind.nameKey] ?? '').toLowerCase().includes(needle), search ? SEARCH_SHOW_LIMIT : Infinity);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(
      () => query('iam', kind.create, { [kind.nameKey]: name.trim(), ...(path ? { Path: path } : {}), ...(kindName === 'roles' ? { AssumeRolePolicyDocument: trust } : {}) }),
      `Created ${kind.noun} ${name.trim()}.`,
    );
    if (ok) {
      setName('');
      list.reload();
    }
  };

  return (
    <>
      <section aria-labelledby="create-heading" className="card">
        <h2 id="create-heading">Create {kind.noun}</h2>
        <Gate action={`iam:${kind.create}`} resource={iamArn(kind.arnType, '*')}>
        <form onSubmit={create} className="inline-form">
          <label>
            {kind.noun[0]!.toUpperCase() + kind.noun.slice(1)} name
            <input name="name" required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Path (optional)
            <input name="path" placeholder="/" value={path} onChange={(e) => setPath(e.target.value)} />
          </label>
          {kindName === 'roles' && <PolicyEditor label="Trust policy" kind="trust" value={trust} onChange={setTrust} />}
          <button type="submit" className="primary" disabled={action.busy}>
            Create {kind.noun}
          </button>
        </form>
        </Gate>
        <Notice kind="error">{action.error}</Notice>
        <Notice kind="ok">{action.done}</Notice>
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">All {kind.plural}</h2>
        <label className="search">
          Search {kind.plural}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <Notice kind="error">{list.error}</Notice>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{kind.plural}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Path</th>
                <th scope="col">ARN</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((i) => (
                <tr key={i['Arn']}>
                  <td>
                    <a href={`#/${kindName}/${encodeURIComponent(i[kind.nameKey] ?? '')}`}>{i[kind.nameKey]}</a>
                  </td>
                  <td>{i['Path']}</td>
                  <td className="arn">{i['Arn']}</td>
                  <td>{i['CreateDate']?.slice(0, 19).replace('T', ' ')}</td>
                </tr>
              ))}
              <EmptyRow show={!list.loading && !list.error && shown.length === 0} columns={4}>
                No {kind.plural}.
              </EmptyRow>
            </tbody>
          </table>
        </div>
        <SearchNote searching={search !== ''} shown={shown.length} total={total} capped={list.searchCapped} limit={list.searchLimit} plural={kind.plural} />
        <LoadMore hasMore={list.hasMore} busy={list.loading} onMore={list.more} />
      </section>
    </>
  );
}

type DetailProps = { kind: PrincipalKind; kindName: PrincipalKindName; name: string } & Pick<PageProps, 'session'>;

/**
 * An entity's page once it is known to exist: a name that does not (mistyped, or deleted meanwhile)
 * gets IAM's NoSuchEntity once, not a page of forms each repeating it. A caller who may not read
 * the entity itself still gets the sections, each with its own answer.
 */
function PrincipalDetail(props: DetailProps) {
  const { kind, kindName, name } = props;
  const found = useAsync(async (): Promise<{ missing: string; arn: string }> => {
    try {
      // GetGroup answers the members too (up to 100 by default): one is enough to learn the group exists.
      const r = await query('iam', kind.get, { [kind.nameKey]: name, ...(kindName === 'groups' ? { MaxItems: 1 } : {}) });
      const arn = (r[kind.resultKey] as Record<string, string> | undefined)?.['Arn'];
      return { missing: '', arn: arn ?? iamArn(kind.arnType, name) };
    } catch (e) {
      if (e instanceof AwsApiError && e.code === 'NoSuchEntity') return { missing: errorText(e), arn: '' };
      // Not allowed to read it: the ARN (for what the page asks the user may do) is the signed-in
      // user's own when this is their page, else one without a path.
      const self = await callerIdentity().catch(() => undefined);
      const own = kindName === 'users' && self && /:user\//.test(self.arn) && self.arn.endsWith(`/${name}`);
      return { missing: '', arn: own ? self.arn : iamArn(kind.arnType, name) };
    }
  }, [kind, kindName, name]);
  if (found.loading || !found.value) return <p role="status">Loading…</p>;
  if (!found.value.missing) return <PrincipalSections {...props} arn={found.value.arn} />;
  return <MissingEntity backHref={`#/${kindName}`} backLabel={`All ${kind.plural}`} heading={`${kind.noun[0]!.toUpperCase() + kind.noun.slice(1)} ${name}`} error={found.value.missing} />;
}

function PrincipalSections({ kind, kindName, name, session, arn }: DetailProps & { arn: string }) {
  const attached = useAsync(async () => asList((await query('iam', kind.listAttached, { [kind.nameKey]: name }))['AttachedPolicies']), [kind, name]);
  const localPolicies = useAsync(async () => asList((await query('iam', 'ListPolicies', { Scope: 'Local', MaxItems: 1000 }))['Policies']), []);
  const [policyArn, setPolicyArn] = useState('');
  const action = useAction();

  const attach = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => query('iam', kind.attach, { [kind.nameKey]: name, PolicyArn: policyArn.trim() }), `Attached ${policyArn.trim()}.`)) {
      setPolicyArn('');
      attached.reload();
    }
  };
  const detach = async (arn: string) => {
    if (await action.run(() => query('iam', kind.detach, { [kind.nameKey]: name, PolicyArn: arn }), `Detached ${arn}.`)) attached.reload();
  };
  const remove = async () => {
    if (await action.run(() => query('iam', kind.remove, { [kind.nameKey]: name }), `Deleted ${kind.noun} ${name}.`)) navigate(kindName);
  };

  return (
    <>
      <p>
        <a href={`#/${kindName}`}>← All {kind.plural}</a>
      </p>
      <h2>
        {kind.noun[0]!.toUpperCase() + kind.noun.slice(1)} {name}
      </h2>
      <Notice kind="error">{action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <section aria-labelledby="attached-heading" className="card">
        <h3 id="attached-heading">Attached managed policies</h3>
        <Notice kind="error">{attached.error}</Notice>
        <Gate action={`iam:${kind.detach}`} resource={arn} explain={(attached.value?.length ?? 0) > 0}>
        <ul className="plain">
          {(attached.value ?? []).map((p) => (
            <li key={p['PolicyArn']}>
              <span className="arn">{p['PolicyArn']}</span>{' '}
              <button type="button" onClick={() => void detach(p['PolicyArn']!)} aria-label={`Detach ${p['PolicyName']}`}>
                Detach
              </button>
            </li>
          ))}
          {attached.value?.length === 0 && <li>None.</li>}
        </ul>
        </Gate>
        <Gate action={`iam:${kind.attach}`} resource={arn}>
        <form onSubmit={attach} className="inline-form">
          <label>
            Policy ARN to attach
            <input name="policyArn" list="local-policies" required value={policyArn} onChange={(e) => setPolicyArn(e.target.value)} placeholder="arn:aws:iam::aws:policy/ReadOnlyAccess" />
          </label>
          <datalist id="local-policies">
            {(localPolicies.value ?? []).map((p) => (
              <option key={p['Arn']} value={p['Arn']}>
                {p['PolicyName']}
              </option>
            ))}
          </datalist>
          <button type="submit" disabled={action.busy}>
            Attach policy
          </button>
        </form>
        </Gate>
      </section>
      <InlinePolicies entity={kindName === 'users' ? 'User' : kindName === 'groups' ? 'Group' : 'Role'} name={name} arn={arn} />
      {kindName === 'users' && <UserGroups userName={name} />}
      {kindName === 'users' && <UserCredentials userName={name} session={session} arn={arn} />}
      {kindName === 'groups' && <GroupMembers groupName={name} groupArn={arn} />}
      {kindName === 'roles' && <RoleTrust roleName={name} arn={arn} />}
      {kindName !== 'groups' && <BoundaryEditor entity={kindName === 'users' ? 'User' : 'Role'} name={name} arn={arn} />}
      {kindName !== 'groups' && <TagsEditor entity={kindName === 'users' ? 'User' : 'Role'} nameKey={kind.nameKey} name={name} arn={arn} />}
      <section aria-labelledby="danger-heading" className="card">
        <h3 id="danger-heading">Delete</h3>
        <Gate action={`iam:${kind.remove}`} resource={arn}>
          <ConfirmButton label={`Delete ${kind.noun}`} question={`Delete ${kind.noun} ${name}?`} onConfirm={() => void remove()} disabled={action.busy} />
        </Gate>
      </section>
    </>
  );
}

function RoleTrust({ roleName, arn }: { roleName: string; arn: string }) {
  const role = useAsync(async () => (await query('iam', 'GetRole', { RoleName: roleName }))['Role'] as Record<string, string> | undefined, [roleName]);
  const [draft, setDraft] = useState<string>();
  const action = useAction();
  const doc = role.value?.['AssumeRolePolicyDocument'];
  const stored = doc ? JSON.stringify(JSON.parse(decodeURIComponent(doc)), null, 2) : '';
  const text = draft ?? stored;
  const save = async () => {
    // The draft stays on screen until the saved document is read back (not the old one meanwhile), and
    // stays if that read fails.
    if (await action.run(() => query('iam', 'UpdateAssumeRolePolicy', { RoleName: roleName, PolicyDocument: text }), 'Trust policy saved.')) {
      if (await role.reloaded()) setDraft(undefined);
    }
  };
  return (
    <section aria-labelledby="trust-heading" className="card">
      <h3 id="trust-heading">Trust policy</h3>
      <Notice kind="error">{role.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      {stored && (
        <>
          <PolicyEditor label="Who may assume this role" kind="trust" value={text} onChange={setDraft} />
          <Gate action="iam:UpdateAssumeRolePolicy" resource={arn}>
            <button type="button" className="primary" onClick={() => void save()} disabled={action.busy || draft === undefined}>
              Save trust policy
            </button>
          </Gate>
        </>
      )}
    </section>
  );
}
