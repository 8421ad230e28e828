/**
 * Managed policies: the account's own (and AWS's, on request), created and edited in the policy
 * editor with the engine's validation as you type; versions with "set as default"; delete.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { DeniedHint, Gate } from '../components/permission-gate.js';
import { iamArn } from '../api/permissions.js';
import { Notice } from '../components/notice.js';
import { usePagedList } from '../components/paged-list.js';
import { LineDiff } from '../components/line-diff.js';
import { MissingEntity } from '../components/missing-entity.js';
import { PolicyEditor, validatePolicy } from '../components/policy-editor.js';
import { PolicySummary } from '../components/policy-summary.js';
import { useAction, useAsync } from '../components/use-async.js';
import { navigate } from '../components/use-hash-route.js';
import type { PageProps } from './pages.js';
import { EmptyRow, LoadMore, SearchNote } from '../components/list-footer.js';
import { firstMatches, SEARCH_SHOW_LIMIT } from '../components/list-search.js';

const STARTER = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadUsers', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }] }, null, 2);

export function PoliciesPage({ route }: PageProps) {
  const selected = route.split('/').slice(1).join('/');
  // Keyed by ARN: another policy's page starts afresh, with nothing of the one opened before.
  return selected ? <PolicyDetail key={selected} arn={decodeURIComponent(selected)} /> : <PolicyList />;
}

function PolicyList() {
  const [scope, setScope] = useState<'Local' | 'AWS'>('Local');
  const [search, setSearch] = useState('');
  const list = usePagedList('ListPolicies', 'Policies', { Scope: scope }, { searching: search !== '' });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [doc, setDoc] = useState(STARTER);
  const action = useAction();
  const hasErrors = validatePolicy(doc, 'identity').some((d) => d.severity === 'error');
  const needle = search.toLowerCase();
  const { shown, total } = firstMatches(list.items, (p) => (p['PolicyName'] ?? '').toLowerCase().includes(needle), search ? SEARCH_SHOW_LIMIT : Infinity);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => query('iam', 'CreatePolicy', { PolicyName: name.trim(), PolicyDocument: doc, ...(description ? { Description: description } : {}) }), `Created policy ${name.trim()}.`)) {
      setName('');
      list.reload();
    }
  };

  return (
    <>
      <section aria-labelledby="create-policy-heading" className="card">
        <h2 id="create-policy-heading">Create policy</h2>
        <Gate action="iam:CreatePolicy" resource={iamArn('policy', '*')}>
        <form onSubmit={create}>
          <div className="inline-form">
            <label>
              Policy name
              <input name="policyName" required value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label>
              Description (optional)
              <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
            </label>
          </div>
          <PolicyEditor label="Policy document" kind="identity" value={doc} onChange={setDoc} />
          <PolicySummary text={doc} kind="identity" />
          <button type="submit" className="primary" disabled={action.busy}>
            Create policy{hasErrors ? ' (the server will refuse it too)' : ''}
          </button>
        </form>
        </Gate>
        <Notice kind="error">{action.error}</Notice>
        <Notice kind="ok">{action.done}</Notice>
      </section>
      <section aria-labelledby="policies-heading">
        <h2 id="policies-heading">Policies</h2>
        <div className="inline-form">
          <label className="search">
            Search policies
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
          <label>
            Owner
            <select value={scope} onChange={(e) => setScope(e.target.value as 'Local' | 'AWS')}>
              <option value="Local">This account</option>
              <option value="AWS">AWS managed</option>
            </select>
          </label>
        </div>
        <Notice kind="error">{list.error}</Notice>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Managed policies</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Attachments</th>
                <th scope="col">Default version</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p['Arn']}>
                  <td>
                    <a href={`#/policies/${encodeURIComponent(p['Arn'] ?? '')}`}>{p['PolicyName']}</a>
                  </td>
                  <td>{p['AttachmentCount']}</td>
                  <td>{p['DefaultVersionId']}</td>
                  <td>{p['UpdateDate']?.slice(0, 19).replace('T', ' ')}</td>
                </tr>
              ))}
              <EmptyRow show={!list.loading && !list.error && shown.length === 0} columns={4}>
                No policies.
              </EmptyRow>
            </tbody>
          </table>
        </div>
        <SearchNote searching={search !== ''} shown={shown.length} total={total} capped={list.searchCapped} limit={list.searchLimit} plural="policies" />
        <LoadMore hasMore={list.hasMore} busy={list.loading} onMore={list.more} />
      </section>
    </>
  );
}

function pretty(encoded: string | undefined): string {
  if (!encoded) return '';
  const text = decodeURIComponent(encoded);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function PolicyDetail({ arn }: { arn: string }) {
  const policy = useAsync(async () => (await query('iam', 'GetPolicy', { PolicyArn: arn }))['Policy'] as Record<string, string>, [arn]);
  const versions = useAsync(async () => asList((await query('iam', 'ListPolicyVersions', { PolicyArn: arn }))['Versions']), [arn]);
  const [viewing, setViewing] = useState<string>();
  const defaultVersion = versions.value?.find((v) => v['IsDefaultVersion'] === 'true')?.['VersionId'];
  const shownVersion = viewing ?? defaultVersion;
  const version = useAsync(async () => (shownVersion ? ((await query('iam', 'GetPolicyVersion', { PolicyArn: arn, VersionId: shownVersion }))['PolicyVersion'] as Record<string, string>) : undefined), [arn, shownVersion]);
  const defaultDoc = useAsync(async () => (defaultVersion ? String(((await query('iam', 'GetPolicyVersion', { PolicyArn: arn, VersionId: defaultVersion }))['PolicyVersion'] as Record<string, string>)['Document']) : undefined), [arn, defaultVersion]);
  const [draft, setDraft] = useState<string>();
  const action = useAction();
  const awsManaged = arn.startsWith('arn:aws:iam::aws:');
  useEffect(() => setDraft(undefined), [shownVersion]);
  const text = draft ?? pretty(version.value?.['Document']);

  const save = async () => {
    if (await action.run(() => query('iam', 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: text, SetAsDefault: true }), 'Saved as a new default version.')) {
      setDraft(undefined);
      setViewing(undefined);
      versions.reload();
      policy.reload();
    }
  };
  const setDefault = async (v: string) => {
    if (await action.run(() => query('iam', 'SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: v }), `${v} is now the default version.`)) versions.reload();
  };
  const removeVersion = async (v: string) => {
    if (await action.run(() => query('iam', 'DeletePolicyVersion', { PolicyArn: arn, VersionId: v }), `Deleted ${v}.`)) {
      setViewing(undefined);
      versions.reload();
    }
  };
  const remove = async () => {
    if (await action.run(() => query('iam', 'DeletePolicy', { PolicyArn: arn }), 'Policy deleted.')) navigate('policies');
  };

  // A policy that does not exist gets IAM's NoSuchEntity, not an editor and buttons for it.
  if (policy.errorCode === 'NoSuchEntity') return <MissingEntity backHref="#/policies" backLabel="All policies" heading={`Policy ${arn}`} error={policy.error} />;
  return (
    <>
      <p>
        <a href="#/policies">← All policies</a>
      </p>
      <h2>Policy {policy.value?.['PolicyName'] ?? arn}</h2>
      <p className="arn">{arn}</p>
      {policy.value?.['Description'] && <p>{policy.value['Description']}</p>}
      <Notice kind="error">{policy.error || versions.error || version.error || action.error}</Notice>
      <Notice kind="ok">{action.done}</Notice>
      <section aria-labelledby="document-heading" className="card">
        <h3 id="document-heading">
          Document {shownVersion}
          {shownVersion === defaultVersion ? ' (default)' : ''}
        </h3>
        {version.value && <PolicyEditor label="Policy document" kind="identity" value={text} onChange={awsManaged ? undefined : setDraft} readOnly={awsManaged} />}
        {version.value && <PolicySummary text={text} kind="identity" />}
        {!awsManaged && (
          <Gate action="iam:CreatePolicyVersion" resource={arn}>
            <button type="button" className="primary" onClick={() => void save()} disabled={action.busy || draft === undefined}>
              Save as new version
            </button>
          </Gate>
        )}
      </section>
      {shownVersion && defaultVersion && shownVersion !== defaultVersion && defaultDoc.value && version.value && (
        <section aria-labelledby="diff-heading" className="card">
          <h3 id="diff-heading">
            Changes from {defaultVersion} (default) to {shownVersion}
          </h3>
          <LineDiff label={`Changes from ${defaultVersion} to ${shownVersion}`} before={pretty(defaultDoc.value)} after={pretty(version.value['Document'])} />
        </section>
      )}
      <section aria-labelledby="versions-heading" className="card">
        <h3 id="versions-heading">Versions</h3>
        <ul className="plain">
          {(versions.value ?? []).map((v) => (
            <li key={v['VersionId']}>
              <button type="button" className="link" onClick={() => setViewing(v['VersionId'])} aria-pressed={v['VersionId'] === shownVersion}>
                {v['VersionId']}
              </button>{' '}
              {v['CreateDate']?.slice(0, 19).replace('T', ' ')} {v['IsDefaultVersion'] === 'true' ? '(default)' : null}
              {v['IsDefaultVersion'] !== 'true' && !awsManaged && (
                <>
                  {' '}
                  <Gate action="iam:SetDefaultPolicyVersion" resource={arn} inline>
                    <button type="button" onClick={() => void setDefault(v['VersionId']!)} aria-label={`Set as default: ${v['VersionId']}`}>
                      Set as default
                    </button>
                  </Gate>{' '}
                  <Gate action="iam:DeletePolicyVersion" resource={arn} inline>
                    <ConfirmButton label="Delete version" name={`Delete version ${v['VersionId']}`} question={`Delete ${v['VersionId']}?`} onConfirm={() => void removeVersion(v['VersionId']!)} />
                  </Gate>
                </>
              )}
            </li>
          ))}
        </ul>
        {!awsManaged && (versions.value?.length ?? 0) > 1 && (
          <>
            <DeniedHint action="iam:SetDefaultPolicyVersion" resource={arn} />
            <DeniedHint action="iam:DeletePolicyVersion" resource={arn} />
          </>
        )}
      </section>
      {!awsManaged && (
        <section aria-labelledby="delete-policy-heading" className="card">
          <h3 id="delete-policy-heading">Delete</h3>
          <Gate action="iam:DeletePolicy" resource={arn}>
            <ConfirmButton label="Delete policy" question="Delete this policy?" onConfirm={() => void remove()} />
          </Gate>
        </section>
      )}
    </>
  );
}
