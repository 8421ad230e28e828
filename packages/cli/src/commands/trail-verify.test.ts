import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditStore, type FindingKind } from '@castellan/server/audit';
import { sampleEvent } from '../../../server/src/audit/test-audit-rows.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { registerTrailCommands, TRAIL_HELP } from './trail-command.js';
import { progressBar, VERIFY_HELP } from './trail-verify.js';

let dataDir: string;
let out: string[];
let err: string[];
let progress: string[];
const io: CliIo = {
  out: (t) => out.push(t),
  err: (t) => err.push(t),
  readFile: async () => '',
  loadCatalog: async () => {
    throw new Error('not needed');
  },
  now: () => new Date('2026-02-01T00:00:00Z'),
};

async function castellan(...args: string[]): Promise<ExitCode> {
  let code: ExitCode = ExitCode.Ok;
  const program = new Command('castellan').exitOverride();
  registerTrailCommands(program, io, (c) => (code = c), { progress: { isTTY: false, write: (t) => progress.push(t) }, env: {} });
  await program.parseAsync(args, { from: 'user' });
  return code;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'castellan-cli-trail-'));
  out = [];
  err = [];
  progress = [];
  // Given a data folder whose database holds twenty events
  const store = await openAuditStore({ dataDir }, { create: true });
  await store.appendAuditEvents(Array.from({ length: 20 }, (_, i) => sampleEvent(i + 1)));
  await store.close();
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the progress bar', () => {
  it('erases its line on a terminal before each draw and when done, so no residue is left', () => {
    const written: string[] = [];
    const bar = progressBar({ isTTY: true, write: (t) => written.push(t) });
    bar.draw('store', 1000, 1000);
    bar.draw('export', 1, 2);
    bar.finish();
    expect(written).toEqual([
      '\r\x1b[2K[##############################] 100% stored events 1000/1000',
      '\r\x1b[2K[###############---------------]  50% exported files 1/2',
      '\r\x1b[2K',
    ]);
  });

  it('writes nothing when nothing was drawn', () => {
    const written: string[] = [];
    progressBar({ isTTY: false, write: (t) => written.push(t) }).finish();
    expect(written).toEqual([]);
  });
});

