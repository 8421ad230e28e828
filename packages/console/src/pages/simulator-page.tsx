/**
 * The policy simulator, in two modes: a principal's own policies (SimulatePrincipalPolicy, optionally
 * with a pasted policy added), or only policies pasted here (SimulateCustomPolicy: identity policies,
 * a permissions boundary, a resource policy with its caller). Actions, resources and context keys
 * either way; allowed / denied for each pair, and the statements that decided it highlighted in their
 * policy's text (positions are AWS's StartPosition/EndPosition). And "Who can do this?": one action
 * and resource simulated for every user and role (who-can-section.tsx).
 */
import { useState, type FormEvent } from 'react';
import { errorText, query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { Notice } from '../components/notice.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { useAsync } from '../components/use-async.js';
import type { PageProps } from './pages.js';
import { WhoCanSection } from './who-can-section.js';
import { userOrRoleOfArn } from './principal-kinds.js';

interface Matched {
  SourcePolicyId?: string;
  SourcePolicyType?: string;
  StartPosition?: { Line?: string };
  EndPosition?: { Line?: string };
}
interface EvalResult {
  EvalActionName?: string;
  EvalResourceName?: string;
  EvalDecision?: string;
  MatchedStatements?: unknown;
  MissingContextValues?: unknown;
  ResourceSpecificResults?: unknown;
}
interface ContextRow {
  name: string;
  type: string;
  values: string;
}
/** A deciding policy's text, as stored (the positions count lines in it). */
interface DecidingPolicy {
  id: string;
  type: string;
  text: string;
  ranges: Array<{ from: number; to: number }>;
}

const splitList = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

type Mode = 'principal' | 'custom';

/** What a simulation ran with, so its deciding statements are shown in the text that was simulated. */
interface Ran {
  mode: Mode;
  principal: string;
  /** Pasted texts by the SourcePolicyId the simulator gives them (`PolicyInputList.1`, `ResourcePolicy`…). */
  pasted: Map<string, string>;
}

const EMPTY_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }, null, 2);

