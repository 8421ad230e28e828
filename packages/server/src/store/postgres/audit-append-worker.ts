/**
 * PostgreSQL's batched audit appends, written by a worker thread with its own one-connection `pg`
 * pool: chaining the batch, compiling its multi-row inserts and binding their parameters no longer
 * run on the event loop. What both dialects share, and why: `sql/audit-append-worker.ts`.
 *
 * The worker's transaction takes the same advisory lock as every append on the schema
 * (`AUDIT_CHAIN_LOCK_SQL`), the server's mutations' appends and other nodes' alike, before reading
 * the chain head, so the chain stays linear however many writers there are.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import { AuditAppendWorker, workerChainData, workerSource, type CommittedBatch, type WorkerBatch, type WorkerChainData, type WorkerLib } from '../sql/audit-append-worker.js';
import type { NewAuditEvent } from '../store.js';
import { STORED_AUDIT_ROW_COLUMNS } from '../sql/audit-events.js';
import { translatePostgresError } from './postgres-errors.js';
import { DEFAULT_POSTGRES_TIMEOUT_MS } from './postgres-connection.js';

/** The advisory lock of the schema's chain, held until the transaction ends (the store's `lockAuditChain`). */
export const AUDIT_CHAIN_LOCK_SQL = `select pg_advisory_xact_lock(hashtext(current_schema() || '.castellan.audit_chain'))`;

/** Rows per insert statement (13 parameters each, far below PostgreSQL's 65,535). */
const ROWS_PER_INSERT = 200;

interface PostgresWorkerData extends WorkerChainData {
  driver: string;
  url: string;
  applicationName: string;
  timeoutMs: number;
  schema: string;
  lockSql: string;
  rowsPerInsert: number;
  storedColumns: string;
}

/**
 * The worker's body. INVARIANT: self-contained: it is evaluated from its source in the worker
 * (`workerSource`), so it may name nothing of this module but types.
 */
