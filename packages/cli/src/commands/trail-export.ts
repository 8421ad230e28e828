/**
 * `castellan trail export [--region R] [--retention-days N]`: exports the events stored since the last export
 * to CloudTrail-layout log files with a signed digest, and with `--retention-days` then deletes
 * the exported events older than that from the database. Safe to run while the server runs: the
 * export folder is locked, so it never races the server's own schedule. Digests are named for the
 * trail (`castellan`) and its home region, the server's `--region`: give the same here (default
 * `$CASTELLAN_REGION`, else `us-east-1`, as `castellan serve`), so both name them alike.
 */
import type { Command } from 'commander';
import { applyRetention, exportTrail, loadOrCreateSigningKey, openAuditStore, type TrailExportResult } from '@castellan/server/audit';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';
import { addLocationOptions, resolveLocation, TrailOptionError, type TrailLocationOptions } from './trail-options.js';
import type { TrailEnv } from './trail-verify.js';

interface ExportOptions extends TrailLocationOptions {
  retentionDays?: string;
  region?: string;
}

/** The trail every account has (`TRAIL_NAME` of the server's CloudTrail service). */
const TRAIL_NAME = 'castellan';

/** The trail's home region: `--region`, `$CASTELLAN_REGION`, else `us-east-1` (as `castellan serve`). */
function homeRegion(opts: ExportOptions, env: Record<string, string | undefined>): string {
  const region = opts.region ?? (env['CASTELLAN_REGION'] || 'us-east-1');
  if (!/^[a-z0-9-]{2,32}$/.test(region)) throw new TrailOptionError(`--region \`${region}\` is not a region name`);
  return region;
}

/** Runs the export with parsed options. */
export async function runTrailExport(opts: ExportOptions, io: CliIo, env: TrailEnv): Promise<ExitCode> {
  const location = resolveLocation(opts, env.env);
  const region = homeRegion(opts, env.env);
  let retentionDays: number | undefined;
  if (opts.retentionDays !== undefined) {
    retentionDays = Number(opts.retentionDays);
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new TrailOptionError(`--retention-days must be a whole number of days of at least 1, not \`${opts.retentionDays}\``);
  }
  // The store first: it must exist, and only then may a missing signing key be created.
  const store = await openAuditStore(location);
  const clock = { now: () => io.now() };
  try {
    const signingKey = await loadOrCreateSigningKey(location.dataDir);
    const common = { exportDir: location.exportDir, signingKey, clock, trailName: TRAIL_NAME, homeRegion: region };
    const recovery = (r: TrailExportResult): void => {
      if (r.recovered?.outcome === 'undone') io.out(`an earlier export was killed before its digests: removed its ${r.recovered.logFiles.length} log file(s), their events are exported again`);
      if (r.recovered?.outcome === 'finished') io.out(`an earlier export was killed while writing its digests: wrote the remaining ${r.recovered.digestFiles.length} digest(s)`);
      if (r.recovered?.outcome === 'stale') io.out('removed an export journal older than the newest digests (put back from a copy?); removed none of the files it names');
    };
    if (retentionDays !== undefined) {
      const r = await applyRetention({ store, export: common, retentionDays });
      recovery(r.exported);
      io.out(`exported ${r.exported.events} event(s) in ${r.exported.logFiles.length} log file(s) to ${location.exportDir} (through seq ${r.exported.toSeq}); deleted ${r.deleted} event(s) older than ${retentionDays} day(s)`);
    } else {
      const r = await exportTrail({ ...common, source: store });
      recovery(r);
      io.out(`exported ${r.events} event(s) in ${r.logFiles.length} log file(s) to ${location.exportDir} (through seq ${r.toSeq})`);
    }
  } finally {
    await store.close();
  }
  return ExitCode.Ok;
}

/** Registers `export` under the `trail` command. */
export function registerTrailExport(trail: Command, io: CliIo, setExitCode: (code: ExitCode) => void, env: TrailEnv): void {
  addLocationOptions(
    trail
      .command('export')
      .description('export new audit events to CloudTrail-layout log files with signed digests'),
  )
    .option('--region <region>', 'the trail\'s home region in digest names: the server\'s --region (default $CASTELLAN_REGION, else us-east-1)')
    .option('--retention-days <n>', 'then delete exported events older than this many days from the database')
    .action(async (opts: ExportOptions) => {
      try {
        setExitCode(await runTrailExport(opts, io, env));
      } catch (err) {
        io.err(`castellan trail export: ${(err as Error).message}`);
        setExitCode(err instanceof TrailOptionError ? ExitCode.Usage : ExitCode.Error);
      }
    });
}
