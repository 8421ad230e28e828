/**
 * Another connection holding SQLite's write lock (as a `sqlite3` shell inside a transaction, a
 * backup tool or a `castellan` command would) must not stop the event loop: the server's writes
 * wait for it on a timer, up to the store's bound, reads answer meanwhile, and a write that waited
 * too long fails having done nothing. The holder is a second better-sqlite3 connection in this
 * process (SQLite shares one process's locks between its connections as between processes), so
 * a store that waited in SQLite's busy handler would also keep the holder from ever letting go.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { ACCOUNT, at, auditEvent, newUser } from '../contract/fixtures.js';
import { StoreUnavailableError } from '../store-errors.js';
import { testDialects } from '../testing.js';
import { INVALIDATING_WRITES, WRITES_WITHOUT_CACHED_STATE } from '../change-publishing-store.js';
import { isReadMethod } from '../sql/sql-store.js';
import { SqliteStore } from './sqlite-store.js';

/** How long the store lets a write wait for the lock. */
const BOUND_MS = 1500;
/** How long a read may take while the lock is held (a loaded two-core machine included); a busy wait takes BOUND_MS. */
const PROMPT_MS = 400;
const KEY = 'AKIALOCKEDTEST000001';

const MFA_SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/locked-test`;
const SECURITY_KEY = {
  accountId: ACCOUNT, serialNumber: `arn:aws:iam::${ACCOUNT}:u2f/user/before/k1`, name: 'yubi',
  credentialId: 'Y3JlZA', publicKey: 'cHVi', counter: 0, transports: ['usb'], enableDate: at(0),
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the write lock of `file` on a connection of its own, until `release()`. */
function holdWriteLock(file: string): { release(): void } {
  const holder = new BetterSqlite3(file);
  holder.exec('begin immediate');
  return {
    release() {
      if (!holder.open) return;
      holder.exec('rollback');
      holder.close();
    },
  };
}

const PYTHON = process.env['CASTELLAN_PYTHON'] ?? '/usr/bin/python3';

/**
 * Another process recovering the WAL index, as the first to find it unreliable does (after a
 * process crashed while writing it): it holds the index's write, checkpoint and recovery locks
 * (the unix VFS's byte-range locks at 120..122 of the `-shm` file) with the index's header marked
 * uninitialised, until `release()`. Meanwhile SQLite refuses reads with SQLITE_BUSY_RECOVERY; once
 * the locks are gone the next reader recovers the index from the WAL itself. Python, for `fcntl`.
 */
async function holdWalRecovery(file: string): Promise<{ release(): Promise<void> }> {
  const script = `import fcntl, os, sys
