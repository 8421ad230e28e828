/**
 * PostgreSQL connections lost under a running server, as operators meet them: backends terminated
 * (a restart, a failover, an idle-connection killer) while idle and while calls wait on them, and a
 * database that stops answering without closing anything (a partition, a stalled proxy). The
 * server is the built `@castellan/server` in a child process; only its own backends are
 * terminated, found by the `application_name` its URL gives it (other tests share this
 * PostgreSQL). Calls caught in the failure answer a 5xx AWS error within the configured bound;
 * later calls succeed without a restart; no acknowledged mutation lacks its row or its audit event;
 * the records of reads are written once the database is back; the chain verifies.
 *
 * It is about PostgreSQL whichever dialect the e2e project runs, so it runs once, in `e2e`.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand, ListUsersCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyStoredChain } from '../../packages/server/src/audit/verify/verify-stored-chain.js';
import { parseMasterKey } from '../../packages/server/src/crypto/master-key.js';
import { SecretBox } from '../../packages/server/src/crypto/secret-box.js';
import { PostgresStore } from '../../packages/server/src/store/postgres/postgres-store.js';
import { dropSchema, E2E_POSTGRES_URL } from './helpers/postgres.js';
import { iamClient, sdkError, stsClient } from './helpers/aws-clients.js';
import { createUserWithKey } from './helpers/iam-users.js';
import { E2E_DIALECT } from './helpers/castellan.js';
import { startChildServer } from './helpers/child-server.js';

const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'AKIALOSTCONNROOT0001', secretAccessKey: 'lost-conn-root-secret-0123456789abcdefg' };
/** The server's bound on every wait on the database (`databaseTimeoutSeconds`). */
const TIMEOUT_SECONDS = 2;

/** What a call ended with: its status and error name, or ok. */
type Outcome = { ok: true } | { ok: false; name: string; status: number | undefined; message: string };

async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return { ok: true };
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { ok: false, name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
}

