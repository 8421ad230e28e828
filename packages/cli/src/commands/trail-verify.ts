/**
 * `castellan trail verify [--from --to] [--data-dir | --database-url] [--export-dir]`: walks the
 * stored hash chain (from the retention checkpoint) and the exported files and digest chain, and
 * prints one line per finding (record modified, deleted, inserted, reordered; file modified,
 * missing or unlisted; digest missing, modified or badly signed). Exit code 1 on any finding.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  describePublicKey,
  loadOrCreateSigningKey,
  openAuditStore,
  PUBLIC_KEY_FILE,
  readPublicKeyFile,
  SIGNING_KEY_FILE,
  verifyTrail,
  type Finding,
  type TrailPublicKey,
  type TrailVerifyResult,
} from '@castellan/server/audit';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { addLocationOptions, parseTimeOption, resolveLocation, TrailOptionError, type TrailLocationOptions } from './trail-options.js';

/** The parts of the process the command uses besides `CliIo`. */
export interface TrailEnv {
  /** Where the progress bar goes (stderr); it is drawn only on a TTY or with `--progress`. */
  progress: { isTTY?: boolean; write(text: string): unknown };
  env: Record<string, string | undefined>;
}

interface VerifyOptions extends TrailLocationOptions {
  from?: string;
  to?: string;
  publicKey?: string[];
  store: boolean;
  export: boolean;
  progress?: boolean;
  json?: boolean;
}

/** One finding as a line of text. */
export function formatFinding(f: Finding): string {
  const where = f.seq !== undefined ? `seq ${f.seq}` : f.key ?? '';
  return `${f.kind}\t${f.where}\t${where}\t${f.message}`;
}

/** What the progress bar calls each phase. */
const PHASE_LABELS: Readonly<Record<string, string>> = { export: 'exported files', store: 'stored events' };

/**
 * The progress bar: `[#####-----]  50% stored events 500/1000`, redrawn in place. On a terminal
 * each draw erases the previous line (a shorter line leaves no residue) and `finish` erases the
 * bar, so the findings that follow start on a clean line; elsewhere (`--progress` into a log)
 * `finish` ends the last line.
 */
