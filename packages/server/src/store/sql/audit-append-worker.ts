/**
 * Batched audit appends on a worker thread: what both dialects share. A store's appends outside
 * any transaction are the audit log's batches (read-only, refused and failed calls); chaining them
 * (an HMAC per event), inserting and committing them was about a tenth of the server's CPU under a
 * read-only load (`bench/api/profile.js GetCallerIdentity`). With a worker the request thread only
 * posts the batch's rows and waits. They cross as one flat array of strings and numbers
 * (`packAuditEvents`): cloning an object per event, a `Date` and a resources array in it, cost about
 * three times as much CPU, on both threads.
 *
 * - The worker has its own connection. It takes the chain's lock, reads the head, chains the rows
 *   with the very functions the server's connection uses (`chainAuditRowsWith`, `chainHashText`,
 *   `storableText`, `auditHeadOf`: their source is evaluated in the worker, so there is one
 *   definition of the hash and of the stored text) and inserts them in one transaction.
 * - One chain, two writers: the server's connection appends mutations' events inside their
 *   transactions. Both read the head under the chain's lock, so each append continues the chain the
 *   other left, as several processes or nodes already do.
 * - The worker answers `committed` (the lock is free again), then `synced` (durable: the append
 *   resolves), or an error, which is translated as the server's connection's would be. A worker
 *   that died fails the batches it held as unavailable (StoreAuditLog keeps their events queued)
 *   and the next append starts a new one. A batch it failed may have committed already (it died
 *   between the COMMIT and its answer): when the retried batch meets a stored event id, the worker
 *   tries it once more, skipping the events stored as they are (`storedAuditLinks`).
 *
 * The dialects' worker bodies: `sqlite/audit-append-worker.ts`, `postgres/audit-append-worker.ts`.
 *
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { CHAIN_HASH_PREFIX, GENESIS_HASH, chainHashText, chainHmacHex } from '../chain-hash.js';
import { storableText } from '../storable-text.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { AuditStore, NewAuditEvent } from '../store.js';
import { AUDIT_CHECKPOINT_META_KEY, auditHeadOf, chainAuditRowsWith, mergeAuditLinks, storedAuditLinks } from './audit-events.js';
import { startEvalWorker } from './eval-worker-exec-argv.js';

/**
 * The chain fields of a committed batch: the first seq and prevHash, then each row's hash; or, when
 * some of its events were stored already (a retried batch), every event's fields in `links`.
 */
export type CommittedBatch = { firstSeq: number; firstPrevHash: string; hashes: string[]; links?: ChainLink[] };

/** One event's place in the chain, as an append returns it. */
export type ChainLink = { eventId: string; seq: number; prevHash: string; hash: string };

/** A worker's answer about batch `id`. */
export type WorkerReply =
  | { id: number; committed: CommittedBatch }
  | { id: number; synced: true }
  | { id: number; error: { message: string; code?: string; table?: string; constraint?: string } };

/**
 * The message a worker receives for each part of a batch (or `'close'`: finish, close the
 * connection, exit). A batch of more than {@link HANDOFF_EVENTS} events crosses in several parts,
 * each posted in its own turn of the event loop; all but the last have `more`, and the worker
 * writes the batch, in one transaction, once the last has come. `abort` drops the parts received.
 */
export type WorkerBatch = { id: number; events: PackedAuditEvents; more?: true; abort?: true };

/**
 * Events per part of a batch posted to a worker (`WorkerBatch`): packing and cloning a batch is one
 * step on the event loop, so a large batch crosses in parts of this many, each in its own turn,
 * while the worker still commits it once (a commit's fixed cost, the index and table pages it
 * writes to the WAL again, is what larger batches save).
 */
export const HANDOFF_EVENTS = 200;

/**
 * The events of a whole batch once its last part has come, or `undefined` while parts are still
 * awaited (kept in `partial`, by batch id); a part with `abort` drops the parts received. A part
 * that cannot be unpacked refuses its batch (it throws, and the worker answers the error): a last
 * part drops the parts received; an earlier one leaves `null`, so the batch's later parts are
 * dropped, never written as a batch of their own, until its last part or the abort the main thread
 * sends when it stops posting a refused batch.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource`).
 */
