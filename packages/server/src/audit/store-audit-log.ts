/**
 * The `AuditLog` the server runs with: CloudTrail records stored in the hash-chained audit table.
 *
 * - A mutation's event is appended inside the mutation's transaction: both commit or neither.
 * - Read-only, refused and failed calls are batched in memory and appended every `flushIntervalMs`
 *   (default 200 ms) or every `maxBatch` events, and on `close()`, in batches of at most `maxBatch`:
 *   each append holds the SQLite connection or the PostgreSQL chain lock that mutations wait for,
 *   so a backlog is written as several bounded appends, each releasing them before the next. An orderly shutdown (close, then
 *   the store) loses none; a crash loses those not written yet, never a mutation's: the events of
 *   the last interval, and those of the append under way, which takes longer under load (PostgreSQL:
 *   behind every node's mutations for the chain's lock; the timer skips its ticks meanwhile), and
 *   all of a backlog kept while the store is unavailable. `unwrittenAgeMs` says how far back that
 *   reaches now (`/metrics`).
 * - One event can never hold back the others: when a batch fails for any reason but an unavailable
 *   store, its events are written one by one, and an event that fails alone is moved to a quarantine
 *   (counted, reported through `onQuarantine`, kept in memory up to `maxQuarantined`) instead of
 *   going back to the head of the queue. While the store is unavailable the batch stays queued.
 * - After a failed append only the timer retries (one flush per `flushIntervalMs`): full batches
 *   no longer start flushes of their own until an append succeeds, so a down store costs a few
 *   appends and error reports per interval, not one per event recorded.
 * - Drops past `maxPending` are counted and reported to `onDrop` at most once per interval, as one
 *   sum; the failed batch put back in front counts against the bound like any other event.
 * - A retried batch may hold events its failed attempt stored (an append worker that died after its
 *   commit): the store's append is idempotent for an event stored as it is, so those count as
 *   written, not quarantined; a different event reusing a stored id is still refused.
 */
import type { Principal } from '../domain/context.js';
import type { AuditLog } from '../domain/ports/audit-log.js';
import { StoreUnavailableError } from '../store/store-errors.js';
import type { AuditStore, NewAuditEvent } from '../store/store.js';
import type { AuditEventInput } from './audit-event.js';
import { boundAuditEvent } from './bounded-event.js';
import { extractResources, type AuditResource } from './audit-resources.js';
import { buildCloudTrailRecord, isOtherAccountsCopy, serializeRecord } from './cloudtrail-record.js';

/** Settings of a {@link StoreAuditLog}. */
export interface StoreAuditLogOptions<D> {
  /** Where batched events go (outside any request's transaction). */
  store: Pick<AuditStore, 'appendAuditEvents'>;
  /** The transaction-bound store inside the operation dependencies the pipeline passes. */
  transactionStore: (deps: D) => Pick<AuditStore, 'appendAuditEvents'>;
  /** Milliseconds between flushes of batched events. Default is `200`. */
  flushIntervalMs?: number;
  /**
   * Events that trigger a flush at once, and the most one append writes. Default is `1000`: each
   * commit writes the last pages of the audit table and of its seven indexes again (more of them
   * when a batch's events come from many users and keys), so a batch of 1,000 cost the SQLite audit
   * worker about a third less CPU per event than one of 200 (`bench/audit/append-cpu.js`). The
   * worker receives a batch in parts of 200, one per turn of the event loop (`HANDOFF_EVENTS`).
   */
  maxBatch?: number;
  /**
   * Events kept waiting (the store failing or slower than the events come); beyond it the oldest
   * batched events are dropped and reported to `onDrop`. Default is `100_000`.
   */
  maxPending?: number;
  /** Receives flush failures (the events stay queued and are retried). */
  onError?: (err: unknown, info: { pending: number; dropped: number }) => void;
  /**
   * Receives the drops of the oldest batched events (the backlog went past `maxPending`), summed:
   * at most once per `flushIntervalMs`, and on `close()`.
   */
  onDrop?: (info: AuditBacklogDrop) => void;
  /** Receives each event that could not be written on its own and was quarantined. */
  onQuarantine?: (err: unknown, info: QuarantinedEvent & { quarantined: number }) => void;
  /** Quarantined events kept in memory; beyond it the oldest are forgotten (still counted). Default is `1000`. */
  maxQuarantined?: number;
  /** Milliseconds since the epoch, for {@link StoreAuditLog.writeFailure}. Default is `Date.now`. */
  now?: () => number;
}

