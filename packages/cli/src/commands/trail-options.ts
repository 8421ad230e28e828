/**
 * Options shared by the `castellan trail` commands: where the store, the export folder, the master
 * key (which keys the audit chain) and the signing key are. Defaults follow `castellan serve`: `CASTELLAN_DATA_DIR` or `./data`, and
 * `CASTELLAN_DATABASE_URL` for PostgreSQL.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_EXPORT_DIR } from '@castellan/server/audit';

/** The options as commander parses them. */
export interface TrailLocationOptions {
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  exportDir?: string;
}

/** Where things are, after defaults. */
export interface TrailLocation {
  dataDir: string;
  databaseUrl?: string;
  schema?: string;
  exportDir: string;
}

/** Adds `--data-dir`, `--database-url`, `--schema` and `--export-dir` to a command. */
export function addLocationOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'the server\'s data folder (SQLite database, master key unless $CASTELLAN_MASTER_KEY, signing key); default $CASTELLAN_DATA_DIR or ./data')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of the SQLite database; default $CASTELLAN_DATABASE_URL')
    .option('--schema <name>', 'PostgreSQL schema (default public)')
    .option('--export-dir <dir>', 'the export folder (AWSLogs/…); default <data-dir>/trail');
}

/** Applies the defaults. */
export function resolveLocation(opts: TrailLocationOptions, env: Record<string, string | undefined>): TrailLocation {
  const dataDir = opts.dataDir ?? env['CASTELLAN_DATA_DIR'] ?? './data';
  const databaseUrl = opts.databaseUrl ?? (env['CASTELLAN_DATABASE_URL'] || undefined);
  return {
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(opts.schema ? { schema: opts.schema } : {}),
    exportDir: opts.exportDir ?? join(dataDir, DEFAULT_EXPORT_DIR),
  };
}

/** Parses an ISO 8601 time option, or explains why it is not one. */
/** A bad option value: the command ends with exit code 2 (bad command line), as `trail verify --help` says. */
export class TrailOptionError extends Error {}

export function parseTimeOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new TrailOptionError(`--${name} \`${value}\` is not an ISO 8601 time (e.g. 2026-01-31T12:00:00Z)`);
  return new Date(t);
}
