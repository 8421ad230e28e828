// What the profile scripts (bench/api/profile.js, bench/authorizer/profile.js) share: starting
// `castellan serve` on SQLite in a temporary folder under `--cpu-prof`, and reading back the
// samples of the load (the last `seconds` of the profile) with the helpers to rank them.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRoot, benchServerEnv, startCastellanProcess } from './processes.js';

export const ACCOUNT_ID = '210987654321';

/** A profiled server, its root credentials and where its profile will be written. */
export async function startProfiledCastellan(folderPrefix) {
  const root = benchRoot();
  const dir = await mkdtemp(join(tmpdir(), folderPrefix));
  const profDir = join(dir, 'profile');
  const server = await startCastellanProcess({
    ...benchServerEnv(dir, root, ACCOUNT_ID),
  }, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
  return { server, root, profDir };
}

/**
 * The load's samples of the profile in `profDir`: self time by call-tree node over the last
 * `seconds` (set-up and module loading come before), optionally without idle time, and helpers.
 */
export async function readLoadProfile(profDir, seconds, { withoutIdle = false } = {}) {
  const file = join(profDir, (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile')));
  const { nodes, samples, timeDeltas } = JSON.parse(await readFile(file, 'utf8'));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let windowStart = samples.length;
  for (let t = 0; windowStart > 0 && t < Number(seconds) * 1e6; ) t += timeDeltas[--windowStart] ?? 0;
  const self = new Map();
  samples.forEach((id, i) => {
    if (i >= windowStart && !(withoutIdle && byId.get(id).callFrame.functionName === '(idle)')) self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const parent = new Map();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** `function file:line`, paths from the package (or node_modules) down. */
  const label = (id) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    return `${functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '')}:${lineNumber + 1}`;
  };
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  return { file, samples, timeDeltas, windowStart, byId, self, total, parent, label, top };
}

/** Adds `v` to `m`'s entry `k`. */
export const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
