import { readdir, readFile } from 'node:fs/promises';

/**
 * The nice value of each thread of this process (Linux: `/proc/self/task/<tid>/stat`, field 19),
 * for tests of which threads run at a lowered priority.
 */
export async function niceOfThreads(): Promise<number[]> {
  const out: number[] = [];
  for (const tid of await readdir('/proc/self/task')) {
    const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => undefined);
    if (stat) out.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return out;
}
