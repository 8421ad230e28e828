import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker from source text (`eval: true`). A worker inherits `process.execArgv`, and a
 * process started as `node --input-type=module -e …` would make the worker read its CommonJS source
 * as a module, where `require` is not defined, so the worker would not start. Only then is the
 * worker given its own options: the process's, less `--input-type`; and since Node refuses many
 * process-wide flags in a worker's explicit `execArgv` (`--max-old-space-size`, `--no-parallel-scavenge`
 * …, which inheriting does not check), none at all when those are refused.
 */
export function startEvalWorker(
  source: string,
  options: Omit<WorkerOptions, 'eval' | 'execArgv'> = {},
  execArgv: readonly string[] = process.execArgv,
): Worker {
  const own = withoutInputType(execArgv);
  if (own === undefined) return new Worker(source, { ...options, eval: true });
  try {
    return new Worker(source, { ...options, eval: true, execArgv: own });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw err;
    return new Worker(source, { ...options, eval: true, execArgv: [] });
  }
}

/** `execArgv` less `--input-type` and its value, or `undefined` when it has none (inherit as is). */
export function withoutInputType(execArgv: readonly string[]): string[] | undefined {
  if (!execArgv.some((arg) => arg === '--input-type' || arg.startsWith('--input-type='))) return undefined;
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg === '--input-type') {
      i++; // its value is the next argument
      continue;
    }
    if (arg.startsWith('--input-type=')) continue;
    kept.push(arg);
  }
  return kept;
}