/** Batched appends failing because the store is unavailable (disk full, read-only, unreachable). */
export interface AuditWriteFailure {
  /** When the first append of this run of failures failed (ms since the epoch). */
  sinceMs: number;
  /** The store's error code of the latest failure (`SQLITE_FULL`, SQLSTATE `53100`…), when it gave one. */
  code?: string;
}

/** Batched events dropped because the backlog went past its bound, since the last report. */
export interface AuditBacklogDrop {
  /** Dropped since the last report (the oldest). */
  dropped: number;
  /** Dropped since start. */
  droppedTotal: number;
  /** Waiting now. */
  pending: number;
  maxPending: number;
  /** Whether a batch was being written at any of these drops (the store is slow, not refusing). */
  writing: boolean;
}

/** An event the store refused on its own, and why. */
export interface QuarantinedEvent {
  eventId: string;
  accountId: string;
  eventName: string;
  eventTime: Date;
  /** The store's error message. */
  error: string;
  /** The row that was refused, for an operator to inspect or replay. */
  event: NewAuditEvent;
}

/** Lookup's `Username` of a caller: the IAM user name, `root`, or the role session name. */
export function lookupUsername(p: Principal | undefined): string | undefined {
  if (!p) return undefined;
  switch (p.type) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return p.userName;
    case 'WebIdentityUser':
    case 'SAMLUser':
      if (p.federation) return p.federation.subject;
      return p.session?.sessionName ?? p.arn.split('/').at(-1);
    case 'AssumedRole':
      return p.session?.sessionName ?? p.arn.split('/').at(-1);
    case 'FederatedUser':
      return p.arn.split('/').at(-1);
    default:
      return p.userName;
  }
}

/**
 * The row to append for one request: its CloudTrail record (secrets removed, caller-controlled
 * fields bounded by `boundAuditEvent`) as exact JSON text, plus the columns LookupEvents filters on.
 */
export function toNewAuditEvent(input: AuditEventInput): NewAuditEvent {
  const event = boundAuditEvent(input);
  const record = buildCloudTrailRecord(event);
  // The owner's copy of a cross-account call is found by the caller's account, not its user name.
  const username = isOtherAccountsCopy(event) ? undefined : lookupUsername(event.caller);
  const accessKeyId = record.userIdentity.accessKeyId;
  // Every row has one shape: the optional columns are undefined when they do not apply.
  return {
    eventId: event.eventId,
    accountId: record.recipientAccountId,
    eventTime: event.eventTime,
    eventSource: record.eventSource,
    eventName: record.eventName,
    readOnly: record.readOnly,
    username,
    accessKeyId: accessKeyId || undefined,
    errorCode: record.errorCode,
    resources: lookupResources(event),
    recordJson: serializeRecord(record),
  };
}

/**
 * What LookupEvents finds an event by. Data events name their resources by ARN (ResourceName finds
 * an object by it); a management call by every resource its parameters and answer name, and those
 * its record's `resources` lists.
 */
function lookupResources(event: AuditEventInput): AuditResource[] {
  const listed = (event.resources ?? []).map((r) => ({ type: r.type, name: r.arn }));
  if (event.resources && event.eventCategory === 'Data') return listed;
  const found = extractResources(event.request, event.error ? undefined : event.response);
  for (const r of listed) if (!found.some((f) => f.type === r.type && f.name === r.name)) found.push(r);
  return found;
}