export function SimulatorPage(_: PageProps) {
  const principals = useAsync(async () => {
    const [users, roles] = await Promise.all([query('iam', 'ListUsers', { MaxItems: 1000 }), query('iam', 'ListRoles', { MaxItems: 1000 })]);
    return [...asList(users['Users']), ...asList(roles['Roles'])].map((p) => p['Arn']!);
  }, []);
  const [mode, setMode] = useState<Mode>('principal');
  const [principal, setPrincipal] = useState('');
  const [pastedPolicies, setPastedPolicies] = useState<string[]>([EMPTY_POLICY]);
  const [boundary, setBoundary] = useState('');
  const [resourcePolicy, setResourcePolicy] = useState('');
  const [callerArn, setCallerArn] = useState('');
  const [ran, setRan] = useState<Ran>();
  const [actions, setActions] = useState('iam:ListUsers, iam:DeleteUser');
  const [resources, setResources] = useState('*');
  const [context, setContext] = useState<ContextRow[]>([]);
  const [extra, setExtra] = useState('');
  const [results, setResults] = useState<EvalResult[]>();
  const [selected, setSelected] = useState<number>();
  const [deciding, setDeciding] = useState<DecidingPolicy[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const simulate = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setSelected(undefined);
    setDeciding([]);
    try {
      const common = {
        ActionNames: splitList(actions),
        ResourceArns: splitList(resources),
        ContextEntries: context.filter((c) => c.name).map((c) => ({ ContextKeyName: c.name, ContextKeyType: c.type, ContextKeyValues: splitList(c.values) })),
      };
      const pasted = new Map<string, string>();
      let r;
      if (mode === 'principal') {
        if (extra.trim()) pasted.set('PolicyInputList.1', extra);
        r = await query('iam', 'SimulatePrincipalPolicy', { PolicySourceArn: principal.trim(), ...common, ...(extra.trim() ? { PolicyInputList: [extra] } : {}) });
      } else {
        const identity = pastedPolicies.filter((p) => p.trim());
        identity.forEach((p, i) => pasted.set(`PolicyInputList.${i + 1}`, p));
        if (boundary.trim()) pasted.set('PermissionsBoundaryPolicyInputList.1', boundary);
        if (resourcePolicy.trim()) pasted.set('ResourcePolicy', resourcePolicy);
        r = await query('iam', 'SimulateCustomPolicy', {
          PolicyInputList: identity,
          ...common,
          ...(boundary.trim() ? { PermissionsBoundaryPolicyInputList: [boundary] } : {}),
          ...(resourcePolicy.trim() ? { ResourcePolicy: resourcePolicy } : {}),
          ...(callerArn.trim() ? { CallerArn: callerArn.trim() } : {}),
        });
      }
      setRan({ mode, principal: principal.trim(), pasted });
      setResults(asList<EvalResult>(r['EvaluationResults']));
    } catch (err) {
      setResults(undefined);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const explain = async (index: number) => {
    setSelected(index);
    const matched = asList<Matched>(results?.[index]?.MatchedStatements);
    try {
      const byPolicy = new Map<string, DecidingPolicy>();
      for (const m of matched) {
        const key = `${m.SourcePolicyType}:${m.SourcePolicyId}`;
        let entry = byPolicy.get(key);
        if (!entry) {
          const pastedText = ran?.pasted.get(m.SourcePolicyId ?? '');
          const text = pastedText ?? (ran?.mode === 'principal' ? await policyText(ran.principal, m) : '');
          entry = { id: m.SourcePolicyId ?? '', type: m.SourcePolicyType ?? '', text, ranges: [] };
          byPolicy.set(key, entry);
        }
        const from = Number(m.StartPosition?.Line ?? 0);
        if (from) entry.ranges.push({ from, to: Number(m.EndPosition?.Line ?? from) });
      }
      setDeciding([...byPolicy.values()]);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <>
      <form onSubmit={simulate} className="card">
        <fieldset>
          <legend>Simulate</legend>
          <label className="check">
            <input type="radio" name="mode" value="principal" checked={mode === 'principal'} onChange={() => setMode('principal')} />
            A principal's policies (SimulatePrincipalPolicy)
          </label>
          <label className="check">
            <input type="radio" name="mode" value="custom" checked={mode === 'custom'} onChange={() => setMode('custom')} />
            Policies pasted here (SimulateCustomPolicy)
          </label>
        </fieldset>
        <div className="inline-form">
          {mode === 'principal' && (
            <>
              <label>
                Principal ARN
                <input name="principal" list="principal-arns" required value={principal} onChange={(e) => setPrincipal(e.target.value)} className="wide" />
              </label>
              <datalist id="principal-arns">
                {(principals.value ?? []).map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </>
          )}
          <label>
            Actions (comma-separated)
            <input name="actions" required value={actions} onChange={(e) => setActions(e.target.value)} className="wide" />
          </label>
          <label>
            Resource ARNs
            <input name="resources" required value={resources} onChange={(e) => setResources(e.target.value)} />
          </label>
        </div>
        <fieldset>
          <legend>Context keys</legend>
          {context.map((c, i) => (
            <div className="inline-form" key={i}>
              <label>
                Key
                <input value={c.name} onChange={(e) => setContext(context.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} placeholder="aws:SourceIp" />
              </label>
              <label>
                Type
                <select value={c.type} onChange={(e) => setContext(context.map((x, j) => (j === i ? { ...x, type: e.target.value } : x)))}>
                  {['string', 'stringList', 'numeric', 'boolean', 'date', 'ip', 'binary'].map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </label>
              <label>
                Values
                <input value={c.values} onChange={(e) => setContext(context.map((x, j) => (j === i ? { ...x, values: e.target.value } : x)))} />
              </label>
              <button type="button" onClick={() => setContext(context.filter((_, j) => j !== i))}>
                Remove key
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setContext([...context, { name: '', type: 'string', values: '' }])}>
            Add context key
          </button>
        </fieldset>
        {mode === 'principal' ? (
          <PolicyEditor label="Extra policy to include (optional)" optional kind="identity" sizeClass="none" value={extra} onChange={setExtra} />
        ) : (
          <>
            {pastedPolicies.map((text, i) => (
              <div key={i}>
                <PolicyEditor label={`Identity policy ${i + 1}`} kind="identity" sizeClass="none" value={text} onChange={(t) => setPastedPolicies(pastedPolicies.map((x, j) => (j === i ? t : x)))} />
                {pastedPolicies.length > 1 && (
                  <button type="button" onClick={() => setPastedPolicies(pastedPolicies.filter((_, j) => j !== i))}>
                    Remove identity policy {i + 1}
                  </button>
                )}
              </div>
            ))}
            <p>
              <button type="button" onClick={() => setPastedPolicies([...pastedPolicies, ''])}>
                Add an identity policy
              </button>
            </p>
            <PolicyEditor label="Permissions boundary (optional)" optional kind="boundary" value={boundary} onChange={setBoundary} />
            <PolicyEditor label="Resource policy (optional)" optional kind="resource" value={resourcePolicy} onChange={setResourcePolicy} />
            <label>
              Caller ARN (an IAM user; needed with a resource policy)
              <input name="callerArn" value={callerArn} onChange={(e) => setCallerArn(e.target.value)} className="wide" />
            </label>
          </>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Run simulation
        </button>
      </form>
      <Notice kind="error">{error}</Notice>
      {results && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r, i) => (
                  <tr key={i} className={selected === i ? 'selected' : undefined}>
                    <td>{r.EvalActionName}</td>
                    <td className="arn">{r.EvalResourceName}</td>
                    <td className={r.EvalDecision === 'allowed' ? 'result-allowed' : 'result-denied'}>
                      {r.EvalDecision}
                      {missingContextValues(r).length > 0 ? `, depends on: ${missingContextValues(r).join(', ')} (not given: add under Context keys)` : ''}
                    </td>
                    <td>
                      {asList(r.MatchedStatements).length > 0 ? (
                        <button type="button" onClick={() => void explain(i)} aria-label={`Show the deciding statements for ${r.EvalActionName}`}>
                          Show deciding statements
                        </button>
                      ) : (
                        'No statement matched'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {deciding.map((d) => (
        <section key={`${d.type}:${d.id}`} className="card" aria-label={`Deciding policy ${d.id}`}>
          <h3>
            {d.id} ({d.type}) — lines {d.ranges.map((r) => (r.from === r.to ? r.from : `${r.from}–${r.to}`)).join(', ')}
          </h3>
          <PolicyEditor label={`Text of ${d.id}`} kind="identity" value={d.text} readOnly highlight={d.ranges} />
        </section>
      ))}
      <WhoCanSection principals={principals.value} principalsError={principals.error} />
    </>
  );
}

/**
 * The condition keys the decision depends on that the simulation was not given: the result's
 * MissingContextValues and, as AWS reports them for a named resource, those of its ResourceSpecificResults.
 */
function missingContextValues(r: EvalResult): string[] {
  const specific = asList<{ MissingContextValues?: unknown }>(r.ResourceSpecificResults).flatMap((x) => asList<string>(x.MissingContextValues));
  return [...new Set([...asList<string>(r.MissingContextValues), ...specific])];
}

/** The stored text of the policy a matched statement came from: the positions count its lines. */
async function policyText(principalArn: string, m: Matched): Promise<string> {
  const id = m.SourcePolicyId ?? '';
  const { kind, name } = userOrRoleOfArn(principalArn) ?? {};
  const decode = (s: unknown) => decodeURIComponent(String(s ?? ''));
  if (m.SourcePolicyType === 'user' && kind === 'user') return decode((await query('iam', 'GetUserPolicy', { UserName: name, PolicyName: id }))['PolicyDocument']);
  if (m.SourcePolicyType === 'role' && kind === 'role') return decode((await query('iam', 'GetRolePolicy', { RoleName: name, PolicyName: id }))['PolicyDocument']);
  const groups = kind === 'user' ? asList((await query('iam', 'ListGroupsForUser', { UserName: name }))['Groups']).map((g) => g['GroupName']!) : [];
  if (m.SourcePolicyType === 'group') {
    for (const g of groups) {
      const names = asList<string>((await query('iam', 'ListGroupPolicies', { GroupName: g }))['PolicyNames']);
      if (names.includes(id)) return decode((await query('iam', 'GetGroupPolicy', { GroupName: g, PolicyName: id }))['PolicyDocument']);
    }
  }
  // A managed policy: find its ARN among those attached to the principal and its groups.
  const attachedLists = await Promise.all([
    query('iam', kind === 'role' ? 'ListAttachedRolePolicies' : 'ListAttachedUserPolicies', kind === 'role' ? { RoleName: name } : { UserName: name }),
    ...groups.map((g) => query('iam', 'ListAttachedGroupPolicies', { GroupName: g })),
  ]);
  const arn = attachedLists.flatMap((l) => asList(l['AttachedPolicies'])).find((p) => p['PolicyName'] === id)?.['PolicyArn'];
  if (!arn) return '';
  const policy = (await query('iam', 'GetPolicy', { PolicyArn: arn }))['Policy'] as Record<string, string>;
  const version = (await query('iam', 'GetPolicyVersion', { PolicyArn: arn, VersionId: policy['DefaultVersionId'] }))['PolicyVersion'] as Record<string, string>;
  return decode(version['Document']);
}
