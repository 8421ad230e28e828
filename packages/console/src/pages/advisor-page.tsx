/**
 * Best practices: Castellan's GetBestPracticesReport (AWS's eleven IAM best practices, checked by
 * @castellan/advisor on the server), the overall score and one bar per practice, and every finding
 * with its fix. A fix that is a plain, safe IAM call ({@link safeFix}) has an Apply button that
 * makes the call through the IAM API (authorized and recorded like any call), then re-runs the report.
 */
import { useState, type ReactNode } from 'react';
import { castellan, query } from '../api/aws-call.js';
import { Notice } from '../components/notice.js';
import { useAction, useAsync } from '../components/use-async.js';
import { safeFix, type AdvisorFinding, type SafeFix } from './advisor-fixes.js';
import type { PageProps } from './pages.js';
import { Gate } from '../components/permission-gate.js';

interface Practice {
  Number: number;
  Title: string;
  Assessed: boolean;
  Score?: number;
  Findings: AdvisorFinding[];
  ChecksRun: string[];
  NotAssessed: Array<{ CheckId: string; Reason: string }>;
}

interface Report {
  AccountId: string;
  GeneratedFor: number;
  Inputs: string[];
  OverallScore?: number;
  Practices: Practice[];
  InputWarnings: string[];
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'] as const;

/** The score as a word too, so the bar's colour is never the only cue. */
function grade(score: number): string {
  return score >= 90 ? 'good' : score >= 60 ? 'fair' : 'poor';
}

function ScoreBars({ practices }: { practices: Practice[] }) {
  return (
    <ol className="score-bars" aria-label="Score per practice">
      {practices.map((p) => (
        <li key={p.Number}>
          <span className="score-label" id={`practice-${p.Number}-label`}>
            {p.Number}. {p.Title}
          </span>
          {p.Score !== undefined ? (
            <>
              <meter className={`score-${grade(p.Score)}`} min={0} max={100} low={60} high={90} optimum={100} value={p.Score} aria-labelledby={`practice-${p.Number}-label`} />
              <span className="score-value">{p.Score}</span>
            </>
          ) : (
            <span className="score-value muted">not assessed</span>
          )}
        </li>
      ))}
    </ol>
  );
}

function FindingCard({ finding, userName, onApplied }: { finding: AdvisorFinding; userName: string; onApplied: () => void }) {
  const fix = safeFix(finding, userName);
  const action = useAction();
  const apply = async () => {
    if (!fix) return;
    const ok = await action.run(async () => {
      for (const call of await fix.calls((a, p) => query('iam', a, p))) await query('iam', call.action, call.params);
    }, `Applied: ${fix.label}.`);
    if (ok) onApplied();
  };
  return (
    <li className={`finding severity-${finding.Severity}`}>
      <h3>
        <span className={`badge badge-${finding.Severity}`}>{finding.Severity}</span> {finding.Title}
      </h3>
      <dl className="finding-facts">
        <dt>Concerns</dt>
        <dd>{finding.Entities.map((e) => `${e.Type} ${e.Name}`).join(', ')}</dd>
        {finding.Details && (
          <>
            <dt>Found</dt>
            <dd>{finding.Details}</dd>
          </>
        )}
        <dt>Why it matters</dt>
        <dd>{finding.Why}</dd>
        {(finding.Cis || finding.Prowler) && (
          <>
            <dt>References</dt>
            <dd>
              {finding.Cis && <>CIS AWS Foundations v3.0.0 {finding.Cis}</>}
              {finding.Cis && finding.Prowler && '; '}
              {finding.Prowler && <>Prowler {finding.Prowler.map((id) => <code key={id}>{id} </code>)}</>}
            </dd>
          </>
        )}
        <dt>Fix</dt>
        <dd>
          {finding.Fix.Description && <p>{finding.Fix.Description}</p>}
          {finding.Fix.Command && (
            <pre className="code">
              <code>{finding.Fix.Command}</code>
            </pre>
          )}
          {finding.Fix.Diff && (
            <pre className="code">
              <code>{finding.Fix.Diff}</code>
            </pre>
          )}
          {fix && (
            <div className="inline-form">
              <Needs needs={fix.needs}>
                <button type="button" className="primary" disabled={action.busy} onClick={() => void apply()}>
                  Apply
                </button>
              </Needs>
              <span>{fix.label}</span>
            </div>
          )}
          <Notice kind="error">{action.error}</Notice>
          <Notice kind="ok">{action.done}</Notice>
        </dd>
      </dl>
    </li>
  );
}

export function AdvisorPage({ session }: PageProps) {
  const report = useAsync(() => castellan<Report>('GetBestPracticesReport', {}), []);
  const [applied, setApplied] = useState('');
  const r = report.value;
  const findings = r?.Practices.flatMap((p) => p.Findings) ?? [];
  return (
    <>
      <section className="card" aria-labelledby="score-heading">
        <h2 id="score-heading">Score</h2>
        <div className="inline-form">
          <button type="button" onClick={() => (setApplied(''), report.reload())} disabled={report.loading}>
            Run the checks again
          </button>
          {report.loading && <span role="status">Checking the account…</span>}
        </div>
        <Notice kind="error">{report.error}</Notice>
        <Notice kind="ok">{applied}</Notice>
        {r && (
          <>
            <p className="overall-score">
              Overall score <strong>{r.OverallScore ?? '—'}</strong> of 100 for account {r.AccountId}, checked {new Date(r.GeneratedFor * 1000).toISOString()}: {findings.length}{' '}
              {findings.length === 1 ? 'finding' : 'findings'}.
            </p>
            <ScoreBars practices={r.Practices} />
            {r.InputWarnings.length > 0 && (
              <ul className="warnings" aria-label="Input warnings">
                {r.InputWarnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      {r?.Practices.filter((p) => p.Findings.length > 0 || p.NotAssessed.length > 0).map((p) => (
        <section key={p.Number} className="card" aria-labelledby={`findings-${p.Number}`}>
          <h2 id={`findings-${p.Number}`}>
            {p.Number}. {p.Title} {p.Score !== undefined ? `— ${p.Score}/100` : '— not assessed'}
          </h2>
          <ul className="findings">
            {[...p.Findings]
              .sort((a, b) => SEVERITY_ORDER.indexOf(a.Severity) - SEVERITY_ORDER.indexOf(b.Severity))
              .map((f, i) => (
                <FindingCard
                  key={`${f.CheckId}-${i}-${f.Details ?? ''}`}
                  finding={f}
                  userName={session.userName}
                  onApplied={() => {
                    setApplied(`Fixed "${f.Title}"; the report was run again.`);
                    report.reload();
                  }}
                />
              ))}
          </ul>
          {p.NotAssessed.length > 0 && (
            <p className="muted">
              Not assessed: {p.NotAssessed.map((n) => `${n.CheckId} (${n.Reason})`).join('; ')}
            </p>
          )}
        </section>
      ))}
    </>
  );
}

/** `children` within a {@link Gate} for all of `needs`: disabled when any is denied. */
function Needs({ needs, children }: { needs: SafeFix['needs']; children: ReactNode }) {
  const [first, ...rest] = needs;
  if (!first) return <>{children}</>;
  return (
    <Gate action={first.action} resource={first.resource} also={rest.map((n) => [n.action, n.resource] as const)}>
      {children}
    </Gate>
  );
}
