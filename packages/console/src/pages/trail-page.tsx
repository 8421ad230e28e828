/**
 * The audit trail: CloudTrail LookupEvents with its eight lookup attributes and a time range, a
 * timeline of the page of events (per minute, denials apart), an event's full record, export of the
 * view as CSV or JSON, and "why was this denied?" from an event's `castellan:decision` or from a
 * pasted encoded authorization message (STS DecodeAuthorizationMessage). "Refused calls only" reads
 * the search's pages and keeps the refusals (see refused-events.ts); `#/trail/refused` opens the page
 * with it on, the last hour searched. "Load more" reads on the search as it was run (trail-search.ts).
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { cloudTrail, errorText, query } from '../api/aws-call.js';
import { Notice } from '../components/notice.js';
import { download, toCsv } from '../components/download.js';
import { TimelineChart, type MinuteBucket } from '../components/timeline-chart.js';
import type { PageProps } from './pages.js';
import { LoadMore } from '../components/list-footer.js';
import { DecidingStatements } from '../components/deciding-statements.js';
import { isRefusal, readRefused, REFUSED_SCAN_PAGES } from './refused-events.js';
import { localInput, lookupInput, refusedRouteSearch, TRAIL_ATTRIBUTES as ATTRIBUTES, type TrailAttribute, type TrailSearch } from './trail-search.js';

interface TrailEvent {
  EventId?: string;
  EventName?: string;
  EventTime?: number;
  EventSource?: string;
  Username?: string;
  CloudTrailEvent?: string;
}
interface Decision {
  effect?: string;
  action?: string;
  resource?: string;
  deniedBy?: string;
  decidedBy?: Array<{ policyName?: string; policyId?: string; policyKind?: string; statementIndex?: number; sid?: string }>;
}
interface Record_ {
  eventTime?: string;
  eventName?: string;
  errorCode?: string;
  responseElements?: unknown;
  errorMessage?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  userIdentity?: { arn?: string; userName?: string };
  requestParameters?: unknown;
  additionalEventData?: Record<string, unknown>;
}

const parse = (e: TrailEvent): Record_ => {
  try {
    return JSON.parse(e.CloudTrailEvent ?? '{}') as Record_;
  } catch {
    return {};
  }
};
const isDenied = (r: Record_) => isRefusal(r);
/** The Result column: the error code, or for a console sign-in (recorded without one) its outcome. */
const result = (r: Record_) => r.errorCode ?? (isDenied(r) ? `Failure: ${r.errorMessage ?? ''}` : 'ok');

/** Time ranges a person asks about most ("what changed yesterday?"), as From/To field values in local time. */
const RANGES: ReadonlyArray<{ label: string; range: () => { from: string; to: string } }> = [
  { label: 'Last hour', range: () => ({ from: localInput(new Date(Date.now() - 60 * 60_000)), to: '' }) },
  { label: 'Last 24 hours', range: () => ({ from: localInput(new Date(Date.now() - 24 * 60 * 60_000)), to: '' }) },
  {
    label: 'Yesterday',
    range: () => {
      const today = new Date();
      today.setHours(0, 0, 0, 0);
      const yesterday = new Date(today);
      yesterday.setDate(today.getDate() - 1);
      return { from: localInput(yesterday), to: localInput(today) };
    },
  },
];

