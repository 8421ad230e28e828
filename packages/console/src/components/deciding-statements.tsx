import { policyRef } from './policy-ref.js';

/** A statement that decided a call: its policy's id (as decisions name it) and the statement within it. */
export interface DecidingStatement {
  policyId: string;
  /** `Statement[1]`, with ` (Sid NoDelete)` when known, or `Sid NoDelete` alone. */
  statement: string;
  /** The policy layer (`identity`, `boundary`, `resource`, `session`, `scp`), when the decision says. */
  kind?: string;
}

/** The deciding statements of a decision, each linked to the console page of its policy where there is one. */
export function DecidingStatements({ statements, none }: { statements: DecidingStatement[]; none: string }) {
  if (statements.length === 0) return <>{none}</>;
  return (
    <ul className="plain">
      {statements.map((s, i) => {
        const ref = policyRef(s.policyId);
        return (
          <li key={i}>
            {s.statement} of {ref.href ? <a href={ref.href}>{ref.label}</a> : <code>{ref.label}</code>}
            {s.kind && s.kind !== 'identity' && s.kind !== 'boundary' ? ` (${s.kind} policy)` : ''}
          </li>
        );
      })}
    </ul>
  );
}
