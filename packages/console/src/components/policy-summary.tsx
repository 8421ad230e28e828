/**
 * A policy at a glance: for each statement, its effect, which actions on which resources, and under
 * which conditions — read from the same parse the editor validates with.
 */
import { parsePolicy, type PolicyKind, type Statement } from '@castellan/policy';
import { useMemo } from 'react';

const list = (values: readonly string[] | undefined, not: readonly string[] | undefined, all: string) =>
  values ? values.join(', ') : not ? `everything except ${not.join(', ')}` : all;

export function PolicySummary({ text, kind }: { text: string; kind: PolicyKind }) {
  const statements = useMemo<readonly Statement[] | undefined>(() => {
    // What the document does, as the engine reads it: IAM's write-time rules are the editor's to
    // report, and must not hide the summary of an AWS-managed policy (`arn:*:…`, `…:root`).
    const r = parsePolicy(text, { kind, checks: 'evaluation' });
    return r.ok ? r.policy.statements : undefined;
  }, [text, kind]);
  if (!statements) return null;
  // Wider than a phone: the box scrolls sideways, and with nothing focusable inside, only a tab stop of its own lets the keyboard scroll it.
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Policy summary">
      <table>
        <caption>Summary</caption>
        <thead>
          <tr>
            <th scope="col">Statement</th>
            <th scope="col">Effect</th>
            <th scope="col">Actions</th>
            <th scope="col">Resources</th>
            <th scope="col">Conditions</th>
          </tr>
        </thead>
        <tbody>
          {statements.map((s) => (
            <tr key={s.index}>
              <td>{s.sid ?? `Statement[${s.index}]`}</td>
              <td className={s.effect === 'Allow' ? 'result-allowed' : 'result-denied'}>{s.effect}</td>
              <td>{list(s.action, s.notAction, '—')}</td>
              <td className="arn">{list(s.resource, s.notResource, 'the resource it is attached to')}</td>
              <td>{s.conditions.length === 0 ? 'none' : s.conditions.map((c) => `${c.operator} ${c.key} ${c.values.join(' | ')}`).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