export function progressBar(out: TrailEnv['progress']): { draw: (phase: string, done: number, total: number) => void; finish: () => void } {
  let last = '';
  const erase = out.isTTY ? '\r\x1b[2K' : '\r';
  return {
    draw(phase, done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const filled = Math.round(ratio * width);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${PHASE_LABELS[phase] ?? phase} ${done}/${total}`;
      if (line !== last) out.write(erase + line);
      last = line;
    },
    finish() {
      if (last !== '') out.write(out.isTTY ? '\r\x1b[2K' : '\n');
      last = '';
    },
  };
}

/** Runs the verification with parsed options; returns the exit code. */
export async function runTrailVerify(opts: VerifyOptions, io: CliIo, env: TrailEnv): Promise<ExitCode> {
  const location = resolveLocation(opts, env.env);
  const from = parseTimeOption('from', opts.from);
  const to = parseTimeOption('to', opts.to);
  if (from && to && from > to) throw new TrailOptionError('--from must not be after --to');
  const checkExport = opts.export && existsSync(location.exportDir);
  if (opts.export && !checkExport && opts.exportDir) throw new Error(`export folder \`${location.exportDir}\` does not exist`);
  if (!opts.store && !checkExport) throw new Error('nothing to verify: --no-store was given and there is no export folder');

  let publicKeys: TrailPublicKey[] = [];
  if (checkExport) publicKeys = await loadPublicKeys(opts.publicKey, location.dataDir);
  // A missing default export folder is still passed: if retention deleted exported events, their
  // export must exist, and its absence is a finding.
  const exportDir = opts.export ? location.exportDir : undefined;
  const bar = opts.progress || env.progress.isTTY ? progressBar(env.progress) : undefined;
  const store = opts.store ? await openAuditStore(location) : undefined;
  let result: TrailVerifyResult;
  try {
    result = await verifyTrail({
      ...(store ? { store } : {}),
      ...(exportDir !== undefined ? { exportDir, publicKeys } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(bar ? { onProgress: bar.draw } : {}),
      exportIntervalMs: exportMinutes(env.env) * 60_000,
      now: io.now(),
    });
  } finally {
    bar?.finish();
    await store?.close();
  }
  if (opts.json) {
    io.out(JSON.stringify({ ok: result.findings.length === 0, ...result }, null, 2));
  } else {
    for (const f of result.findings) io.out(formatFinding(f));
    for (const w of result.warnings) io.err(`warning: ${w}`);
    const parts = [
      opts.store ? `${result.checkedEvents} stored event(s) checked` : undefined,
      checkExport ? `${result.digests} digest(s) and ${result.logFiles} log file(s) checked` : 'no export folder',
    ].filter(Boolean);
    io.out(`${result.findings.length === 0 ? 'trail verified' : `${result.findings.length} finding(s)`}: ${parts.join(', ')}`);
  }
  return result.findings.length === 0 ? ExitCode.Ok : ExitCode.Failure;
}

/** The server's export interval in minutes (`CASTELLAN_TRAIL_EXPORT_MINUTES`, default 5, 0 = off). */
function exportMinutes(env: Record<string, string | undefined>): number {
  const raw = env['CASTELLAN_TRAIL_EXPORT_MINUTES']?.trim();
  const minutes = raw ? Number(raw) : 5;
  return Number.isFinite(minutes) && minutes >= 0 ? minutes : 5;
}

/** The public keys given with `--public-key`, else the data folder's. */
async function loadPublicKeys(files: string[] | undefined, dataDir: string): Promise<TrailPublicKey[]> {
  if (files && files.length > 0) return Promise.all(files.map((f) => readPublicKeyFile(f)));
  const pub = join(dataDir, PUBLIC_KEY_FILE);
  if (existsSync(pub)) return [await readPublicKeyFile(pub)];
  if (existsSync(join(dataDir, SIGNING_KEY_FILE))) {
    const key = await loadOrCreateSigningKey(dataDir);
    return [describePublicKey(key.publicKey, key.createdAt)];
  }
  throw new Error(`no public key to check digests with: give --public-key or a --data-dir holding ${PUBLIC_KEY_FILE}`);
}

/** What `trail verify --help` says after the options. */
export const VERIFY_HELP = `
What it checks:
  stored events   the hash chain of the audit_events table, from the retention checkpoint (or the
                  first event) to the chain head, and that it passes through the chain positions
                  the signed digests recorded at export time
  export folder   each account and region's digest chain, newest first: every digest's Ed25519
                  signature (its .sig file, or the next digest's previousDigestSignature), its
                  SHA-256 against the next digest's previousDigestHashValue, and every listed log
                  file's SHA-256; files no digest lists are reported too, except the log files
                  of an export killed part way, which its journal (signed like the digests)
                  names: they are warnings, and the next export removes or lists them

Output: one line per finding, tab-separated: kind, where (store|export), seq or file, explanation;
then a summary line. --json prints {ok, findings[], storedEvents, checkedEvents, digests, logFiles}.
The progress bar goes to stderr, only on a terminal unless --progress is given.

Kinds of finding:
  record-modified      a stored event's content or indexed columns no longer match its hash
  record-deleted       stored events are missing from the chain (or were exported but are gone)
  record-inserted      an event was added to the chain
  record-reordered     events were moved to other positions
  checkpoint-mismatch  the retention checkpoint does not match the chain or the export
  anchor-mismatch      the chain differs from what a signed digest recorded: it was rewritten
  file-modified        a log file's SHA-256 differs from the one its digest recorded
  file-missing         a log file listed by a digest is gone
  file-unlisted        a file no digest lists (added, or its digest was removed)
  digest-missing       a digest named by the next digest is gone
  digest-modified      a digest's hash differs from the one the next digest recorded, or it was moved
  digest-unreadable    a digest is not gzip or not a digest file
  digest-signature-missing / digest-signature-invalid
                       a digest lost its .sig file, or its signature does not verify
  digest-unlisted      a digest outside the chain (inserted, or its successor replaced)
  digest-chain-broken  consecutive digests do not cover adjoining periods, or the chain loops
  journal-invalid      the export journal (.castellan-export-journal.json) is not one, or not signed
                       by a trail key

Exit codes: 0 the trail verified; 1 at least one finding; 2 bad command line; 3 could not run
(no database at --data-dir/--database-url, unreadable key, …).
`;

/** Registers `verify` under the `trail` command. */
export function registerTrailVerify(trail: Command, io: CliIo, setExitCode: (code: ExitCode) => void, env: TrailEnv): void {
  addLocationOptions(
    trail
      .command('verify')
      .description('verify the audit trail: the stored hash chain and the exported files and signed digests; exit code 1 on any finding'),
  )
    .option('--from <time>', 'check events and digests from this time (ISO 8601)')
    .option('--to <time>', 'check events and digests up to this time (ISO 8601)')
    .option('--public-key <file...>', 'PEM public key(s) that signed the digests (default: the data folder\'s)')
    .option('--no-store', 'check only the export folder')
    .option('--no-export', 'check only the stored chain')
    .option('--progress', 'draw the progress bar even when stderr is not a terminal')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', VERIFY_HELP)
    .action(async (opts: VerifyOptions) => {
      try {
        setExitCode(await runTrailVerify(opts, io, env));
      } catch (err) {
        io.err(`castellan trail verify: ${(err as Error).message}`);
        setExitCode(err instanceof TrailOptionError ? ExitCode.Usage : ExitCode.Error);
      }
    });
}