function postgresAuditWorkerMain(require: NodeRequire, lib: WorkerLib): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const data = workerData as PostgresWorkerData;
  const { Pool } = require(data.driver) as typeof pg;
  const port = parentPort!;
  // Every wait bounded (postgres-connection.ts): a stalled connection fails its batch, which stays
  // queued in the server, instead of holding every later batch behind it.
  const pool = new Pool({
    connectionString: data.url, max: 1, options: `-c search_path="${data.schema}"`, application_name: data.applicationName,
    connectionTimeoutMillis: data.timeoutMs, query_timeout: data.timeoutMs, keepAlive: true,
    // As boundedWaits (postgres-connection.ts): the database too ends a statement past the bound.
    statement_timeout: data.timeoutMs, lock_timeout: data.timeoutMs, idle_in_transaction_session_timeout: data.timeoutMs,
  });
  pool.on('error', () => {}); // an idle connection's failure surfaces through the next batch's query
  const hmac = lib.chainHmacHex(Buffer.from(data.chainKey), crypto);
  const hash = (prevHash: string, seq: number, event: NewAuditEvent): string => data.hashPrefix + hmac(lib.chainHashText(prevHash, seq, event));

  /** `insert into table (columns) values ($1, …), …` of `rows`, a named statement per table and row count. */
  const insert = async (client: pg.PoolClient, table: string, columns: string[], rows: Array<Record<string, unknown>>): Promise<void> => {
    for (let i = 0; i < rows.length; i += data.rowsPerInsert) {
      const chunk = rows.slice(i, i + data.rowsPerInsert);
      const values: unknown[] = [];
      const tuples = chunk.map((row) => `(${columns.map((c) => {
        values.push(row[c]);
        return `$${values.length}`;
      }).join(', ')})`);
      await client.query({ name: `castellan_audit_${table}_${chunk.length}`, text: `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, values });
    }
  };

  /** Appends `events`; with `skipStored`, leaves out those stored already as they are (a retried batch). */
  const append = async (events: NewAuditEvent[], skipStored: boolean): Promise<CommittedBatch> => {
    const client = await pool.connect();
    // A connection in an unknown state (a driver or socket error, a failed rollback) is not reused.
    let discard: Error | undefined;
    // pg-pool stops listening at checkout. A connection the database ends (57P01, then the socket's
    // end) emits 'error' when no query is running, or when the one that got the 57P01 has failed and
    // the ROLLBACK is queued: unheard, it ended the worker thread. Heard, it fails the statement
    // (the client is no longer queryable), the batch stays queued in the server, and the connection is closed.
    const onError = (error: Error): void => {
      discard ??= error;
    };
    client.on('error', onError);
    try {
      await client.query('begin');
      await client.query(data.lockSql);
      const last = (await client.query<{ seq: string; hash: string }>('select seq, hash from audit_events order by seq desc limit 1')).rows[0];
      const checkpoint = (await client.query<{ value: string }>('select value from meta where key = $1', [data.checkpointKey])).rows[0]?.value;
      const head = lib.auditHeadOf(last, checkpoint) ?? { seq: 0, hash: data.genesisHash };
      const links = skipStored
        ? lib.storedAuditLinks(lib.storableText, events, (await client.query<Parameters<WorkerLib['storedAuditLinks']>[2][number]>(
          `select ${data.storedColumns} from audit_events where event_id = any($1::text[])`, [events.map((e) => lib.storableText(e.eventId))])).rows, hash)
        : undefined;
      const chained = lib.chainAuditRowsWith(hash, lib.storableText, head, links ? events.filter((_, i) => !links[i]) : events);
      await insert(client, 'audit_events', ['seq', 'event_id', 'account_id', 'event_time', 'event_source', 'event_name', 'read_only',
        'username', 'access_key_id', 'error_code', 'record', 'prev_hash', 'hash'], chained.rows);
      await insert(client, 'audit_event_resources', ['seq', 'position', 'account_id', 'event_time', 'resource_type', 'resource_name'], chained.resources);
      await client.query('commit');
      return { firstSeq: head.seq + 1, firstPrevHash: head.hash, hashes: chained.out.map((o) => o.hash), ...(links ? { links: lib.mergeAuditLinks(links, chained.out) } : {}) };
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      // A SQLSTATE is the server's refusal on a sound connection; anything else is not, nor is one
      // the connection was lost with (its 'error' heard), and closing that connection ends its
      // transaction (a ROLLBACK on a stalled one would wait its bound again).
      if (discard !== undefined || !(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))) discard ??= err instanceof Error ? err : new Error(String(err));
      else {
        await client.query('rollback').catch((rollbackErr: unknown) => {
          discard = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        });
      }
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(discard);
    }
  };

  /** The parts of batches still being posted (`gatherAuditBatch`). */
  const partial = new Map<number, NewAuditEvent[] | null>();
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (m: 'close' | WorkerBatch) => {
    queue = queue.then(async () => {
      if (m === 'close') {
        await pool.end().catch(() => {});
        port.close();
        return;
      }
      try {
        const events = lib.gatherAuditBatch(partial, m, lib.unpackAuditEvents);
        if (!events) return;
        let committed: CommittedBatch;
        try {
          committed = await append(events, false);
        } catch (err) {
          // An id stored already: the batch may be one retried after its commit went unanswered.
          if (!lib.isDuplicateAuditEventId(err)) throw err;
          committed = await append(events, true);
        }
        port.postMessage({ id: m.id, committed });
        port.postMessage({ id: m.id, synced: true });
      } catch (err) {
        // gatherAuditBatch has refused the batch of a part that failed (its later parts are dropped).
        const e = err as { message?: unknown; code?: unknown; table?: unknown; constraint?: unknown };
        const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
        port.postMessage({
          id: m.id,
          error: {
            message: String(e?.message ?? err),
            ...(text(e?.code) ? { code: text(e?.code) } : {}),
            ...(text(e?.table) ? { table: text(e?.table) } : {}),
            ...(text(e?.constraint) ? { constraint: text(e?.constraint) } : {}),
          },
        });
      }
    });
  });
}

/** The worker's source. */
const postgresAuditWorkerSource = (): string => workerSource(postgresAuditWorkerMain);

/**
 * `appendAuditEvents` outside any transaction for the schema `schema` at `url` (as `pg` reads it:
 * `postgresTarget`), on a connection named `applicationName` (default `castellan-audit`) whose
 * waits are bounded by `timeoutMs` (default 15 s).
 */
export function postgresAuditWorker(options: { url: string; applicationName?: string; timeoutMs?: number; schema: string; chainKey: Uint8Array }): AuditAppendWorker {
  return new AuditAppendWorker({
    source: postgresAuditWorkerSource,
    workerData: (): PostgresWorkerData => ({
      ...workerChainData(options.chainKey),
      driver: createRequire(import.meta.url).resolve('pg'),
      url: options.url,
      applicationName: options.applicationName ?? 'castellan-audit',
      timeoutMs: options.timeoutMs ?? DEFAULT_POSTGRES_TIMEOUT_MS,
      schema: options.schema,
      lockSql: AUDIT_CHAIN_LOCK_SQL,
      rowsPerInsert: ROWS_PER_INSERT,
      storedColumns: STORED_AUDIT_ROW_COLUMNS,
    }),
    translateError: translatePostgresError,
  });
}
