// `node bench/api/durable-writes.js [seconds]`: the machine's ceiling for durable writes, the bound
// of any mutation (issue 11). SQLite as Castellan opens it (WAL, synchronous=FULL): one-row UPDATE
// transactions on one connection, each commit one fsync of the WAL. PostgreSQL (CASTELLAN_TEST_POSTGRES_URL,
// default the local test server): one-row UPDATE transactions on 1 and 4 connections, each on its own
// row (PostgreSQL's WAL flush already groups the commits of concurrent connections).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { POSTGRES_URL } from './run-support.js';

const seconds = Number(process.argv[2] ?? 3);

function sqliteCommits() {
  const dir = mkdtempSync(join(tmpdir(), 'castellan-durable-writes-'));
  try {
    const db = new BetterSqlite3(join(dir, 'c.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('create table t (id integer primary key, v integer)');
    db.prepare('insert into t values (1, 0)').run();
    const begin = db.prepare('begin immediate');
    const update = db.prepare('update t set v = v + 1 where id = 1');
    const commit = db.prepare('commit');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < seconds * 1000) {
      begin.run();
      update.run();
      commit.run();
      n++;
    }
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    db.close();
    return { commitsPerSecond: Math.round(n / elapsed), cpuMicrosPerCommit: Math.round((cpu.user + cpu.system) / n) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresCommits(connections) {
  const table = `castellan_durable_writes_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create table ${table} (id int primary key, v bigint)`);
  try {
    await admin.query(`insert into ${table} select g, 0 from generate_series(0, ${connections - 1}) g`);
    const clients = await Promise.all(Array.from({ length: connections }, async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      return c;
    }));
    const t0 = performance.now();
    let n = 0;
    await Promise.all(clients.map(async (c, id) => {
      while (performance.now() - t0 < seconds * 1000) {
        await c.query('begin');
        await c.query(`update ${table} set v = v + 1 where id = $1`, [id]);
        await c.query('commit');
        n++;
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    await Promise.all(clients.map((c) => c.end()));
    return { connections, commitsPerSecond: Math.round(n / elapsed) };
  } finally {
    await admin.query(`drop table ${table}`);
    await admin.end();
  }
}

const sqlite = sqliteCommits();
console.log(`SQLite WAL synchronous=FULL, 1 connection: ${sqlite.commitsPerSecond} commits/s (${sqlite.cpuMicrosPerCommit} µs CPU per commit)`);
for (const connections of [1, 4]) {
  const r = await postgresCommits(connections);
  console.log(`PostgreSQL, ${connections} connection(s): ${r.commitsPerSecond} commits/s`);
}
