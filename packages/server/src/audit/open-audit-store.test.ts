import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openAuditStore } from './open-audit-store.js';
import { sampleEvent } from './test-audit-rows.js';
import { TEST_DIALECTS } from './test-audit-store.js';

const POSTGRES_URL = process.env['CASTELLAN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('openAuditStore', () => {
  it('refuses a data folder without a database instead of creating an empty one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castellan-open-audit-'));
    try {
      await expect(openAuditStore({ dataDir: dir })).rejects.toThrow(`no Castellan database in \`${dir}\` (\`castellan.db\` is missing)`);
      expect(await readdir(dir)).toEqual([]);
      // With `create`, as tests that seed a store do, it is created; then it opens without.
      await (await openAuditStore({ dataDir: dir }, { create: true })).close();
      await (await openAuditStore({ dataDir: dir })).close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('needs the master key the chain was keyed with: CASTELLAN_MASTER_KEY, else the data folder\'s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castellan-open-audit-'));
    try {
      // Given a store created (with its key file) and an event appended
      const store = await openAuditStore({ dataDir: dir }, { create: true, env: {} });
      const [chain] = await store.appendAuditEvents([sampleEvent(1)]);
      await store.close();
      // Then it opens with the key file and recomputes the same hash
      const again = await openAuditStore({ dataDir: dir }, { env: {} });
      const [row] = await again.scanAuditEvents({ fromSeq: 1, limit: 1 });
      expect(again.auditChainHash(row!.prevHash, 1, row!)).toBe(chain!.hash);
      await again.close();
      // And the key in the environment wins over the file
      const key = randomBytes(32);
      const other = await openAuditStore({ dataDir: dir }, { env: { CASTELLAN_MASTER_KEY: key.toString('base64') } });
      expect(other.auditChainHash(row!.prevHash, 1, row!)).not.toBe(chain!.hash);
      await other.close();
      // Without either, it refuses to open
      await rm(join(dir, 'master.key'));
      await expect(openAuditStore({ dataDir: dir }, { env: {} })).rejects.toThrow(/no master key: .*CASTELLAN_MASTER_KEY/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.runIf(TEST_DIALECTS.includes('postgres'))('refuses a PostgreSQL schema without Castellan tables and does not create it', async () => {
    const schema = `audit_open_${randomBytes(6).toString('hex')}`;
    await expect(openAuditStore({ dataDir: '/nonexistent', databaseUrl: POSTGRES_URL, schema })).rejects.toThrow(`no Castellan database in PostgreSQL schema \`${schema}\``);
    await expect(openAuditStore({ dataDir: '/nonexistent', databaseUrl: `${POSTGRES_URL}?schema=${schema}` })).rejects.toThrow(`schema \`${schema}\``);
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query('select 1 from information_schema.schemata where schema_name = $1', [schema]);
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
