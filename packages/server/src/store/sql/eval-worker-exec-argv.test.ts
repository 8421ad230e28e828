import { describe, expect, it } from 'vitest';
import { startEvalWorker, withoutInputType } from './eval-worker-exec-argv.js';

describe('withoutInputType', () => {
  it.each([
    { given: [], kept: undefined },
    { given: ['--max-old-space-size=512', '--no-parallel-scavenge'], kept: undefined },
    { given: ['--input-type=module'], kept: [] },
    { given: ['--input-type', 'module', '--enable-source-maps'], kept: ['--enable-source-maps'] },
    { given: ['--no-parallel-scavenge', '--input-type=commonjs'], kept: ['--no-parallel-scavenge'] },
  ])('$given → $kept', ({ given, kept }) => {
    expect(withoutInputType(given)).toEqual(kept);
  });
});

describe('startEvalWorker', () => {
  /** What the worker's CommonJS source sees as `require`, or the error that kept it from starting. */
  const typeOfRequire = (execArgv: string[]) => new Promise<string>((resolve, reject) => {
    const worker = startEvalWorker("require('node:worker_threads').parentPort.postMessage(typeof require)", {}, execArgv);
    worker.once('message', (m: string) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });

  it.each([
    // Inherited as they are: Node checks an explicit execArgv, not an inherited one.
    { execArgv: ['--max-old-space-size=512', '--no-parallel-scavenge'] },
    // The CommonJS source would be read as a module.
    { execArgv: ['--input-type=module'] },
    // Without --input-type the rest is refused in a worker's own execArgv: started with none.
    { execArgv: ['--input-type=module', '--max-old-space-size=512'] },
  ])('starts a CommonJS worker for a process started with $execArgv', async ({ execArgv }) => {
    await expect(typeOfRequire(execArgv)).resolves.toBe('function');
  });
});
