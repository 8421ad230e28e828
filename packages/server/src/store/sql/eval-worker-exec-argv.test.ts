import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { evalWorkerExecArgv } from './eval-worker-exec-argv.js';

describe('evalWorkerExecArgv', () => {
  it.each([
    { given: [], kept: [] },
    { given: ['--input-type=module'], kept: [] },
    { given: ['--input-type', 'module', '--max-old-space-size=512'], kept: ['--max-old-space-size=512'] },
    { given: ['--no-parallel-scavenge', '--input-type=commonjs', '--enable-source-maps'], kept: ['--no-parallel-scavenge', '--enable-source-maps'] },
  ])('$given → $kept', ({ given, kept }) => {
    expect(evalWorkerExecArgv(given)).toEqual(kept);
  });

  it('lets a CommonJS worker source start where --input-type=module would break it', async () => {
    const source = "require('node:worker_threads').parentPort.postMessage(typeof require)";
    const run = (execArgv: string[]) => new Promise<string>((resolve, reject) => {
      const worker = new Worker(source, { eval: true, execArgv });
      worker.once('message', (m: string) => { resolve(m); void worker.terminate(); });
      worker.once('error', reject);
    });
    await expect(run(['--input-type=module'])).rejects.toThrow(/require is not defined/);
    await expect(run(evalWorkerExecArgv(['--input-type=module']))).resolves.toBe('function');
  });
});
