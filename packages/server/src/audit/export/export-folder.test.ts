import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withExportLock } from './export-folder.js';

let root: string;
const lockPath = () => join(root, '.castellan-export.lock');
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'castellan-lock-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** The pid of a process that has exited (spawned and waited for). */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('export lock', () => {
  it('names its holder while held and is gone afterwards', async () => {
    const seen = await withExportLock(root, () => readFile(lockPath(), 'utf8'));
    expect(seen).toMatch(new RegExp(`^${process.pid} ${hostname()} [0-9a-f]{16}\n$`));
    await expect(readFile(lockPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  // A holder killed with SIGKILL never removes its lock; a fresh lock is otherwise honoured for `staleMs`.
  const takenAtOnce = [
    { name: 'a holder of this host that no longer runs', holder: () => `${deadPid()} ${hostname()}\n`, taken: true },
    { name: 'a holder on another host', holder: () => `${deadPid()} some-other-host\n`, taken: false },
    { name: 'a live holder of this host', holder: () => `${process.ppid} ${hostname()}\n`, taken: false },
    { name: 'a lock of the older pid-only form', holder: () => `${deadPid()}\n`, taken: false },
  ];
  for (const c of takenAtOnce) {
    it(`${c.name}: ${c.taken ? 'taken over at once' : 'waited for'}`, async () => {
      await writeFile(lockPath(), c.holder());
      let ran = false;
      const run = withExportLock(root, async () => {
        ran = true;
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(ran).toBe(c.taken);
      if (!c.taken) await rm(lockPath()); // the holder finishes: the waiter goes on
      await run;
      expect(ran).toBe(true);
    });
  }

  // The race the takeover marker closes (a waiter removing a lock another has just taken) needs an
  // interleaving this test cannot force; it checks that several waiters all get through, one at a time.
  it('several waiters on a dead holder\'s lock: all run, one at a time', async () => {
    await writeFile(lockPath(), `${deadPid()} ${hostname()}\n`);
    let inside = 0;
    let most = 0;
    const waiter = () =>
      withExportLock(root, async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 50));
        inside--;
      });
    await Promise.all([waiter(), waiter(), waiter(), waiter()]);
    expect(most).toBe(1);
  });

  it('leaves alone a lock taken over from it as stale', async () => {
    const theirs = `${process.ppid} ${hostname()} feedfacefeedface\n`;
    await withExportLock(root, () => writeFile(lockPath(), theirs)); // another export took it meanwhile
    await expect(readFile(lockPath(), 'utf8')).resolves.toBe(theirs);
  });

  it('renews its lock while the export runs, so a long export never looks abandoned', async () => {
    const waiterRan: boolean[] = [];
    let other: Promise<unknown> | undefined;
    await withExportLock(
      root,
      async () => {
        await new Promise((r) => setTimeout(r, 150)); // several staleMs long
        // Another export started now sees a fresh lock of a live holder: it waits rather than take over
        other = withExportLock(root, async () => waiterRan.push(true), 40);
        await new Promise((r) => setTimeout(r, 60));
        expect(waiterRan).toEqual([]);
      },
      40,
    );
    await other; // and goes on once the first is done
    expect(waiterRan).toEqual([true]);
  });

  it('takes over a lock older than staleMs whoever holds it', async () => {
    await writeFile(lockPath(), `${process.ppid} ${hostname()}\n`);
    await new Promise((r) => setTimeout(r, 30));
    await expect(withExportLock(root, async () => 'ran', 10)).resolves.toBe('ran');
  });
});
