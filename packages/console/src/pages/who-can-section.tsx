/** The simulator's "Who can…?" question over the account's users and roles (see who-can.ts). */
import { useState, type FormEvent } from 'react';
import { errorText, query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { Notice } from '../components/notice.js';
import { userOrRoleOfArn } from './principal-kinds.js';
import { WHO_CAN_LIMIT, whoCan, whoCanScope, type WhoCanAnswer } from './who-can.js';

interface Evaluation {
  EvalDecision?: string;
  MatchedStatements?: unknown;
  MissingContextValues?: unknown;
  ResourceSpecificResults?: unknown;
}

/** A user's or role's console page, from its ARN (`…:user/path/name`). */
function principalHref(arn: string): string | undefined {
  const p = userOrRoleOfArn(arn);
  return p ? `#/${p.kind}s/${encodeURIComponent(p.name)}` : undefined;
}

async function simulate(principal: string, action: string, resource: string) {
  try {
    // Its denials are not kept for "Why was this denied?": hundreds would push out the ones pages show.
    const r = await query('iam', 'SimulatePrincipalPolicy', { PolicySourceArn: principal, ActionNames: [action], ResourceArns: [resource] }, { keepDenial: false });
    const result = asList<Evaluation>(r['EvaluationResults'])[0];
    const why = asList<{ SourcePolicyId?: string; SourcePolicyType?: string }>(result?.MatchedStatements).map((m) => `${m.SourcePolicyId} (${m.SourcePolicyType})`);
    // As in AWS, a named resource's missing context values are in its ResourceSpecificResults.
    const specific = asList<{ MissingContextValues?: unknown }>(result?.ResourceSpecificResults)[0];
    return { decision: result?.EvalDecision ?? 'implicitDeny', why: [...new Set(why)], dependsOn: asList<string>((specific ?? result)?.MissingContextValues) };
  } catch (e) {
    throw new Error(errorText(e));
  }
}

export function WhoCanSection({ principals, principalsError }: { principals: string[] | undefined; principalsError: string }) {
  const [action, setAction] = useState('');
  const [resource, setResource] = useState('*');
  const [asked, setAsked] = useState<{ action: string; resource: string; answers: WhoCanAnswer[] }>();
  const [done, setDone] = useState<number>();
  const run = async (e: FormEvent) => {
    e.preventDefault();
    const question = { action: action.trim(), resource: resource.trim() };
    setAsked(undefined);
    setDone(0);
    const answers = await whoCan(whoCanScope(principals ?? []), (p) => simulate(p, question.action, question.resource), setDone);
    setDone(undefined);
    setAsked({ ...question, answers });
  };
  const scope = whoCanScope(principals ?? []);
  const total = scope.asked.length;
  const allowed = asked?.answers.filter((a) => a.decision === 'allowed') ?? [];
  // Denied only for want of a condition key's value: given it, they may be allowed.
  const depending = asked?.answers.filter((a) => a.decision !== 'allowed' && a.decision !== 'error' && a.dependsOn.length > 0) ?? [];
  const shown = [...allowed, ...depending];
  const failed = asked?.answers.filter((a) => a.decision === 'error') ?? [];
  const cut = [
    scope.users.listed > scope.users.asked ? `the first ${scope.users.asked} of ${scope.users.listed} users` : '',
    scope.roles.listed > scope.roles.asked ? `the first ${scope.roles.asked} of ${scope.roles.listed} roles` : '',
  ].filter(Boolean);
  return (
    <section className="card" aria-labelledby="who-can-heading">
      <h2 id="who-can-heading">Who can do this?</h2>
      <p className="hint-line">
        Simulates each user and role (SimulatePrincipalPolicy: their own, their groups' and boundary policies; resource policies, a role's trust policy among
        them, are not included). Condition keys are not given to the simulator and count as absent: an answer that depends on one says so. At most{' '}
        {WHO_CAN_LIMIT} users and {WHO_CAN_LIMIT} roles are simulated.
      </p>
      <Notice kind="error">{principalsError}</Notice>
      <form onSubmit={run} className="inline-form">
        <label>
          Action to check
          <input name="whoCanAction" required placeholder="iam:DeleteUser" value={action} onChange={(e) => setAction(e.target.value)} />
        </label>
        <label>
          Resource ARN to check
          <input name="whoCanResource" required value={resource} onChange={(e) => setResource(e.target.value)} className="wide" />
        </label>
        <button type="submit" disabled={done !== undefined || !principals}>
          Find who can
        </button>
      </form>
      {done !== undefined && (
        <p role="status">
          Simulated {done} of {total} users and roles…
        </p>
      )}
      {asked && (
        <>
          <p role="status">
            {allowed.length} of {asked.answers.length} users and roles may <code>{asked.action}</code> on <code>{asked.resource}</code>
            {cut.length > 0 ? ` (only ${cut.join(' and ')} were simulated)` : ''}.
            {depending.length > 0 ? ` ${depending.length} more may be, depending on condition keys the simulation was not given.` : ''}
          </p>
          {failed.length > 0 && (
            <p role="alert" className="notice notice-error">
              {failed.length} could not be simulated, for example {failed[0]!.principal}: {failed[0]!.why[0]}
            </p>
          )}
          {shown.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Users and roles allowed, or depending on condition keys</caption>
                <thead>
                  <tr>
                    <th scope="col">User or role</th>
                    <th scope="col">Decision</th>
                    <th scope="col">Allowed by</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((a) => {
                    const href = principalHref(a.principal);
                    return (
                      <tr key={a.principal}>
                        <td className="arn">{href ? <a href={href}>{a.principal}</a> : a.principal}</td>
                        <td>
                          {a.decision}
                          {a.dependsOn.length > 0 ? `, depends on: ${a.dependsOn.join(', ')}` : ''}
                        </td>
                        <td>{a.why.join(', ') || (a.decision === 'allowed' ? 'No statement named' : '')}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
