// What the benchmark runners share besides processes and statistics: the bench account and root
// key, the PostgreSQL they put their schemas in, positive-integer arguments, number formatting, and
// cleanup that runs on success, failure and Ctrl-C alike (servers, folders and schemas never stay).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL = process.env['CASTELLAN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ACCOUNT_ID = '210987654321';
export const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: `bench-root-${randomBytes(16).toString('hex')}` };

/** The `--name` argument of `args` (from `parseArgs`) as a positive integer; `_` may group digits. */
export function positiveArg(args, name) {
  const n = Number(args[name].replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got \`${args[name]}\``);
  return n;
}

/** A number with thousands separators and `digits` decimals; `-` for none. */
export const fmt = (n, digits = 0) => (n === null || n === undefined ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

/** Runs `fn` with a connected administrative PostgreSQL client, and closes it. */
export async function withPostgresAdmin(fn) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The run's cleanups, newest first: `register(fn)` adds one and answers its removal, `cleanupAll()`
 * runs them all (a failing one is reported, the others still run). On SIGINT, SIGTERM or SIGHUP it
 * says `onSignal` (what is being removed), cleans up and exits; `stopping()` is then true, so the
 * run's own error need not be reported. `runMain(main)` runs the benchmark, reports its failure
 * (exit code 1) and cleans up in every case.
 */
export function runCleanups(onSignal) {
  const cleanups = new Set();
  let stopping = false;
  const register = (fn) => {
    cleanups.add(fn);
    return () => cleanups.delete(fn);
  };
  async function cleanupAll() {
    for (const fn of [...cleanups].reverse()) {
      cleanups.delete(fn);
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup failed: ${err?.stack ?? err}`);
      }
    }
  }
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(signal, () => {
      stopping = true;
      console.error(`\n${signal}: ${onSignal}`);
      void cleanupAll().finally(() => process.exit(code));
    });
  }
  async function runMain(main) {
    try {
      await main();
    } catch (err) {
      // After a signal, an error from a server or store being torn down is the cleanup, not a failure.
      if (!stopping) console.error(err?.stack ?? err);
      process.exitCode = 1;
    } finally {
      await cleanupAll();
    }
  }
  return { register, cleanupAll, runMain };
}
