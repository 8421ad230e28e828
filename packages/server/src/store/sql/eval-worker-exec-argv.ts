/**
 * The Node options for a worker started from source text (`eval: true`): the process's own, less
 * `--input-type`. A worker inherits `process.execArgv`, and a process started as
 * `node --input-type=module -e …` would make the worker read its CommonJS source as a module, where
 * `require` is not defined, so the worker would fail to start.
 */
export function evalWorkerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
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