/**
 * The store-backed audit log.
 *
 * @example
 * ```ts
 * const audit = new StoreAuditLog<Deps>({ store, transactionStore: (deps) => deps.store,
 *   onError: (err, info) => log.error({ err, ...info }, 'audit flush failed') });
 * const pipeline = new RequestPipeline({ ...others, audit });
 * // shutdown: stop accepting requests, then
 * await audit.close();
 * await store.close();
 * ```
 */
export class StoreAuditLog<D = unknown> implements AuditLog<D> {
  private pending: NewAuditEvent[] = [];
  /** The batch the running append is writing (taken out of `pending`). */
  private writing: NewAuditEvent[] | undefined;
  private flushing: Promise<void> | undefined;
  /**
   * A flush for a full batch is waiting (behind one running): later events join it instead of each
   * starting a flush of its own. While a slow batch was written, every event recorded past
   * `maxBatch` added a waiter, and each finished batch woke them all.
   */
  private fullBatchFlushWaiting = false;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private dropped = 0;
  /** Drops not yet reported to `onDrop`, and whether a batch was being written at any of them. */
  private unreportedDrops = 0;
  private droppedWhileWriting = false;
  /** The last append failed: until one succeeds, only the timer (or a caller) flushes, not full batches. */
  private backingOff = false;
  private readonly quarantine: QuarantinedEvent[] = [];
  private quarantinedTotal = 0;
  /** Set by an append failing as unavailable, cleared by the next one that succeeds. */
  private failure: AuditWriteFailure | undefined;