/** Polls `probe` every 50 ms until it returns true, for at most `withinMs`. */
async function until(probe: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A TCP relay to PostgreSQL that can stop relaying without closing anything, as a partition does:
 * bytes are dropped both ways and new connections are accepted and never answered.
 */
class StallingRelay {
  stalled = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((client) => {
    this.track(client);
    if (this.stalled) return;
    const target = new URL(E2E_POSTGRES_URL);
    const upstream = this.track(net.connect(Number(target.port || 5432), target.hostname));
    client.on('data', (d) => { if (!this.stalled) upstream.write(d); });
    upstream.on('data', (d) => { if (!this.stalled) client.write(d); });
    client.on('close', () => { if (!this.stalled) upstream.destroy(); });
    upstream.on('close', () => { if (!this.stalled) client.destroy(); });
  });

  private track(socket: net.Socket): net.Socket {
    this.sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Relays again; the connections held while stalled are closed, as a partition's end resets them. */
  resume(): void {
    this.stalled = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.resume();
    await new Promise((r) => this.server.close(r));
  }
}

describe.skipIf(E2E_DIALECT === 'postgres')('PostgreSQL connections lost under a running server', () => {
  const masterKey = randomBytes(32).toString('hex');
  const schemas: string[] = [];
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const admin = new pg.Client({ connectionString: E2E_POSTGRES_URL });
  let adminConnected = false;

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    if (adminConnected) await admin.end();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    for (const schema of schemas) await dropSchema(schema);
  });

  /** Starts a server on `schema` (default a fresh one), its connections named `<name>…`, reaching PostgreSQL at `databaseUrl`. */
  async function startNode(databaseUrl: string, sharedSchema?: string): Promise<{ url: string; schema: string; name: string }> {
    if (!adminConnected) {
      await admin.connect();
      adminConnected = true;
    }
    const schema = sharedSchema ?? `e2e_lost_${randomBytes(6).toString('hex')}`;
    const name = `e2e-lost-${randomBytes(4).toString('hex')}`;
    if (!sharedSchema) schemas.push(schema);
    const dataDir = await mkdtemp(join(tmpdir(), 'castellan-e2e-lost-'));
    dirs.push(dataDir);
    const server = startChildServer({
      host: '127.0.0.1', port: 0, dataDir, databaseUrl: `${databaseUrl}?application_name=${name}`, masterKey, accountId: ACCOUNT,
      rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0,
      auditFlushMs: 50, healthAuditFailureSeconds: 1, databaseTimeoutSeconds: TIMEOUT_SECONDS,
    }, { postgresSchema: schema });
    children.push(server.child);
    return { url: await server.url, schema, name };
  }

  /** The server's backends, by `application_name` (`name`, `name-audit`, `name-change-feed-…`). */
  async function backends(name: string, where = 'true'): Promise<Array<{ pid: number; application_name: string; state: string; wait_event_type: string | null }>> {
    return (await admin.query(`select pid, application_name, state, wait_event_type from pg_stat_activity where (application_name = $1 or application_name like $2) and ${where}`,
      [name, `${name}-%`])).rows;
  }

  async function terminate(pids: number[]): Promise<void> {
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
    await until(async () => (await admin.query('select count(*)::int as n from pg_stat_activity where pid = any($1::int[])', [pids])).rows[0].n === 0, 5_000, 'backends gone');
  }

  async function health(url: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${url}/healthz`);
    return { status: res.status, body: await res.json() };
  }

  /** Every acknowledged user stored with its CreateUser event, at least `reads` GetCallerIdentity events, and a chain that verifies. */
  async function expectNothingLost(schema: string, acknowledged: string[], reads: number): Promise<void> {
    const store = await PostgresStore.open({ url: E2E_POSTGRES_URL, schema, secretBox: new SecretBox(parseMasterKey(masterKey, 'test')), maxConnections: 2, auditWorker: false });
    try {
      const stored = new Set((await store.listUsers({ accountId: ACCOUNT, maxItems: 1000 })).items.map((u) => u.name));
      expect(acknowledged.filter((n) => !stored.has(n))).toEqual([]);
      const events = await store.scanAuditEvents({ fromSeq: 1, limit: 100_000 });
      const recorded = new Set(events.filter((e) => e.eventName === 'CreateUser' && e.errorCode === undefined)
        .map((e) => (JSON.parse(e.recordJson) as { requestParameters?: { userName?: string } }).requestParameters?.userName));
      expect(acknowledged.filter((n) => !recorded.has(n))).toEqual([]);
      expect(events.filter((e) => e.eventName === 'GetCallerIdentity').length).toBeGreaterThanOrEqual(reads);
      expect((await verifyStoredChain({ source: store })).findings).toEqual([]);
    } finally {
      await store.close();
    }
  }

  it('names its connections; backends terminated while idle and while calls wait on them fail those calls with ServiceUnavailable, and the next calls succeed, losing nothing', async () => {
    const { url, schema, name } = await startNode(E2E_POSTGRES_URL);
    const iam = iamClient(url, ROOT);
    const sts = stsClient(url, ROOT);
    const acknowledged: string[] = [];
    let reads = 0;
    const create = async (user: string): Promise<Outcome> => {
      const result = await outcome(iam.send(new CreateUserCommand({ UserName: user })));
      if (result.ok) acknowledged.push(user);
      return result;
    };
    const read = async (): Promise<Outcome> => {
      const result = await outcome(sts.send(new GetCallerIdentityCommand({})));
      if (result.ok) reads++;
      return result;
    };
    expect(await create('before')).toEqual({ ok: true });
    expect(await read()).toEqual({ ok: true });
    // Given the pool's, the audit worker's and the change feed's connections, each named
    await until(async () => (await backends(name)).some((b) => b.application_name === `${name}-audit`), 5_000, 'the audit connection');
    const names = (await backends(name)).map((b) => b.application_name);
    expect(names).toContain(name);
    expect(names.some((n) => n.startsWith(`${name}-change-feed-`))).toBe(true);

    // When every one of them is terminated while idle
    await terminate((await backends(name)).map((b) => b.pid));
    // Then the next calls succeed on new connections, the records of reads included
    expect(await create('after-idle-kill')).toEqual({ ok: true });
    expect(await read()).toEqual({ ok: true });
    expect((await outcome(iam.send(new ListUsersCommand({}))))).toEqual({ ok: true });

    // When calls wait on the database (a lock held on the users and on the audit chain) and their backends are terminated
    const locker = new pg.Client({ connectionString: E2E_POSTGRES_URL });
    await locker.connect();
    let inFlight: Outcome[];
    try {
      await locker.query('begin');
      await locker.query(`select pg_advisory_xact_lock(hashtext($1 || '.castellan.audit_chain'))`, [schema]);
      await locker.query(`lock table "${schema}".users in access exclusive mode`);
      const calls = [create('in-flight-1'), create('in-flight-2'), create('in-flight-3'),
        outcome(iam.send(new ListUsersCommand({}))), outcome(iam.send(new ListUsersCommand({}))), read()];
      await until(async () => (await backends(name, `wait_event_type = 'Lock'`)).length >= 6, 10_000, 'the calls waiting on the locks');
      await terminate((await backends(name, `state <> 'idle'`)).map((b) => b.pid));
      await locker.query('rollback');
      inFlight = await Promise.all(calls);
    } finally {
      await locker.end();
    }
    // Then those caught answer 503 ServiceUnavailable, AWS's text and nothing of the driver's
    const failed = inFlight.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    expect(failed.length).toBeGreaterThanOrEqual(5);
    for (const f of failed) {
      expect(f).toMatchObject({ name: 'ServiceUnavailable', status: 503 });
      expect(f.message).not.toMatch(/terminat|postgres|at \w+ \(|\.js:/i);
    }
    // And the next calls succeed without a restart, and the node is healthy
    expect(await create('after-in-flight-kill')).toEqual({ ok: true });
    expect(await read()).toEqual({ ok: true });
    await until(async () => (await health(url)).status === 200, 5_000, '/healthz ok');

    // When the audit worker's connection alone is terminated, then reads go on and their records are written
    await terminate((await backends(name, `application_name = '${name}-audit'`)).map((b) => b.pid));
    for (let i = 0; i < 3; i++) expect(await read()).toEqual({ ok: true });
    await until(async () => (await admin.query(`select count(*)::int as n from "${schema}".audit_events where event_name = 'GetCallerIdentity' and error_code is null`)).rows[0].n >= reads,
      5_000, 'the records of the reads');

    // And every acknowledged user is stored with its event, and the chain verifies
    await expectNothingLost(schema, acknowledged, reads);
  }, 40_000);

  it('backends terminated again and again while the node takes writes and reads: the process stays up, answers again afterwards, and loses no acknowledged call', async () => {
    // A transaction's connection ended between two statements (no query running) once had no
    // listener for its 'error' event, and the node exited at the first sweep under load.
    const { url, schema, name } = await startNode(E2E_POSTGRES_URL);
    const child = children.at(-1)!;
    const iam = iamClient(url, ROOT);
    const sts = stsClient(url, ROOT);
    const acknowledged: string[] = [];
    const failed: Array<Extract<Outcome, { ok: false }>> = [];
    let reads = 0;
    let running = true;
    const record = (result: Outcome, onOk: () => void): void => {
      if (result.ok) onOk();
      else failed.push(result);
    };
    // Each client calls at most every 70 ms: six of them stay under the 100 requests/s of one key.
    const paced = async (step: (i: number) => Promise<void>): Promise<void> => {
      for (let i = 0; running && child.exitCode === null; i++) {
        const started = Date.now();
        await step(i);
        await new Promise((r) => setTimeout(r, Math.max(0, 70 - (Date.now() - started))));
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => paced(async (i) => {
      const user = `load-${w}-${i}`;
      record(await outcome(iam.send(new CreateUserCommand({ UserName: user }))), () => acknowledged.push(user));
    }));
    const readers = Array.from({ length: 2 }, () => paced(async (i) => {
      if (i % 2 === 0) record(await outcome(iam.send(new ListUsersCommand({}))), () => {});
      else record(await outcome(sts.send(new GetCallerIdentityCommand({}))), () => reads++);
    }));

    // When the pool's backends are terminated six times while they work, and the audit worker's once
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let sweep = 0; sweep < 6 && child.exitCode === null; sweep++) {
        const pool = await backends(name, `application_name = '${name}'`);
        await terminate(pool.map((b) => b.pid));
        if (sweep === 3) await terminate((await backends(name, `application_name = '${name}-audit'`)).map((b) => b.pid));
        await new Promise((r) => setTimeout(r, 250));
      }
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      running = false;
      await Promise.all([...writers, ...readers]);
    }

    // Then the process is still up, and the calls caught answered AWS's 503, nothing of the driver's
    expect({ exitCode: child.exitCode, signal: child.signalCode }).toEqual({ exitCode: null, signal: null });
    // (each sweep fails the calls it catches; those between sweeps succeed)
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f).toMatchObject({ name: 'ServiceUnavailable', status: 503 });
      expect(f.message).not.toMatch(/terminat|postgres|at \w+ \(|\.js:/i);
    }
    // And it answers again without a restart
    const after = await outcome(iam.send(new CreateUserCommand({ UserName: 'after-load' })));
    expect(after).toEqual({ ok: true });
    acknowledged.push('after-load');
    record(await outcome(sts.send(new GetCallerIdentityCommand({}))), () => reads++);
    await until(async () => (await health(url)).status === 200, 5_000, '/healthz ok');
    // And every acknowledged user is stored with its event, every acknowledged read has its record, and the chain verifies
    await until(async () => (await admin.query(`select count(*)::int as n from "${schema}".audit_events where event_name = 'GetCallerIdentity' and error_code is null`)).rows[0].n >= reads,
      10_000, 'the records of the reads');
    await expectNothingLost(schema, acknowledged, reads);
  }, 60_000);

  it('a database that stops answering fails calls within the bound and /healthz says unavailable; once it answers again calls succeed and the waiting records are written', async () => {
    const relay = new StallingRelay();
    const port = await relay.listen();
    const target = new URL(E2E_POSTGRES_URL);
    target.port = String(port);
    try {
      const { url, schema } = await startNode(target.toString());
      const iam = iamClient(url, ROOT);
      const sts = stsClient(url, ROOT);
      expect(await outcome(iam.send(new CreateUserCommand({ UserName: 'before' })))).toEqual({ ok: true });

      // When PostgreSQL stops answering, its connections left open
      relay.stalled = true;
      const started = Date.now();
      const [mutation, list, healthz] = await Promise.all([
        outcome(iam.send(new CreateUserCommand({ UserName: 'during' }))),
        outcome(iam.send(new ListUsersCommand({}))),
        health(url),
      ]);
      // Then the calls fail as AWS's 503 within about the bound, and /healthz takes the node out
      const tookMs = Date.now() - started;
      expect(mutation).toMatchObject({ ok: false, name: 'ServiceUnavailable', status: 503 });
      expect(list).toMatchObject({ ok: false, name: 'ServiceUnavailable', status: 503 });
      expect(healthz).toEqual({ status: 503, body: { status: 'unavailable', reason: 'store-unreachable' } });
      expect(tookMs).toBeLessThan(TIMEOUT_SECONDS * 1000 * 3);
      // A read answered from what the node holds in memory is answered; its record waits, its
      // writes timing out meanwhile (queued as unavailable, not quarantined as refused)
      expect(await outcome(sts.send(new GetCallerIdentityCommand({})))).toEqual({ ok: true });
      await new Promise((r) => setTimeout(r, TIMEOUT_SECONDS * 2_000 + 500));
      expect(await health(url)).toEqual({ status: 503, body: { status: 'unavailable', reason: 'store-unreachable' } });

      // When it answers again
      relay.resume();
      // Then calls succeed on new connections, and the record of the read made meanwhile is written
      await until(async () => (await health(url)).status === 200, 10_000, '/healthz ok again');
      expect(await outcome(iam.send(new CreateUserCommand({ UserName: 'after' })))).toEqual({ ok: true });
      await until(async () => (await admin.query(`select count(*)::int as n from "${schema}".audit_events where event_name = 'GetCallerIdentity'`)).rows[0].n >= 1,
        10_000, 'the record of the read made while stalled');
      await expectNothingLost(schema, ['before', 'after'], 1);
    } finally {
      await relay.close();
    }
  }, 40_000);

  it('a key deactivated on node B while node A cannot listen stops working on A within about a second, and A hears B again once it listens', async () => {
    const a = await startNode(E2E_POSTGRES_URL);
    const b = await startNode(E2E_POSTGRES_URL, a.schema);
    const rootB = iamClient(b.url, ROOT);
    const alice = await createUserWithKey(rootB, 'alice');
    const aliceOnA = stsClient(a.url, alice);
    const listener = async () => (await backends(a.name, `application_name like '${a.name}-change-feed-%' and application_name <> '${a.name}-change-feed-publish'`)).map((r) => r.pid);
    // Given A has authenticated alice (her key is cached there) and listens
    expect(await outcome(aliceOnA.send(new GetCallerIdentityCommand({})))).toEqual({ ok: true });
    expect((await listener()).length).toBe(1);

    // When A's listening connection is ended again and again, and B deactivates her key meanwhile
    let ending = true;
    const endingLoop = (async () => {
      while (ending) {
        const pids = await listener();
        if (pids.length > 0) await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 300));
      await rootB.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Inactive' }));
      // Then A refuses her within about a second, not listening
      await until(async () => (await outcome(aliceOnA.send(new GetCallerIdentityCommand({})))).ok === false, 3_000, 'A refusing the deactivated key');
      expect(await sdkError(() => aliceOnA.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    } finally {
      ending = false;
      await endingLoop;
    }

    // When A listens again (reconnected with backoff), a change on B reaches A by notification
    await until(async () => (await listener()).length === 1, 10_000, "A's listening connection back");
    await rootB.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Active' }));
    await until(async () => (await outcome(aliceOnA.send(new GetCallerIdentityCommand({})))).ok, 3_000, 'A accepting the key again');
    await rootB.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Inactive' }));
    await until(async () => (await outcome(aliceOnA.send(new GetCallerIdentityCommand({})))).ok === false, 3_000, 'A refusing the key again');
  }, 40_000);
});