fd = os.open(${JSON.stringify(`${file}-shm`)}, os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 3, 120, os.SEEK_SET)
header = bytearray(os.pread(fd, 96, 0))
header[12] = 0
header[48 + 12] = 0
os.pwrite(fd, bytes(header), 0)
print('recovering', flush=True)
sys.stdin.read()`;
  const holder = spawn(PYTHON, ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    holder.once('exit', (code) => reject(new Error(`the recovering process exited with ${code}`)));
    createInterface({ input: holder.stdout! }).once('line', resolve);
  });
  return {
    release: () => new Promise<void>((resolve) => {
      if (holder.exitCode !== null) return resolve();
      holder.once('exit', () => resolve());
      holder.stdin!.end();
    }),
  };
}

interface WriteCase {
  name: string;
  /** The write, made while the lock is held. */
  write(store: SqliteStore): Promise<unknown>;
  /** Whether what the write does is stored (and, for a mutation, its audit event). */
  stored(store: SqliteStore): Promise<boolean>;
}

const writes: WriteCase[] = [
  {
    name: 'a mutation with its audit event (group commit)',
    write: (store) => store.transaction(async (tx) => {
      await tx.createUser(newUser('while-locked'));
      await tx.appendAuditEvents([auditEvent(1, { eventName: 'CreateUser', readOnly: false, eventId: 'while-locked-event' })]);
    }),
    stored: async (store) => {
      const user = await store.getUserByName(ACCOUNT, 'while-locked');
      const events = await store.scanAuditEvents({ fromSeq: 0, limit: 10 });
      const event = events.some((e) => e.eventId === 'while-locked-event');
      // Both or neither: the event is written in the mutation's transaction.
      expect(event).toBe(user !== undefined);
      return event;
    },
  },
  {
    name: "a batch of audit records (the audit worker's append)",
    write: (store) => store.appendAuditEvents([auditEvent(1, { eventId: 'batched-while-locked' })]),
    stored: async (store) => (await store.scanAuditEvents({ fromSeq: 0, limit: 10 })).some((e) => e.eventId === 'batched-while-locked'),
  },
  {
    name: "a write outside a transaction (a console sign-in's failure count)",
    write: (store) => store.countSignInFailure({ kind: 'sign-in-name', key: 'while-locked', now: at(60), expiresAt: at(960), blockFor: () => undefined }),
    stored: async (store) => (await store.getSignInFailures('sign-in-name', 'while-locked', at(60))) !== undefined,
  },
  {
    name: "an MFA code's time step used (a sign-in's or GetSessionToken's TOTP)",
    write: (store) => store.consumeMfaStep(MFA_SERIAL, 10, at(60)),
    stored: async (store) => (await store.getMfaDevice(MFA_SERIAL))?.lastUsedStep === 10,
  },
  {
    name: "a security key's counter moved (a console sign-in's WebAuthn step)",
    write: (store) => store.useSecurityKey(SECURITY_KEY.serialNumber, { previous: 0, counter: 5, usedAt: at(60) }),
    stored: async (store) => (await store.getSecurityKey(SECURITY_KEY.serialNumber))?.counter === 5,
  },
  {
    name: 'a single statement outside a transaction (an account alias)',
    write: (store) => store.createAccountAlias(ACCOUNT, 'while-locked', at(60)),
    stored: async (store) => (await store.listAccountAliases(ACCOUNT)).includes('while-locked'),
  },
  {
    name: 'a named entity created outside a transaction (a user)',
    write: (store) => store.createUser(newUser('outside-a-transaction')),
    stored: async (store) => (await store.getUserByName(ACCOUNT, 'outside-a-transaction')) !== undefined,
  },
  {
    name: "last-used data (the relaxed commit's write)",
    write: (store) => store.recordAccessKeyUse([{ accessKeyId: KEY, usedAt: at(60), serviceName: 'sts', region: 'eu-west-1' }]),
    stored: async (store) => (await store.getAccessKey(KEY))?.lastUsedDate?.getTime() === at(60).getTime(),
  },
];

(testDialects().includes('sqlite') ? describe : describe.skip)('SQLite locked by another process', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  let lock: { release(): void } | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-sqlite-locked-'));
    file = join(dir, 'castellan.db');
    store = await SqliteStore.open({ filename: file, secretBox: new SecretBox(randomBytes(32)), busyTimeoutMs: BOUND_MS });
    await store.createAccount({ id: ACCOUNT, createDate: at(0) });
    const before = await store.createUser(newUser('before'));
    await store.createMfaDevice({ accountId: ACCOUNT, serialNumber: MFA_SERIAL, name: 'locked-test', path: '/', seed: 'JBSWY3DPEHPK3PXP', createDate: at(1) });
    await store.createSecurityKey({ ...SECURITY_KEY, userId: before.id });
    await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: KEY, owner: { kind: 'root' }, secretAccessKey: 'locked-test-secret-000000000000000000000', status: 'Active', createDate: at(1) });
  });
  afterEach(async () => {
    lock?.release();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Reads made while the lock is held, each timed: the direct path, and one through Kysely. */
  async function readsWhileLocked(): Promise<number> {
    const started = Date.now();
    await pause(20);
    expect((await store.getUserByName(ACCOUNT, 'before'))?.name).toBe('before');
    expect((await store.listUsers({ accountId: ACCOUNT })).items.map((u) => u.name)).toContain('before');
    expect(await store.getAccount(ACCOUNT)).toBeDefined();
    return Date.now() - started;
  }

  it.each(writes)('$name waits for the lock and succeeds once it is released, reads answering meanwhile', async ({ write, stored }) => {
    lock = holdWriteLock(file);
    const started = Date.now();
    const writing = write(store).then(() => Date.now() - started);
    expect(await readsWhileLocked()).toBeLessThan(PROMPT_MS);
    expect(await stored(store)).toBe(false);
    await pause(500);
    lock.release();
    const tookMs = await writing;
    expect(tookMs).toBeGreaterThanOrEqual(500);
    expect(tookMs).toBeLessThan(BOUND_MS);
    expect(await stored(store)).toBe(true);
  });

  it.each(writes)('$name fails cleanly once the lock is held past the bound, reads answering meanwhile', async ({ write, stored }) => {
    lock = holdWriteLock(file);
    const started = Date.now();
    const writing = write(store).then(() => undefined, (err: unknown) => ({ err, tookMs: Date.now() - started }));
    expect(await readsWhileLocked()).toBeLessThan(PROMPT_MS);
    const failed = await writing;
    expect(failed?.err).toBeInstanceOf(StoreUnavailableError);
    expect((failed?.err as Error).message).toMatch(/stayed locked by another process past the busy timeout/);
    expect(failed!.tookMs).toBeGreaterThanOrEqual(BOUND_MS - 50);
    expect(failed!.tookMs).toBeLessThan(BOUND_MS + 1000);
    // Nothing of it is stored, and once the lock is released the same write succeeds.
    expect(await stored(store)).toBe(false);
    lock.release();
    await write(store);
    expect(await stored(store)).toBe(true);
  });

  it('lets each transaction wait its own bound: one begun later while the first waits outlives it', async () => {
    lock = holdWriteLock(file);
    const started = Date.now();
    const create = (name: string) => store.transaction(async (tx) => void (await tx.createUser(newUser(name))))
      .then(() => ({ ok: true, atMs: Date.now() - started }), () => ({ ok: false, atMs: Date.now() - started }));
    const first = create('first');
    await pause(1000);
    const second = create('second');
    // The first's bound passes at 1.5 s; the lock is released at 2 s, within the second's.
    await pause(1000);
    lock.release();
    expect(await first).toMatchObject({ ok: false });
    expect((await first).atMs).toBeLessThan(2000);
    expect(await second).toMatchObject({ ok: true });
    expect((await second).atMs).toBeGreaterThanOrEqual(2000);
    expect(await store.getUserByName(ACCOUNT, 'first')).toBeUndefined();
    expect(await store.getUserByName(ACCOUNT, 'second')).toBeDefined();
  });

  it('a read refused while another process recovers the WAL index waits for it, and fails past the bound having changed nothing', async () => {
    // Given a read that SQLite refuses while another process recovers the WAL index
    const recovery = await holdWalRecovery(file);
    let released = false;
    try {
      const started = Date.now();
      const reading = Promise.all([store.getUserByName(ACCOUNT, 'before'), store.listUsers({ accountId: ACCOUNT })]).then((answers) => ({ answers, tookMs: Date.now() - started }));
      // When the recovery ends after 500 ms
      await pause(500);
      await recovery.release();
      released = true;
      // Then the reads were answered once it had ended
      const { answers, tookMs } = await reading;
      expect(tookMs).toBeGreaterThanOrEqual(500);
      expect(tookMs).toBeLessThan(BOUND_MS);
      expect(answers[0]?.name).toBe('before');
      expect(answers[1].items.map((u) => u.name)).toEqual(['before']);
    } finally {
      if (!released) await recovery.release();
    }
    // And a recovery longer than the bound fails the read as unavailable
    const longer = await holdWalRecovery(file);
    try {
      const started = Date.now();
      const failed = await store.getAccount(ACCOUNT).then(() => undefined, (err: unknown) => ({ err, tookMs: Date.now() - started }));
      expect(failed?.err).toBeInstanceOf(StoreUnavailableError);
      expect(failed!.tookMs).toBeGreaterThanOrEqual(BOUND_MS - 50);
    } finally {
      await longer.release();
    }
    expect(await store.getAccount(ACCOUNT)).toBeDefined();
  });

  it("a batch of audit records on the server's connection (a store opened without the audit worker) waits for the lock too", async () => {
    const inline = await SqliteStore.open({ filename: file, secretBox: new SecretBox(randomBytes(32)), busyTimeoutMs: BOUND_MS, auditWorker: false });
    try {
      lock = holdWriteLock(file);
      const started = Date.now();
      const writing = inline.appendAuditEvents([auditEvent(1, { eventId: 'inline-while-locked' })]).then(() => Date.now() - started);
      await pause(500);
      lock.release();
      expect(await writing).toBeGreaterThanOrEqual(500);
      expect((await inline.scanAuditEvents({ fromSeq: 0, limit: 10 })).map((e) => e.eventId)).toContain('inline-while-locked');
    } finally {
      await inline.close();
    }
  });

  it('classifies every method of the store as a read or a write, and a write outside a transaction runs as a transaction of its own', () => {
    const methods = Object.keys(store).filter((name) => typeof (store as unknown as Record<string, unknown>)[name] === 'function');
    const writes = methods.filter((name) => !isReadMethod(name));
    // Every write the change feed knows is a write here; a count that counts is one too.
    // (`notifyOnCommit` is the store's own, like `transaction`: it runs only inside one.)
    for (const name of [...Object.keys(INVALIDATING_WRITES), ...WRITES_WITHOUT_CACHED_STATE, 'countSignInFailure']) if (name !== 'notifyOnCommit') expect(writes).toContain(name);
    for (const name of ['getUserByName', 'listUsers', 'countMfaDevices', 'hasConsoleGuard', 'samlAssertionUsed', 'lookupAuditEvents', 'scanAuditEvents']) expect(writes).not.toContain(name);
  });

  it("a one-shot command's store (blocking waits) rides out another process's lock with a write outside a transaction", async () => {
    const command = await SqliteStore.open({ filename: file, secretBox: new SecretBox(randomBytes(32)), busyTimeoutMs: BOUND_MS, blockingBusyWaits: true });
    try {
      // Another process: this thread is the one that waits in SQLite's busy handler.
      const holder = spawn(process.execPath, ['-e', `const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
        db.exec('begin immediate'); console.log('locked'); setTimeout(() => { db.exec('rollback'); db.close(); }, 300);`],
      { cwd: fileURLToPath(new URL('../../../../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => createInterface({ input: holder.stdout! }).once('line', resolve));
      // A plain statement outside a transaction: the server's store would fail it at once.
      const started = Date.now();
      await command.createAccountAlias(ACCOUNT, 'from-a-command', at(60));
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      expect(await command.listAccountAliases(ACCOUNT)).toEqual(['from-a-command']);
    } finally {
      await command.close();
    }
  });
});
