import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV } from '@castellan/server';
import type { CliIo } from './cli-io.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerServe, startAnnouncement, startBanner, startFailure, tuneRuntimeForServing } from './serve.js';
import type { ServerConfig } from '@castellan/server';

describe('tuneRuntimeForServing', () => {
  it('leaves young-generation collection alone when Node was given a parallel-scavenge flag', () => {
    expect(tuneRuntimeForServing(['--parallel-scavenge'], '')).toBe(false);
    expect(tuneRuntimeForServing([], '--max-old-space-size=512 --no-parallel_scavenge')).toBe(false);
  });

  it('turns parallel scavenging off otherwise', () => {
    expect(tuneRuntimeForServing(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(true);
  });
});

describe('startBanner: how root gets a console password', () => {
  const server = { url: 'http://127.0.0.1:8910', accountId: '123456789012', bootstrap: { rootAccessKeyId: 'AKIAEXAMPLEROOT00001', rootSecretAccessKey: 'secret' } };
  // `root set-password` must open the server's own storage, so the hint names it (a URL is not
  // repeated: it may hold a password); in memory there is none the command could open.
  const cases: { name: string; config: Partial<ServerConfig>; says: string; never?: string }[] = [
    { name: 'SQLite in the default folder', config: { dataDir: './data' }, says: '`castellan root set-password --data-dir ./data`' },
    { name: 'SQLite in a folder of its own', config: { dataDir: '/srv/castellan' }, says: '`castellan root set-password --data-dir /srv/castellan`' },
    { name: 'a folder with a space, quoted', config: { dataDir: "/srv/my data's" }, says: `--data-dir '/srv/my data'\\''s'\`` },
    { name: 'PostgreSQL, its URL not printed', config: { dataDir: './data', databaseUrl: 'postgres://u:hunter2@db/castellan' }, says: '--database-url <the same URL>', never: 'hunter2' },
    { name: 'ephemeral: no set-password', config: { dataDir: './data', ephemeral: true }, says: 'sign in as an IAM user with a login profile', never: 'set-password' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const banner = startBanner(server, { region: 'us-east-1', ephemeral: false, ...c.config } as ServerConfig);
      const line = banner.split('\n').find((l) => l.startsWith('The web console:'))!;
      expect(line).toContain(c.says);
      if (c.never) expect(banner).not.toContain(c.never);
    });
  }
});

describe('startAnnouncement: warnings after the banner', () => {
  const server = { url: 'http://127.0.0.1:8910', accountId: '123456789012', bootstrap: { rootAccessKeyId: 'AKIAEXAMPLEROOT00001' } };
  const base = { region: 'us-east-1', ephemeral: false, dataDir: './data', trustedProxies: [] as string[] };
  // Castellan serves plain http: an https console origin without a trusted proxy means the session
  // cookie is never Secure, which the operator should hear at start.
  it.each([
    { name: 'an https console origin with no trusted proxy', config: { consoleOrigin: 'https://iam.example.com' }, warns: true },
    { name: 'an https console origin behind a trusted proxy', config: { consoleOrigin: 'https://iam.example.com', trustedProxies: ['10.0.0.5'] }, warns: false },
    { name: 'a localhost console origin over http', config: { consoleOrigin: 'http://localhost:8910' }, warns: false },
    { name: 'no console origin', config: {}, warns: false },
  ])('$name', ({ config, warns }) => {
    const text = startAnnouncement(server, { ...base, ...config } as ServerConfig);
    expect(text.startsWith(startBanner(server, { ...base, ...config } as ServerConfig))).toBe(true);
    const warning = text.split('\n').find((l) => l.startsWith('Warning: '));
    if (warns) expect(warning).toMatch(/--console-origin is https:\/\/iam\.example\.com, .*without Secure.*--trusted-proxies/);
    else expect(warning).toBeUndefined();
  });
});

describe('startBanner: the root access key', () => {
  type Bootstrap = { rootAccessKeyId?: string; rootSecretAccessKey?: string; createdAccount?: boolean; rootAccessKeyInactive?: true; rootKeyless?: true };
  const server = (bootstrap: Bootstrap) => ({ url: 'http://127.0.0.1:8910', accountId: '123456789012', bootstrap: { ...(bootstrap.rootKeyless ? {} : { rootAccessKeyId: 'AKIAEXAMPLEROOT00001' }), ...bootstrap } });
  const config = { region: 'us-east-1', ephemeral: false, dataDir: './data' } as ServerConfig;
  const cases: { name: string; bootstrap: Bootstrap; says: string; never: string }[] = [
    { name: 'first start: the new key, once', bootstrap: { rootSecretAccessKey: 'new-secret', createdAccount: true }, says: 'shown this once: keep it safe', never: 'has no access key' },
    { name: 'a later start keeps the key and hides its secret', bootstrap: { createdAccount: false }, says: 'its secret was printed when it was generated', never: 'has no access key' },
    // Every root key deleted (best practice 1): no key is made again; the banner says how to make one on purpose.
    { name: 'a start with root keyless offers no key and names the recovery command', bootstrap: { createdAccount: false, rootKeyless: true }, says: 'castellan root create-access-key --data-dir ./data', never: 'export AWS_ACCESS_KEY_ID' },
    // Root's key deactivated (best practice 1): no example that exports it, which would only fail.
    { name: 'a deactivated root key is not offered', bootstrap: { createdAccount: false, rootAccessKeyInactive: true }, says: "Root's access key AKIAEXAMPLEROOT00001 is Inactive", never: 'export AWS_ACCESS_KEY_ID' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const banner = startBanner(server(c.bootstrap), config);
      expect(banner).toContain(c.says);
      expect(banner).not.toContain(c.never);
      if (c.bootstrap.rootSecretAccessKey) expect(banner).toContain(`export AWS_SECRET_ACCESS_KEY=${c.bootstrap.rootSecretAccessKey}`);
    });
  }
});