  constructor(private readonly opts: StoreAuditLogOptions<D>) {
    this.timer = setInterval(() => {
      this.reportDrops();
      // A tick during a running append leaves it be: queued behind a hanging store, ticks would pile
      // up and then run back to back; the next tick after it finishes picks up what waits.
      if (!this.flushing) void this.flush().catch(() => undefined);
    }, opts.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  /** Appends a mutation's event in the mutation's transaction; a failure rolls the mutation back. */
  async recordInTransaction(event: AuditEventInput, deps: D): Promise<void> {
    await this.opts.transactionStore(deps).appendAuditEvents([toNewAuditEvent(event)]);
  }

  /** Queues a read-only, refused or failed call's event. After `close()` it is written at once. */
  async record(event: AuditEventInput): Promise<void> {
    const row = toNewAuditEvent(event);
    if (this.closed) {
      await this.opts.store.appendAuditEvents([row]);
      return;
    }
    this.pending.push(row);
    this.dropPastBound(this.flushing !== undefined);
    if (this.pending.length >= (this.opts.maxBatch ?? 1000) && !this.fullBatchFlushWaiting && !this.backingOff) {
      this.fullBatchFlushWaiting = true;
      void this.flush().catch(() => undefined);
    }
  }

  /** Drops the oldest waiting events past `maxPending`, counted for the next `onDrop` report. */
  private dropPastBound(writing: boolean): void {
    const n = this.pending.length - (this.opts.maxPending ?? 100_000);
    if (n <= 0) return;
    this.pending.splice(0, n);
    this.dropped += n;
    this.unreportedDrops += n;
    if (writing) this.droppedWhileWriting = true;
  }

  private reportDrops(): void {
    if (this.unreportedDrops === 0) return;
    const info: AuditBacklogDrop = {
      dropped: this.unreportedDrops,
      droppedTotal: this.dropped,
      pending: this.pending.length,
      maxPending: this.opts.maxPending ?? 100_000,
      writing: this.droppedWhileWriting,
    };
    this.unreportedDrops = 0;
    this.droppedWhileWriting = false;
    this.opts.onDrop?.(info);
  }

  /** Events waiting for the next flush. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * How long ago (by `now`) the oldest batched event not written yet happened, queued or in the
   * append under way; 0 when none waits. What a crash now would lose reaches back this far (for `/metrics`).
   */
  get unwrittenAgeMs(): number {
    const oldest = this.writing?.[0] ?? this.pending[0];
    return oldest ? Math.max(0, (this.opts.now ?? Date.now)() - oldest.eventTime.getTime()) : 0;
  }

  /** Batched events dropped since start because the backlog went past `maxPending` (for `/metrics`). */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Events quarantined since start (for `/metrics`). */
  get quarantinedCount(): number {
    return this.quarantinedTotal;
  }

  /** Since when batched appends have been failing as unavailable, or undefined while they succeed (for `/healthz`). */
  get writeFailure(): AuditWriteFailure | undefined {
    return this.failure;
  }

  /** The quarantined events still kept in memory, oldest first. */
  get quarantined(): readonly QuarantinedEvent[] {
    return this.quarantine;
  }

  /**
   * Writes the batched events now (after a flush already running), oldest first, in appends of at
   * most `maxBatch` events, and goes on while a full batch is waiting behind them. Rejects if the
   * store is unavailable; the events not yet written then stay queued, in order, for the next
   * attempt. Events the store refuses one at a time are quarantined, and the flush goes on with
   * the rest.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    // Whichever flush takes the events, a full batch's is no longer waiting.
    this.fullBatchFlushWaiting = false;
    if (this.pending.length === 0) return;
    const maxBatch = this.opts.maxBatch ?? 1000;
    this.flushing = (async () => {
      try {
        // The events queued when this flush began, then any full batch recorded meanwhile.
        let owed = this.pending.length;
        do {
          const batch = this.pending.splice(0, maxBatch);
          owed -= batch.length;
          this.writing = batch;
          const unwritten = await this.write(batch).finally(() => {
            this.writing = undefined;
          });
          if (unwritten) {
            this.pending = unwritten.events.concat(this.pending);
            // The failed batch is the oldest: past the bound, it goes first.
            this.dropPastBound(false);
            this.backingOff = true;
            this.failure = { sinceMs: this.failure?.sinceMs ?? (this.opts.now ?? Date.now)(), ...errorCode(unwritten.err) };
            this.opts.onError?.(unwritten.err, { pending: this.pending.length, dropped: this.dropped });
            throw unwritten.err;
          }
          this.backingOff = false;
          this.failure = undefined;
        } while (this.pending.length > 0 && (owed > 0 || this.pending.length >= maxBatch));
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
  }

  /**
   * Appends `batch` in one write, or, when that fails while the store is available, one event at a
   * time. Returns the events left unwritten because the store became unavailable, if any.
   */
  private async write(batch: NewAuditEvent[]): Promise<{ events: NewAuditEvent[]; err: unknown } | undefined> {
    try {
      await this.opts.store.appendAuditEvents(batch);
      return undefined;
    } catch (err) {
      if (err instanceof StoreUnavailableError) return { events: batch, err };
    }
    // The store refused the batch: find which events it refuses on their own.
    for (const [i, event] of batch.entries()) {
      try {
        await this.opts.store.appendAuditEvents([event]);
      } catch (err) {
        if (err instanceof StoreUnavailableError) return { events: batch.slice(i), err };
        this.quarantineEvent(event, err);
      }
    }
    return undefined;
  }

  private quarantineEvent(event: NewAuditEvent, err: unknown): void {
    const entry: QuarantinedEvent = {
      eventId: event.eventId,
      accountId: event.accountId,
      eventName: event.eventName,
      eventTime: event.eventTime,
      error: err instanceof Error ? err.message : String(err),
      event,
    };
    this.quarantine.push(entry);
    if (this.quarantine.length > (this.opts.maxQuarantined ?? 1000)) this.quarantine.shift();
    this.quarantinedTotal++;
    this.opts.onQuarantine?.(err, { ...entry, quarantined: this.quarantinedTotal });
  }

  /**
   * Stops the timer and writes every batched event; later events are written directly. Rejects if
   * they cannot be written, so a shutdown can report the loss instead of hiding it.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    try {
      while (this.pending.length > 0 || this.flushing) await this.flush();
    } finally {
      this.reportDrops();
    }
  }
}

/**
 * The driver's code under a store error (`SQLITE_FULL`, `ENOSPC`, SQLSTATE `53100`), when it is one:
 * a short token, never a message (which may name a host or a path).
 */
function errorCode(err: unknown): { code?: string } {
  const code = ((err as { cause?: { code?: unknown } } | undefined)?.cause)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? { code } : {};
}