export function gatherAuditBatch(partial: Map<number, NewAuditEvent[] | null>, m: WorkerBatch, unpack: (packed: PackedAuditEvents) => NewAuditEvent[]): NewAuditEvent[] | undefined {
  if (m.abort || partial.get(m.id) === null) {
    if (m.abort || !m.more) partial.delete(m.id);
    return undefined;
  }
  const before = partial.get(m.id);
  let events: NewAuditEvent[];
  try {
    events = unpack(m.events);
  } catch (err) {
    if (m.more) partial.set(m.id, null);
    else partial.delete(m.id);
    throw err;
  }
  if (before) for (const e of events) before.push(e);
  const all = before ?? events;
  if (m.more) {
    partial.set(m.id, all);
    return undefined;
  }
  partial.delete(m.id);
  return all;
}

/**
 * A batch's events as one flat array: per event its ten fields (the time as epoch milliseconds,
 * absent optional texts as `null`), the number of its resources, then each resource's type and name.
 */
export type PackedAuditEvents = Array<string | number | boolean | null>;

/** `events` as the worker receives them (`unpackAuditEvents` gives them back). */
export function packAuditEvents(events: readonly NewAuditEvent[]): PackedAuditEvents {
  const out: PackedAuditEvents = [];
  for (const e of events) {
    // Anything but a Date travels as an invalid time, which the chaining refuses as it did a bad Date.
    out.push(e.eventId, e.accountId, e.eventTime instanceof Date ? e.eventTime.getTime() : Number.NaN, e.eventSource, e.eventName, e.readOnly,
      e.username ?? null, e.accessKeyId ?? null, e.errorCode ?? null, e.recordJson, e.resources.length);
    for (const r of e.resources) out.push(r.type, r.name);
  }
  return out;
}

/**
 * The events of a `packAuditEvents` array.
 *
 * INVARIANT: self-contained (no module-level names), because the audit workers evaluate its
 * source (`workerSource`).
 */
export function unpackAuditEvents(packed: PackedAuditEvents): NewAuditEvent[] {
  const events: NewAuditEvent[] = [];
  let i = 0;
  while (i < packed.length) {
    const event: NewAuditEvent = {
      eventId: packed[i] as string,
      accountId: packed[i + 1] as string,
      eventTime: new Date(packed[i + 2] as number),
      eventSource: packed[i + 3] as string,
      eventName: packed[i + 4] as string,
      readOnly: packed[i + 5] as boolean,
      resources: [],
      recordJson: packed[i + 9] as string,
    };
    if (packed[i + 6] !== null) event.username = packed[i + 6] as string;
    if (packed[i + 7] !== null) event.accessKeyId = packed[i + 7] as string;
    if (packed[i + 8] !== null) event.errorCode = packed[i + 8] as string;
    const resources = packed[i + 10] as number;
    i += 11;
    for (let r = 0; r < resources; r++, i += 2) event.resources.push({ type: packed[i] as string, name: packed[i + 1] as string });
    events.push(event);
  }
  return events;
}

/** The shared functions a worker body gets, evaluated from their source, by these names. */
export interface WorkerLib {
  storableText: typeof storableText;
  chainHashText: typeof chainHashText;
  chainHmacHex: typeof chainHmacHex;
  chainAuditRowsWith: typeof chainAuditRowsWith;
  auditHeadOf: typeof auditHeadOf;
  unpackAuditEvents: typeof unpackAuditEvents;
  gatherAuditBatch: typeof gatherAuditBatch;
  storedAuditLinks: typeof storedAuditLinks;
  mergeAuditLinks: typeof mergeAuditLinks;
  isDuplicateAuditEventId: typeof isDuplicateAuditEventId;
}

/**
 * Whether a worker's raw driver error is the refusal of an audit event whose id is stored already
 * (the batch is then tried once more, skipping the events stored as they are: `storedAuditLinks`).
 *
 * INVARIANT: self-contained (see `workerSource`); the same test as `isAuditEventIdConflict` on raw errors.
 */
