/**
 * The credential report (GenerateCredentialReport, GetCredentialReport): a sortable table with
 * credentials to look at highlighted (credential-age.ts), and the CSV as AWS serves it;
 * and last-accessed data for a principal (GenerateServiceLastAccessedDetails and its Get call).
 */
import { useState, type FormEvent } from 'react';
import { errorText, query } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { download } from '../components/download.js';
import { Notice } from '../components/notice.js';
import type { PageProps } from './pages.js';
import { needsLook, STALE_DAYS } from './credential-age.js';

const SHOWN = [
  'user',
  'arn',
  'password_enabled',
  'password_last_used',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
];

/** CSV as AWS's report writes it: no quoted commas in any field but arn-free values; still, quotes are honoured. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field.replace(/\r$/, '')), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

/** A report time to the minute (`2026-12-07 15:04`), in UTC as written; the CSV keeps the seconds and the offset. */
const shortTime = (value: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? value.slice(0, 16).replace('T', ' ') : value);

export function CredentialsPage(_: PageProps) {
  const [csv, setCsv] = useState('');
  const [generated, setGenerated] = useState('');
  const [sortBy, setSortBy] = useState('user');
  const [ascending, setAscending] = useState(true);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setBusy(true);
    setError('');
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        const g = await query('iam', 'GenerateCredentialReport');
        if (g['State'] === 'COMPLETE') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const r = await query('iam', 'GetCredentialReport');
      setCsv(new TextDecoder().decode(Uint8Array.from(atob(String(r['Content'])), (c) => c.charCodeAt(0))));
      setGenerated(String(r['GeneratedTime'] ?? ''));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const [header = [], ...body] = csv ? parseCsv(csv) : [];
  const now = Date.now();
  const rows = body
    .filter((r) => r.length === header.length)
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
    .sort((a, b) => (ascending ? 1 : -1) * (a[sortBy] ?? '').localeCompare(b[sortBy] ?? ''));
  const columns = SHOWN.filter((c) => header.includes(c));
  const staleCell = (row: Record<string, string>, column: string) => needsLook(row, column, now);

  return (
    <>
      <section className="card" aria-labelledby="report-heading">
        <h2 id="report-heading">Credential report</h2>
        <div className="inline-form">
          <button type="button" className="primary" onClick={() => void load()} disabled={busy}>
            {csv ? 'Refresh report' : 'Generate report'}
          </button>
          <button type="button" onClick={() => download('credential-report.csv', 'text/csv', csv)} disabled={!csv}>
            Download CSV
          </button>
        </div>
        <Notice kind="error">{error}</Notice>
        {generated && (
          <p>
            Generated {generated}. Highlighted: a password or access key that is on but unused for {STALE_DAYS} days or never used, and an active access key
            created or rotated more than {STALE_DAYS} days ago.
          </p>
        )}
        {csv && (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Credential report</caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c} scope="col" aria-sort={sortBy === c ? (ascending ? 'ascending' : 'descending') : 'none'}>
                      <button
                        type="button"
                        className="link"
                        onClick={() => {
                          setAscending(sortBy === c ? !ascending : true);
                          setSortBy(c);
                        }}
                      >
                        {c.replaceAll('_', ' ')}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r['arn']}>
                    {columns.map((c) => (
                      <td key={c} className={staleCell(r, c) ? 'stale' : c === 'arn' ? 'arn' : undefined}>
                        {shortTime(r[c] ?? '')}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <LastAccessed />
    </>
  );
}

function LastAccessed() {
  const [arn, setArn] = useState('');
  const [services, setServices] = useState<Array<Record<string, string>>>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const job = String((await query('iam', 'GenerateServiceLastAccessedDetails', { Arn: arn.trim() }))['JobId']);
      for (let attempt = 0; attempt < 20; attempt++) {
        const r = await query('iam', 'GetServiceLastAccessedDetails', { JobId: job });
        if (r['JobStatus'] === 'COMPLETED') {
          setServices(asList(r['ServicesLastAccessed']));
          return;
        }
        if (r['JobStatus'] === 'FAILED') throw new Error('The last-accessed job failed.');
        await new Promise((res) => setTimeout(res, 500));
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="last-heading">
      <h2 id="last-heading">Last accessed</h2>
      <form onSubmit={run} className="inline-form">
        <label>
          User, group, role or policy ARN
          <input className="wide" required value={arn} onChange={(e) => setArn(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Show last accessed
        </button>
      </form>
      <Notice kind="error">{error}</Notice>
      {services && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Last authenticated</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr key={s['ServiceNamespace']} className={s['LastAuthenticated'] ? undefined : 'stale'}>
                  <td>{s['ServiceName']}</td>
                  <td>{s['LastAuthenticated'] ?? 'Not accessed in the tracking period'}</td>
                  <td className="arn">{s['LastAuthenticatedEntity'] ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
