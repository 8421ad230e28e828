import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openAuditStore } from './open-audit-store.js';
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
