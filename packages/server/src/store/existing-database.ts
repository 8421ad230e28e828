/**
 * Whether a location holds a Castellan database, for the commands that work on an existing
 * deployment (`castellan account|workload|root|trail …`): only `castellan serve` (and the documented
 * set-up steps) create one. Opening a store migrates it, so without this check a command pointed at
 * the wrong PostgreSQL schema would create the whole schema there.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** The server's SQLite database inside its data folder (as `castellan serve` names it). */
export const SQLITE_DATABASE_FILE = 'castellan.db';

/** Where a command looks for the deployment's database. */
export interface DatabaseLocation {
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; may carry `?schema=name`. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema. Default: the URL's `schema` parameter, else `public`. */
  schema?: string | undefined;
}

/** A sentence naming what is missing when `location` holds no Castellan database; `undefined` when it does. */
export async function missingDatabaseProblem(location: DatabaseLocation): Promise<string | undefined> {
  if (!location.databaseUrl) {
    if (existsSync(join(location.dataDir, SQLITE_DATABASE_FILE))) return undefined;
    return `no Castellan database in \`${location.dataDir}\` (\`${SQLITE_DATABASE_FILE}\` is missing): give the server's --data-dir, or --database-url for PostgreSQL`;
  }
  const url = new URL(location.databaseUrl);
  const schema = location.schema ?? url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ found: string | null }>('select to_regclass($1) as found', [`"${schema.replace(/"/g, '""')}".audit_events`]);
    if (rows[0]?.found) return undefined;
    return `no Castellan database in PostgreSQL schema \`${schema}\` (it has no audit_events table): check --database-url and --schema`;
  } finally {
    await client.end();
  }
}
