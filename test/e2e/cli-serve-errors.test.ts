/**
 * What an operator sees when `castellan serve` cannot start: a setting it cannot use (from a flag,
 * the environment or the `--config` file) is named on one line and the exit status is 2, before
 * anything is written to the data folder; a start that fails outside the settings (the port taken,
 * a database a newer version migrated) is one line, no stack trace, and the exit status is 3.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');

/** Runs `castellan serve …` to its end (it must end by itself) and returns its status and output. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, 'serve', '--log-level', 'warn', '--trail-export-minutes', '0', ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: child.exitCode ?? (error ? -1 : 0), stdout, stderr });
    });
  });
}

describe('castellan serve start failures', () => {
  let dir: string;
  let taken: Server;
  let takenPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-serve-errors-'));
    taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => taken.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  const usage: { name: string; args: (dir: string) => string[]; env?: Record<string, string>; file?: string; says: string }[] = [
    { name: 'a master key that is not 32 bytes', args: () => ['--master-key', 'not-a-key'], says: 'castellan serve: masterKey: must be a 32-byte key' },
    { name: 'a master key from the environment that is not 32 bytes', args: () => [], env: { CASTELLAN_MASTER_KEY: 'ab'.repeat(31) }, says: 'castellan serve: masterKey: must be a 32-byte key' },
    { name: 'a config file key that is no setting', args: (d) => ['--config', join(d, 'config.json')], file: '{"prot": 8911}', says: 'config.json`: prot: is not a setting' },
    { name: 'a config file that is not an object', args: (d) => ['--config', join(d, 'config.json')], file: '["port", 8911]', says: 'config: must be a JSON object of settings' },
  ];
  for (const c of usage) {
    it(`${c.name}: one line, exit 2, nothing written`, async () => {
      const dataDir = join(dir, `usage-${usage.indexOf(c)}`);
      if (c.file) await writeFile(join(dir, 'config.json'), c.file);
      const r = await serve(['--port', '0', '--data-dir', dataDir, ...c.args(dir)], c.env);
      expect(r.stderr).toContain(c.says);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(2);
      expect(existsSync(dataDir)).toBe(false);
    });
  }

  it('a port another process listens on: one line naming it, exit 3', async () => {
    const r = await serve(['--port', String(takenPort), '--data-dir', join(dir, 'port')]);
    expect(r.stderr.trim()).toBe(`castellan serve: cannot start: 127.0.0.1:${takenPort} is already in use (another process listens there): choose another --port / --metrics-port, or stop that process`);
    expect(r.code).toBe(3);
  });

  it('a database migrated by a newer version: says so, exit 3', async () => {
    const dataDir = join(dir, 'newer');
    // A first start creates the database; then a migration this version does not know is recorded.
    const first = await serve(['--port', String(takenPort), '--data-dir', dataDir]);
    expect(first.code).toBe(3);
    const db = new BetterSqlite3(join(dataDir, 'castellan.db'));
    db.prepare("insert into kysely_migration (name, timestamp) values ('9999-from-a-newer-version', '2030-01-01T00:00:00.000Z')").run();
    db.close();
    const r = await serve(['--port', '0', '--data-dir', dataDir]);
    expect(r.stderr.trim()).toBe('castellan serve: cannot start: database migration failed: corrupted migrations: previously executed migration 9999-from-a-newer-version is missing');
    expect(r.code).toBe(3);
  });
});
