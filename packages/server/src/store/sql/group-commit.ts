/**
 * Group commit for a database with one connection (SQLite): transactions that are ready at the
 * same time share one `BEGIN IMMEDIATE … COMMIT`, so one WAL write and one fsync, instead of one
 * each. With `synchronous=FULL` the commit is most of a mutation's cost (bench/api/profile.js
 * TagUser), and the fsync blocks the event loop.
 *
 * Each member runs in its own SAVEPOINT, one after another on the one connection (they never
 * interleave, as before): a member that throws is rolled back to its savepoint and rejected with
 * its own error, the others go on. A member's promise resolves only after the shared COMMIT
 * succeeded, so a mutation acknowledged is durable with its audit event, exactly as with a
 * transaction of its own; if the COMMIT (or anything outside a member) fails, every member
 * rejects and nothing of the group is written.
 *
 * Members are what reaches `transaction()` while a group is open: after running the members it
 * has, the group yields once to the event loop (`setImmediate`) so requests already received can
 * reach their transaction and join, then commits when none did.
 *
 * Another process holding the write lock refuses the group's `BEGIN IMMEDIATE` (`begin-retry.ts`):
 * no member has run then, so the group begins again after a pause, the connection free meanwhile,
 * and stays open to members arriving while it waits. Each member waits at most the bound from its
 * own arrival: one whose time is up is rejected (nothing of it ran) and the others wait on.
 *
 * @module
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { beginPause, pause, type BeginRetry } from './begin-retry.js';
import type { Database } from './schema.js';

/** The most members one commit takes, so reads waiting for the connection are not held back long. */
export const MAX_GROUP_MEMBERS = 32;

interface Member<S> {
  fn: (tx: S) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  value?: unknown;
  /** When it stops waiting for another process's lock (`Date.now()` milliseconds), with a `BeginRetry`. */
  deadline: number;
}

interface Group<S> {
  queue: Member<S>[];
  size: number;
}

/**
 * Runs transactions in shared commits. `store` builds the transaction-bound store of a group.
 *
 * @example
 * ```ts
 * const groups = new GroupCommitter(db, (trx) => storeOf(trx));
 * await groups.run(async (tx) => tx.putTags(target, tags)); // resolved after the shared COMMIT
 * ```
 */
export class GroupCommitter<S> {
  readonly #db: Kysely<Database>;
  readonly #store: (trx: Transaction<Database>) => S;
  readonly #retry: BeginRetry | undefined;
  #open: Group<S> | undefined;

  /** With `retry`, a BEGIN refused by another process's lock is tried again (see the module). */
  constructor(db: Kysely<Database>, store: (trx: Transaction<Database>) => S, retry?: BeginRetry) {
    this.#db = db;
    this.#store = store;
    this.#retry = retry;
  }

  run<T>(fn: (tx: S) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const member: Member<S> = { fn, resolve: resolve as (v: unknown) => void, reject, deadline: this.#retry ? Date.now() + this.#retry.boundMs : 0 };
      const open = this.#open;
      if (open && open.size < MAX_GROUP_MEMBERS) {
        open.queue.push(member);
        open.size++;
        return;
      }
      const group: Group<S> = { queue: [member], size: 1 };
      this.#open = group;
      void this.#commit(group);
    });
  }

  async #commit(group: Group<S>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(group);
      if (outcome === undefined) return;
      // Nothing ran: the members whose time is up fail, the others wait for the next attempt.
      const now = Date.now();
      const waiting: Member<S>[] = [];
      for (const member of group.queue) {
        if (member.deadline > now) waiting.push(member);
        else member.reject(this.#retry!.pastBound(outcome.refused));
      }
      group.queue = waiting;
      group.size = waiting.length;
      if (group.size === 0) {
        if (this.#open === group) this.#open = undefined;
        return;
      }
      await pause(beginPause(attempt, Math.min(...group.queue.map((m) => m.deadline)) - now));
    }
  }

  /** One attempt at the group's transaction; returns the error of a BEGIN refused by another process's lock, to try again. */
  async #attempt(group: Group<S>): Promise<{ refused: unknown } | undefined> {
    const ran: Member<S>[] = [];
    let begun = false;
    try {
      await this.#db.transaction().execute(async (trx) => {
        begun = true;
        const tx = this.#store(trx);
        for (;;) {
          const member = group.queue.shift();
          if (!member) {
            await new Promise<void>((r) => setImmediate(r));
            if (group.queue.length > 0) continue;
            // Closed before COMMIT: a transaction arriving from here on starts the next group.
            if (this.#open === group) this.#open = undefined;
            return;
          }
          await sql`savepoint castellan_member`.execute(trx);
          try {
            member.value = await member.fn(tx);
          } catch (error) {
            member.reject(error);
            // Fails when SQLite already rolled the whole transaction back (e.g. disk full): then the group fails.
            await sql`rollback to savepoint castellan_member`.execute(trx);
            await sql`release savepoint castellan_member`.execute(trx);
            continue;
          }
          ran.push(member);
          await sql`release savepoint castellan_member`.execute(trx);
        }
      });
    } catch (error) {
      if (!begun && this.#retry?.refusedByLock(error)) return { refused: error };
      if (this.#open === group) this.#open = undefined;
      for (const member of [...ran, ...group.queue]) member.reject(error);
      return undefined;
    }
    for (const member of ran) member.resolve(member.value);
    return undefined;
  }
}