export function TrailPage({ route }: PageProps) {
  const [refusedOnly, setRefusedOnly] = useState(() => route === 'trail/refused');
  const [attribute, setAttribute] = useState<TrailAttribute>('EventName');
  const [value, setValue] = useState('');
  const [start, setStart] = useState(() => localInput(new Date(Date.now() - 60 * 60_000)));
  const [end, setEnd] = useState('');
  const [events, setEvents] = useState<TrailEvent[]>([]);
  const [next, setNext] = useState<string>();
  const [selected, setSelected] = useState<TrailEvent>();
  // An event's record opens below the table: focus moves to it, as the view a click asked for.
  const eventHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (selected) eventHeading.current?.focus();
  }, [selected]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [searched, setSearched] = useState(false);
  const [period, setPeriod] = useState({ from: 0, to: 0 });
  // With "refused calls only": how many events the search has read so far (all of them kept or not).
  const [read, setRead] = useState(0);
  // The search the list shows, as it was run: its next pages are read with it, whatever the form holds now.
  const [shown, setShown] = useState<TrailSearch>();
  const filtered = shown?.only ?? false;

  const lookup = async (search: TrailSearch, token?: string) => {
    setBusy(true);
    setError('');
    try {
      const page = (from: string | undefined) => cloudTrail<{ Events?: TrailEvent[]; NextToken?: string }>('LookupEvents', lookupInput(search, from));
      const r = search.only
        ? await readRefused(page, (e) => isRefusal(parse(e)), { token }).then((x) => ({ Events: x.events, NextToken: x.nextToken, read: x.read }))
        : { ...(await page(token)), read: 0 };
      setEvents((old) => (token ? [...old, ...(r.Events ?? [])] : (r.Events ?? [])));
      setNext(r.NextToken);
      setRead((old) => (token ? old + r.read : r.read));
      setShown(search);
      setSearched(true);
      if (!token) {
        setSelected(undefined);
        const to = search.end ? new Date(search.end).getTime() : Date.now();
        const events = r.Events ?? [];
        const earliest = Math.min(to, ...events.map((e) => (e.EventTime ?? 0) * 1000));
        setPeriod({ from: search.start ? new Date(search.start).getTime() : earliest, to });
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void lookup({ attribute, value, start, end, only: refusedOnly });
  };
  // Sent here by a refusal elsewhere ("Find it in the audit trail"): the refused calls of the last
  // hour at once, the form set to that search even when the link was followed from this page.
  useEffect(() => {
    if (route !== 'trail/refused') return;
    const search = refusedRouteSearch(new Date());
    setAttribute(search.attribute);
    setValue(search.value);
    setStart(search.start);
    setEnd(search.end);
    setRefusedOnly(true);
    void lookup(search);
  }, [route]);

  const buckets = useMemo<MinuteBucket[]>(() => {
    const map = new Map<number, MinuteBucket>();
    for (const e of events) {
      const minute = Math.floor(((e.EventTime ?? 0) * 1000) / 60_000) * 60_000;
      const b = map.get(minute) ?? { minute, allowed: 0, denied: 0 };
      if (isDenied(parse(e))) b.denied++;
      else b.allowed++;
      map.set(minute, b);
    }
    // Every minute of the period gets a bar (empty ones too), so the timeline's gaps are visible.
    const minutes = [...map.keys()];
    if (minutes.length === 0) return [];
    const first = Math.min(...minutes);
    const last = Math.max(...minutes);
    const out: MinuteBucket[] = [];
    for (let m = first; m <= last && out.length < 1440; m += 60_000) out.push(map.get(m) ?? { minute: m, allowed: 0, denied: 0 });
    return out;
  }, [events]);

  const exportCsv = () => {
    const rows = [['eventTime', 'eventName', 'eventSource', 'userName', 'userArn', 'sourceIPAddress', 'userAgent', 'errorCode', 'eventId']];
    for (const e of events) {
      const r = parse(e);
      rows.push([r.eventTime ?? '', e.EventName ?? '', e.EventSource ?? '', e.Username ?? '', r.userIdentity?.arn ?? '', r.sourceIPAddress ?? '', r.userAgent ?? '', r.errorCode ?? '', e.EventId ?? '']);
    }
    download('castellan-events.csv', 'text/csv', toCsv(rows));
  };
  const exportJson = () => download('castellan-events.json', 'application/json', JSON.stringify({ Records: events.map(parse) }, null, 2));

  const record = selected ? parse(selected) : undefined;
  return (
    <>
      <form onSubmit={submit} className="card" aria-labelledby="lookup-heading">
        <h2 id="lookup-heading">Find events</h2>
        <p className="hint-line">
          Leave the value empty for every event in the time range; ReadOnly with the value false finds the changes. A refused call says AccessDenied (or
          why its authentication failed) under Result: open it to see why it was denied.
        </p>
        <div className="inline-form">
          <label>
            Lookup attribute
            <select value={attribute} onChange={(e) => setAttribute(e.target.value as TrailAttribute)}>
              {ATTRIBUTES.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          <label>
            Value
            <input name="attributeValue" value={value} onChange={(e) => setValue(e.target.value)} />
          </label>
          <label>
            From
            <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
          </label>
          <label>
            To
            <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
          </label>
          <span role="group" aria-label="Time range" className="inline-form">
            {RANGES.map((r) => (
              <button
                key={r.label}
                type="button"
                onClick={() => {
                  const { from, to } = r.range();
                  setStart(from);
                  setEnd(to);
                }}
              >
                {r.label}
              </button>
            ))}
          </span>
          <label className="check">
            <input type="checkbox" checked={refusedOnly} onChange={(e) => setRefusedOnly(e.target.checked)} /> Refused calls only
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Look up events
          </button>
        </div>
      </form>
      <Notice kind="error">{error}</Notice>
      {searched && (
        <section aria-labelledby="events-heading">
          <h2 id="events-heading">
            {events.length} {filtered ? 'refused call' : 'event'}
            {events.length === 1 ? '' : 's'}
          </h2>
          {filtered && (
            <p role="status">
              {read.toLocaleString('en-US')} event{read === 1 ? '' : 's'} read, newest first
              {next ? `: the search goes on (each "Load more" reads up to ${(REFUSED_SCAN_PAGES * 50).toLocaleString('en-US')} more events)` : ', the whole search'}.
            </p>
          )}
          <TimelineChart buckets={buckets} from={period.from} to={period.to} />
          <div className="inline-form">
            <button type="button" onClick={exportCsv} disabled={events.length === 0}>
              Export CSV
            </button>
            <button type="button" onClick={exportJson} disabled={events.length === 0}>
              Export JSON
            </button>
          </div>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{filtered ? 'Refused calls' : 'Events'}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">User</th>
                  <th scope="col">Source</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => {
                  const r = parse(e);
                  return (
                    <tr key={e.EventId} className={isDenied(r) ? 'denied' : undefined}>
                      <td>{r.eventTime?.replace('T', ' ').replace('Z', '')}</td>
                      <td>
                        <button type="button" className="link" onClick={() => setSelected(e)}>
                          {e.EventName}
                        </button>
                      </td>
                      <td>{e.Username}</td>
                      <td>{e.EventSource}</td>
                      <td>{result(r)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {/* The next page is read with the search the list shows, whatever the form says now. */}
          <LoadMore hasMore={Boolean(next) && shown !== undefined} busy={busy} onMore={() => next && shown && void lookup(shown, next)} />
        </section>
      )}
      {record && selected && (
        <section className="card" aria-labelledby="event-heading">
          <h2 id="event-heading" tabIndex={-1} ref={eventHeading}>
            {selected.EventName} at {record.eventTime}
          </h2>
          {isDenied(record) && <DenialExplanation record={record} />}
          <h3>CloudTrail record</h3>
          <pre className="json" tabIndex={0}>
            {JSON.stringify(record, null, 2)}
          </pre>
        </section>
      )}
      <DecodeMessage />
    </>
  );
}

/** The deciding statements of a denied call, from its record's `castellan:decision`. */
function DenialExplanation({ record }: { record: Record_ }) {
  const decision = record.additionalEventData?.['castellan:decision'] as Decision | undefined;
  return (
    <div className="explain" role="region" aria-label="Why was this denied?">
      <h3>Why was this denied?</h3>
      <p>{record.errorMessage}</p>
      {decision ? (
        <dl>
          <dt>Decision</dt>
          <dd>{decision.effect === 'explicitDeny' ? 'Explicitly denied: a Deny statement matched.' : 'Implicitly denied: no statement allowed it.'}</dd>
          <dt>Request</dt>
          <dd>
            <code>{decision.action}</code> on <code>{decision.resource}</code> by <code>{record.userIdentity?.arn}</code>
          </dd>
          {decision.deniedBy && (
            <>
              <dt>Denied by</dt>
              <dd>{decision.deniedBy} policies</dd>
            </>
          )}
          <dt>Deciding statements</dt>
          <dd>
            <DecidingStatements
              statements={(decision.decidedBy ?? []).map((s) => ({ policyId: s.policyId ?? s.policyName ?? '', statement: `Statement[${s.statementIndex}]${s.sid ? ` (Sid ${s.sid})` : ''}`, ...(s.policyKind ? { kind: s.policyKind } : {}) }))}
              none="None: nothing in the identity policies, boundary or session policies allows this action."
            />
          </dd>
        </dl>
      ) : (
        <p>The record carries no decision (the call was refused before authorization).</p>
      )}
    </div>
  );
}

/** STS DecodeAuthorizationMessage for a pasted encoded message. */
function DecodeMessage() {
  const [encoded, setEncoded] = useState('');
  const [decoded, setDecoded] = useState('');
  const [error, setError] = useState('');
  const decode = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const r = await query('sts', 'DecodeAuthorizationMessage', { EncodedMessage: encoded.trim() });
      setDecoded(JSON.stringify(JSON.parse(String(r['DecodedMessage'])), null, 2));
    } catch (err) {
      setDecoded('');
      setError(errorText(err));
    }
  };
  return (
    <section className="card" aria-labelledby="decode-heading">
      <h2 id="decode-heading">Decode an authorization message</h2>
      <form onSubmit={decode}>
        <label>
          Encoded authorization message
          <textarea rows={3} required value={encoded} onChange={(e) => setEncoded(e.target.value)} />
        </label>
        <button type="submit">Decode</button>
      </form>
      <Notice kind="error">{error}</Notice>
      {decoded && (
        <pre className="json" tabIndex={0} aria-label="Decoded message">
          {decoded}
        </pre>
      )}
    </section>
  );
}