export function isDuplicateAuditEventId(err: unknown): boolean {
  const e = err as { code?: unknown; table?: unknown; constraint?: unknown; message?: unknown } | undefined;
  if (e?.code === '23505') return e.table === 'audit_events' && typeof e.constraint === 'string' && e.constraint.includes('event_id');
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes('audit_events.event_id');
}

/** What every worker body finds in its `workerData`, besides its dialect's settings. */
export interface WorkerChainData {
  chainKey: Uint8Array;
  hashPrefix: string;
  genesisHash: string;
  checkpointKey: string;
}

/** The chain settings of `workerData` for a store whose chain key is `chainKey`. */
export function workerChainData(chainKey: Uint8Array): WorkerChainData {
  return { chainKey, hashPrefix: CHAIN_HASH_PREFIX, genesisHash: GENESIS_HASH, checkpointKey: AUDIT_CHECKPOINT_META_KEY };
}

/**
 * The source of a worker (CommonJS, evaluated): the shared functions' sources, then `main` called
 * with `require` and them. INVARIANT: `main` is self-contained: it may name nothing of its module
 * but types, since only its own source reaches the worker.
 */
export function workerSource(main: (require: NodeRequire, lib: WorkerLib) => void): string {
  const lib: WorkerLib = { storableText, chainHashText, chainHmacHex, chainAuditRowsWith, auditHeadOf, unpackAuditEvents, gatherAuditBatch, storedAuditLinks, mergeAuditLinks, isDuplicateAuditEventId };
  return [
    `'use strict';`,
    ...Object.values(lib).map((fn) => fn.toString()),
    `(${main.toString()})(require, { ${Object.keys(lib).join(', ')} });`,
  ].join('\n');
}

/** How a store runs its worker. */
export interface AuditAppendWorkerOptions {
  /** The worker's source (`workerSource`), built on first use. */
  source: () => string;
  /** Its `workerData`. */
  workerData: () => object;
  /**
   * Runs the post of a batch and the wait for its commit, e.g. holding the server's one SQLite
   * connection so its transactions queue instead of waiting on the worker's write lock.
   */
  lease?: (fn: () => Promise<void>) => Promise<void>;
  /** The dialect's error translation (`translateSqliteError`, `translatePostgresError`). */
  translateError: (err: unknown) => unknown;
  /** Called with the number of events of each durable batch (the SQLite WAL checkpointer). */
  appended?: (events: number) => void;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Awaited later (or not at all when the other one failed first): never an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** A batch a worker holds: committed (the lock is free again), then synced (durable). */
interface Request {
  committed: Deferred<CommittedBatch>;
  synced: Deferred<void>;
}

/** `appendAuditEvents` for appends outside any transaction, written by a worker thread (module comment). */
export class AuditAppendWorker {
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  /** The batches the current worker holds, by id (each worker has its own map: an old one's exit fails only its own). */
  private requests = new Map<number, Request>();
  private nextId = 1;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** The appends not settled yet: `close` waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  private source: string | undefined;

  constructor(private readonly options: AuditAppendWorkerOptions) {}

  readonly append: AuditStore['appendAuditEvents'] = (events) => {
    if (events.length === 0) return Promise.resolve([]);
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const appended = this.write({ events }, events.length, events.map((e) => e.eventId));
    const settled = appended.then(() => undefined, () => undefined);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return appended;
  };

  /**
   * Posts the batch in `held` and waits for it to be durable. `held.events` is let go once the last
   * part is posted (the worker has its copy): a batch of a thousand records then lives for its
   * hand-off, not also for the worker's inserts and commit, when the young generation's collections
   * would copy it and move it to the old one. Only the events' ids stay, for the answer.
   */
  private async write(held: { events: NewAuditEvent[] | undefined }, count: number, eventIds: string[]): ReturnType<AuditStore['appendAuditEvents']> {
    const id = this.nextId++;
    const request: Request = { committed: deferred(), synced: deferred() };
    const postAndCommit = async (): Promise<void> => {
      await this.post(id, held, request);
      await request.committed.promise;
    };
    await (this.options.lease ? this.options.lease(postAndCommit) : postAndCommit());
    const c = await request.committed.promise;
    await request.synced.promise;
    this.options.appended?.(count);
    if (c.links) return c.links;
    return eventIds.map((eventId, i) => ({
      eventId: storableText(eventId),
      seq: c.firstSeq + i,
      prevHash: i === 0 ? c.firstPrevHash : c.hashes[i - 1]!,
      hash: c.hashes[i]!,
    }));
  }

