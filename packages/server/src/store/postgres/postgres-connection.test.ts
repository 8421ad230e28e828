import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDialects, TEST_POSTGRES_URL } from '../testing.js';
import { StoreUnavailableError } from '../store-errors.js';
import { boundedWaits, connectionName, isPgConnectionFailure, postgresTarget } from './postgres-connection.js';
import { translatePostgresError } from './postgres-errors.js';

describe('postgresTarget', () => {
  it.each([
    ['postgres://u@h:5432/db', { connectionString: 'postgres://u@h:5432/db', applicationName: 'castellan' }],
    ['postgres://u@h:5432/db?schema=iam', { connectionString: 'postgres://u@h:5432/db', schema: 'iam', applicationName: 'castellan' }],
    ['postgres://u@h:5432/db?application_name=node-a&sslmode=require', { connectionString: 'postgres://u@h:5432/db?sslmode=require', applicationName: 'node-a' }],
    ['postgres://u@h:5432/db?application_name=&schema=s', { connectionString: 'postgres://u@h:5432/db', schema: 's', applicationName: 'castellan' }],
  ])('%s', (url, expected) => {
    expect(postgresTarget(url)).toEqual(expected);
  });
});

describe('connectionName', () => {
  it.each([
    ['castellan', undefined, 'castellan'],
    ['castellan', 'audit', 'castellan-audit'],
    ['node-a', 'change-feed-publish', 'node-a-change-feed-publish'],
    // PostgreSQL keeps 63 bytes, cut on a character boundary
    ['n'.repeat(60), 'audit', `${'n'.repeat(60)}-au`],
    ['é'.repeat(40), undefined, 'é'.repeat(31)],
  ])('%s, %s', (applicationName, role, expected) => {
    expect(connectionName({ connectionString: '', applicationName }, role)).toBe(expected);
  });
});

describe("pg's errors of a lost connection or an unanswered wait", () => {
  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Query read timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
  ])('%s is unavailable', (message) => {
    expect(translatePostgresError(new Error(message))).toBeInstanceOf(StoreUnavailableError);
  });

  it.each([
    ['57014', 'canceling statement due to statement timeout'],
    ['55P03', 'canceling statement due to lock timeout'],
    ['25P03', 'terminating connection due to idle-in-transaction timeout'],
  ])('the database ending a wait past its bound (SQLSTATE %s) is unavailable', (code, message) => {
    expect(translatePostgresError(Object.assign(new Error(message), { code }))).toBeInstanceOf(StoreUnavailableError);
  });

  it.each([
    ['a refusal with a SQLSTATE, whatever its text', Object.assign(new Error('Query read timeout'), { code: '22001' })],
    ['another message', new Error('Query values must be an array')],
    ['not an Error', 'Connection terminated unexpectedly'],
  ])('%s is not', (_, error) => {
    expect(isPgConnectionFailure(error)).toBe(false);
  });
});

describe.skipIf(!testDialects().includes('postgres'))('boundedWaits in the database', () => {
  it('a statement past the bound is ended by the database too, releasing its locks, not only given up by the driver', async () => {
    const key = 0x5eed_0000 + Math.floor(Math.random() * 0xffff);
    const bounded = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 1, ...boundedWaits(500) });
    const other = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await other.connect();
    try {
      const client = await bounded.connect();
      try {
        await client.query('begin');
        await client.query('select pg_advisory_xact_lock($1)', [key]);
        await expect(client.query('select pg_sleep(5)')).rejects.toThrow();
      } finally {
        client.release(true);
      }
      // The lock the stalled transaction held is free within a moment (with only the driver's
      // timer, the database kept it for the whole sleep).
      const deadline = Date.now() + 2_000;
      let free = false;
      while (!free && Date.now() < deadline) {
        free = (await other.query('select pg_try_advisory_lock($1) as ok', [key])).rows[0].ok === true;
        if (!free) await new Promise((r) => setTimeout(r, 100));
      }
      expect(free).toBe(true);
      await other.query('select pg_advisory_unlock($1)', [key]);
    } finally {
      await other.end();
      await bounded.end();
    }
  });

  it("the database's own ends of a statement or a lock wait past the bound are unavailable, as the driver's are", async () => {
    const key = 0x5eed_0000 + Math.floor(Math.random() * 0xffff);
    // The driver's timer later than the database's, so that the database's answer is the one seen.
    const bounded = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 1, ...boundedWaits(300), query_timeout: 10_000 });
    const other = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [key]);
      const slow = await bounded.query('select pg_sleep(5)').then(() => undefined, (err: unknown) => err);
      // (the lock wait alone past its bound: the statement's own bound raised for it)
      const waiting = await bounded.connect().then(async (client) => {
        try {
          await client.query('set statement_timeout = 5000');
          return await client.query('select pg_advisory_lock($1)', [key]).then(() => undefined, (err: unknown) => err);
        } finally {
          client.release(true);
        }
      });
      expect([(slow as { code?: string }).code, (waiting as { code?: string }).code]).toEqual(['57014', '55P03']);
      expect(translatePostgresError(slow)).toBeInstanceOf(StoreUnavailableError);
      expect(translatePostgresError(waiting)).toBeInstanceOf(StoreUnavailableError);
    } finally {
      await other.end();
      await bounded.end();
    }
  });
});