describe('startFailure', () => {
  const sys = (code: string, message: string, extra: object = {}) => Object.assign(new Error(message), { code, ...extra });
  const sqlite = { dataDir: '/srv/castellan' };
  const cases: { name: string; error: Error; config?: { dataDir: string; databaseUrl?: string }; says: string[] }[] = [
    { name: 'a port in use', error: sys('EADDRINUSE', 'listen EADDRINUSE: address already in use 127.0.0.1:8910', { address: '127.0.0.1', port: 8910 }), says: ['127.0.0.1:8910 is already in use', '--port'] },
    { name: 'an IPv6 port in use', error: sys('EADDRINUSE', 'listen EADDRINUSE', { address: '::1', port: 8910 }), says: ['[::1]:8910 is already in use'] },
    { name: 'a privileged port', error: sys('EACCES', 'listen EACCES: permission denied 0.0.0.0:80', { address: '0.0.0.0', port: 80 }), says: ['not allowed to listen on 0.0.0.0:80'] },
    { name: 'an address not of this machine', error: sys('EADDRNOTAVAIL', 'listen EADDRNOTAVAIL', { address: '10.9.9.9', port: 8910 }), says: ['10.9.9.9:8910 is not an address of this machine', '--host'] },
    { name: 'a folder it may not write', error: sys('EACCES', "EACCES: permission denied, open '/srv/castellan/master.key'"), says: ['/srv/castellan', 'writable'] },
    { name: 'a read-only file system', error: sys('EROFS', 'EROFS: read-only file system'), says: ['/srv/castellan', 'cannot be written'] },
    { name: 'a full disk', error: sys('SQLITE_FULL', 'database or disk is full'), says: ['no space left', '/srv/castellan'] },
    { name: 'a wrapped failure: with its cause', error: new Error('database migration failed', { cause: new Error('corrupted migrations: expected previously executed migration 0099-future to be among the migrations') }), says: ['database migration failed: corrupted migrations', '0099-future'] },
    { name: 'anything else: its message', error: new Error('connect ECONNREFUSED 127.0.0.1:5432'), config: { dataDir: './data', databaseUrl: 'postgres://db/castellan' }, says: ['connect ECONNREFUSED 127.0.0.1:5432'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const line = startFailure(c.error, c.config ?? sqlite);
      for (const s of c.says) expect(line).toContain(s);
      expect(line).not.toContain('\n');
    });
  }
});

// An operator reads the README's table, not the code: every setting must be in it.
describe('README Configuration table', () => {
  it('lists every setting\'s environment variable', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    const rows = section.split('\n').filter((l) => l.startsWith('|'));
    const missing = Object.values(CONFIG_ENV).filter((name) => !rows.some((row) => row.includes(`\`${name}\``)));
    expect(missing).toEqual([]);
  });
});

describe('castellan serve --help', () => {
  // Settings read from the environment (or --config) with no flag of their own; none today.
  const NO_FLAG: readonly string[] = [];
  const serveOptions = () => {
    const program = new Command();
    registerServe(program, {} as CliIo, () => {});
    return program.commands.find((c) => c.name() === 'serve')!.options;
  };

  // The README's Configuration table gives every setting's variable; the help says the same.
  it('names the environment variable of every setting that has one', () => {
    const env: Record<string, string> = CONFIG_ENV;
    const checked = serveOptions().filter((o) => env[o.attributeName()] !== undefined);
    const missing = checked.filter((o) => !(o.description ?? '').includes(env[o.attributeName()]!)).map((o) => o.long);
    expect(missing).toEqual([]);
    expect(checked.length).toBeGreaterThan(0);
  });

  // Without this, a renamed flag or setting would drop out of the check above unnoticed.
  it('has a flag for every setting, or lists it as having none', () => {
    const flags = new Set(serveOptions().map((o) => o.attributeName()));
    expect(Object.keys(CONFIG_ENV).filter((k) => !flags.has(k) && !NO_FLAG.includes(k))).toEqual([]);
    expect(NO_FLAG.filter((k) => flags.has(k) || !(k in CONFIG_ENV))).toEqual([]);
  });
});