  /**
   * Posts `held.events` in parts of at most `HANDOFF_EVENTS`, each in its own turn of the event
   * loop, then lets them go (`held.events` undefined), whether all were posted or not.
   */
  private async post(id: number, held: { events: NewAuditEvent[] | undefined }, request: Request): Promise<void> {
    const events = held.events!;
    try {
      await this.postParts(id, events, request);
    } finally {
      held.events = undefined;
    }
  }

  /** Posts `events` in parts of at most `HANDOFF_EVENTS`, each in its own turn of the event loop. */
  private async postParts(id: number, events: NewAuditEvent[], request: Request): Promise<void> {
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (err) {
      throw new StoreUnavailableError('the audit append worker could not start', { cause: err });
    }
    const part = (from: number): WorkerBatch => {
      const to = from + HANDOFF_EVENTS;
      return { id, events: packAuditEvents(from === 0 && to >= events.length ? events : events.slice(from, to)), ...(to < events.length ? { more: true as const } : {}) };
    };
    // A batch that cannot be posted (a field not cloneable) throws here, before it is registered: it
    // is refused as the store would refuse it, not queued again as if the store were unavailable.
    worker.postMessage(part(0));
    this.requests.set(id, request);
    // Referenced while it holds a batch: an orderly shutdown awaits its answer.
    worker.ref();
    for (let from = HANDOFF_EVENTS; from < events.length; from += HANDOFF_EVENTS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.requests.get(id) !== request) {
        // The worker refused the batch (its error answered): it drops the parts it holds. Or the
        // worker died meanwhile, and its exit has failed the batch already.
        if (this.worker === worker) worker.postMessage({ id, events: [], abort: true } satisfies WorkerBatch);
        return;
      }
      try {
        worker.postMessage(part(from));
      } catch (err) {
        // Refused like a first part that cannot be posted; the worker drops the parts it has.
        worker.postMessage({ id, events: [], abort: true } satisfies WorkerBatch);
        this.requests.delete(id);
        if (this.requests.size === 0) worker.unref();
        fail(request, err);
        return;
      }
    }
  }

  private start(): Worker {
    this.source ??= this.options.source();
    const worker = startEvalWorker(this.source, { workerData: this.options.workerData() });
    const requests = new Map<number, Request>();
    this.worker = worker;
    this.requests = requests;
    this.exited = new Promise((resolve) => worker.once('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      failAll(requests, new StoreUnavailableError(`the audit append worker exited with code ${code}`));
      resolve();
    }));
    worker.on('error', (err) => {
      if (this.worker === worker) this.worker = undefined;
      failAll(requests, new StoreUnavailableError('the audit append worker failed', { cause: err }));
    });
    worker.on('message', (reply: WorkerReply) => {
      const request = requests.get(reply.id);
      if (!request) return;
      if ('committed' in reply) {
        request.committed.resolve(reply.committed);
        return;
      }
      requests.delete(reply.id);
      // Unreferenced while it holds nothing: an idle worker does not keep the process alive.
      if (requests.size === 0) worker.unref();
      if ('synced' in reply) request.synced.resolve();
      else fail(request, this.options.translateError(Object.assign(new Error(reply.error.message), reply.error)));
    });
    return worker;
  }

  /** Waits for the batches in flight, then stops the worker (closing its connection). Every call waits for the same close. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.ref();
    worker.postMessage('close');
    await this.exited;
  }
}

function failAll(requests: Map<number, Request>, err: unknown): void {
  const all = [...requests.values()];
  requests.clear();
  for (const r of all) fail(r, err);
}

/** Fails a batch: before its commit both steps reject; after it, only the sync (a no-op on a settled promise). */
function fail(request: Request, err: unknown): void {
  request.committed.reject(err);
  request.synced.reject(err);
}
