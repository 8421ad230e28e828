import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { niceOfThreads } from '../test-thread-priorities.js';
import { BACKGROUND_THREAD_NICE, WalCheckpointer, yieldToRequestThread } from './wal-checkpointer.js';

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('WalCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: BetterSqlite3.Database;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-wal-checkpointer-'));
    file = join(dir, 'test.db');
    db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.exec('create table t (v text)');
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("checkpoints from its worker once started, while the server's connection no longer does", async () => {
    // Given a started checkpointer that asks for a checkpoint every two events
    const errors: Error[] = [];
    const checkpointer = new WalCheckpointer(db, file, (err) => errors.push(err), 60_000, 2);
    checkpointer.appended(1);
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 0, 'the worker');
    // When far more than 1,000 pages are committed to the WAL, then one event reported
    const before = statSync(file).size;
    const insert = db.prepare('insert into t (v) values (?)');
    db.transaction(() => { for (let i = 0; i < 3000; i++) insert.run('x'.repeat(2000)); })();
    expect(statSync(file).size).toBe(before);
    checkpointer.appended(1);
    // Then the worker copies the WAL into the database file
    await until(() => statSync(file).size > before + 3000 * 2000, 'the checkpoint');
    await checkpointer.close();
    checkpointer.appended(1);
    expect(errors).toEqual([]);
  });

  it("gives checkpoints back to the server's connection when its worker fails", async () => {
    // Given a checkpointer whose worker cannot open the database
    const errors: Error[] = [];
    const checkpointer = new WalCheckpointer(db, join(dir, 'missing.db'), (err) => errors.push(err));
    db.pragma('wal_autocheckpoint = 0');
    // When it starts, Then the failure is reported and the connection checkpoints as SQLite's default does
    checkpointer.appended(1);
    await until(() => errors.length > 0, 'the failure');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.close();
  });

  // (Where the tests already run at a low priority there is nothing to lower.)
  it.runIf(process.platform === 'linux' && getPriority(0) < BACKGROUND_THREAD_NICE)("checkpoints at a lowered CPU priority (it holds nothing requests wait for), leaving the calling thread's as it was", async () => {
    const atBackground = async () => (await niceOfThreads()).filter((n) => n === BACKGROUND_THREAD_NICE).length;
    const before = await atBackground();
    const own = getPriority(0);
    // When a checkpointer starts
    const checkpointer = new WalCheckpointer(db, file);
    checkpointer.appended(1);
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 0, 'the worker');
    // Then one more thread of this process runs at the background priority, and this one is unchanged
    try {
      expect(await atBackground()).toBe(before + 1);
      expect(getPriority(0)).toBe(own);
    } finally {
      await checkpointer.close();
    }
  });
});

describe('a background writer thread yielding to the request thread', () => {
  const osAt = (nice: number, refuse = false) => {
    const set: Array<[number, number]> = [];
    return {
      set,
      os: {
        getPriority: () => nice,
        setPriority: (pid: number, priority: number) => {
          if (refuse) throw new Error('EACCES');
          set.push([pid, priority]);
        },
      } as unknown as Parameters<typeof yieldToRequestThread>[0],
    };
  };

  it('lowers its own thread (pid 0) on Linux', () => {
    const { os, set } = osAt(0);
    yieldToRequestThread(os, 'linux', 5);
    expect(set).toEqual([[0, 5]]);
  });

  it('leaves a priority already as low or lower, and a refusal, as they are', () => {
    const lower = osAt(10);
    yieldToRequestThread(lower.os, 'linux', 5);
    expect(lower.set).toEqual([]);
    expect(() => yieldToRequestThread(osAt(0, true).os, 'linux', 5)).not.toThrow();
  });

  it('does nothing elsewhere, where the nice value would be the whole process\'s', () => {
    for (const platform of ['darwin', 'win32', 'freebsd']) {
      const { os, set } = osAt(0);
      yieldToRequestThread(os, platform, 5);
      expect(set).toEqual([]);
    }
  });
});
