/**
 * An in-memory {@link CliIo} for command tests. Test-only (not built).
 */
import type { ServiceCatalog } from '@castellan/policy';
import type { CliIo } from './cli-io.js';

/** A CliIo over a map of files, collecting output. */
export function memoryIo(files: Record<string, string>, catalog?: () => Promise<ServiceCatalog>): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    loadCatalog: catalog ?? (async () => {
      throw new Error('no catalogue in this test');
    }),
    now: () => new Date('2026-06-01T00:00:00Z'),
  };
}