describe('castellan trail', () => {
  it('exports, then verifies an untouched trail with exit code 0', async () => {
    expect(await castellan('trail', 'export', '--data-dir', dataDir)).toBe(ExitCode.Ok);
    expect(out.at(-1)).toMatch(/^exported 20 event\(s\) in 1 log file\(s\) to .*trail \(through seq 20\)$/);
    expect(await castellan('trail', 'verify', '--data-dir', dataDir)).toBe(ExitCode.Ok);
    expect(out.at(-1)).toBe('trail verified: 20 stored event(s) checked, 1 digest(s) and 1 log file(s) checked');
    expect(progress).toEqual([]);
  });

  it('reports an edited record with exit code 1', async () => {
    const db = new BetterSqlite3(join(dataDir, 'castellan.db'));
    db.prepare(`update audit_events set record = replace(record, 'user-7', 'user-X') where seq = 7`).run();
    db.close();
    expect(await castellan('trail', 'verify', '--data-dir', dataDir)).toBe(ExitCode.Failure);
    expect(out).toContainEqual(expect.stringMatching(/^record-modified\tstore\tseq 7\t/));
    expect(out.at(-1)).toBe('1 finding(s): 20 stored event(s) checked, no export folder');
  });

  it('reports a removed digest with exit code 1, and draws progress with --progress', async () => {
    await castellan('trail', 'export', '--data-dir', dataDir);
    const digestDir = join(dataDir, 'trail', 'AWSLogs', '123456789012', 'CloudTrail-Digest', 'us-east-1', '2026', '02', '01');
    const digest = (await readdir(digestDir)).find((f) => f.endsWith('.json.gz'))!;
    await unlink(join(digestDir, digest));
    expect(await castellan('trail', 'verify', '--data-dir', dataDir, '--progress', '--json')).toBe(ExitCode.Failure);
    const result = JSON.parse(out.at(-1)!);
    expect(result.ok).toBe(false);
    expect(result.findings.map((f: { kind: string }) => f.kind)).toEqual(['file-unlisted']);
    expect(progress.join('')).toContain('100% stored events 20/20');
    // Not a terminal: carriage returns redraw the line, and the last line is ended.
    expect(progress.join('')).not.toContain('\x1b[');
    expect(progress.at(-1)).toBe('\n');
  });

  it('exports with retention, and what remains still verifies', async () => {
    // io.now() is 2026-02-01; the events are from 2026-01-01
    expect(await castellan('trail', 'export', '--data-dir', dataDir, '--retention-days', '7')).toBe(ExitCode.Ok);
    expect(out.at(-1)).toMatch(/deleted 20 event\(s\) older than 7 day\(s\)$/);
    expect(await castellan('trail', 'verify', '--data-dir', dataDir)).toBe(ExitCode.Ok);
    // And removing the export, the only copy of the deleted events, is a finding
    await rm(join(dataDir, 'trail'), { recursive: true, force: true });
    expect(await castellan('trail', 'verify', '--data-dir', dataDir)).toBe(ExitCode.Failure);
    expect(out).toContainEqual(expect.stringMatching(/^digest-missing\texport\t.*the export was removed$/));
  });

  it.each([
    ['verify'],
    ['export'],
    ['public-key'],
  ])('trail %s refuses a folder that holds no server data, and creates nothing there', async (command) => {
    const empty = await mkdtemp(join(tmpdir(), 'castellan-cli-empty-'));
    try {
      expect(await castellan('trail', command, '--data-dir', empty)).toBe(ExitCode.Error);
      expect(err.at(-1)).toMatch(new RegExp(`^castellan trail ${command}: no (Castellan database|trail signing key) in \`${empty}\``));
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('prints the public key and refuses bad options', async () => {
    // The server (here: the first export) creates the key pair.
    await castellan('trail', 'export', '--data-dir', dataDir);
    out = [];
    expect(await castellan('trail', 'public-key', '--data-dir', dataDir)).toBe(ExitCode.Ok);
    expect(out[0]).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(out.at(-1)).toMatch(/^fingerprint: [0-9a-f]{32}$/);
    // A bad option value is a bad command line (exit 2), as `trail verify --help` says.
    expect(await castellan('trail', 'verify', '--data-dir', dataDir, '--from', 'yesterday')).toBe(ExitCode.Usage);
    expect(err.at(-1)).toContain('--from `yesterday` is not an ISO 8601 time');
    expect(await castellan('trail', 'verify', '--data-dir', dataDir, '--from', '2026-02-01T00:00:00Z', '--to', '2026-01-01T00:00:00Z')).toBe(ExitCode.Usage);
    expect(await castellan('trail', 'export', '--data-dir', dataDir, '--retention-days', '0')).toBe(ExitCode.Usage);
    expect(await castellan('trail', 'export', '--data-dir', dataDir, '--region', 'US East')).toBe(ExitCode.Usage);
    // A folder with no database is not a bad command line: the command could not run (3).
    expect(await castellan('trail', 'verify', '--data-dir', join(dataDir, 'none'))).toBe(ExitCode.Error);
  });
});

describe('castellan trail --help', () => {
  it('documents every kind of finding, the exit codes and the export layout', async () => {
    const kinds: FindingKind[] = [
      'record-modified', 'record-deleted', 'record-inserted', 'record-reordered', 'checkpoint-mismatch', 'anchor-mismatch', 'file-modified', 'file-missing',
      'file-unlisted', 'digest-missing', 'digest-modified', 'digest-unreadable', 'digest-signature-missing', 'digest-signature-invalid', 'digest-unlisted', 'digest-chain-broken',
      'journal-invalid',
    ];
    for (const k of kinds) expect(VERIFY_HELP).toContain(k);
    expect(VERIFY_HELP).toMatch(/Exit codes: 0 .*; 1 .*; 2 .*; 3 /);
    expect(TRAIL_HELP).toContain('CloudTrail-Digest');
    expect(TRAIL_HELP).toContain('.json.gz.sig');
  });
});
