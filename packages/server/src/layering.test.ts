/**
 * The house's layering, as a test: inside `packages/server/src` imports point down only.
 *
 *   http → protocol → pipeline → services | audit → store → crypto, sigv4, catalog, config, metrics → domain
 *
 * A folder may import itself and anything below it; `services` and `audit` share a level and may not import each
 * other. Files at the root (`main.ts`, the composition root, and `index.ts`, the package's face) may import
 * everything, and so may tests (`*.test.ts`), which are not part of the build; test support files (`test-*.ts`)
 * follow the rule like any module.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Rank of each top-level folder: higher may import lower. Equal ranks may not import each other. */
const RANK: Readonly<Record<string, number>> = {
  http: 6,
  protocol: 5,
  pipeline: 4,
  services: 3,
  audit: 3,
  store: 2,
  crypto: 1,
  sigv4: 1,
  catalog: 1,
  config: 1,
  metrics: 1,
  domain: 0,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function topFolder(file: string): string {
  return relative(SRC, file).split(sep)[0]!;
}

/** Relative import specifiers of a file (static imports, re-exports and dynamic imports). */
function relativeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

interface Edge {
  from: string;
  to: string;
  file: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = topFolder(file);
    if (!from.length || from.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue;
      const to = topFolder(target);
      if (to !== from) out.push({ from, to, file: relative(SRC, file) });
    }
  }
  return out;
}

/** The edges that point up or sideways, as `file imports folder/`. */
function violations(list: readonly Edge[]): string[] {
  return list.filter((e) => (RANK[e.to] ?? Infinity) >= (RANK[e.from] ?? -Infinity)).map((e) => `${e.file} imports ${e.to}/`);
}

describe('layering of packages/server/src', () => {
  const all = edges();

  it('knows every top-level folder', () => {
    const folders = new Set(sourceFiles(SRC).map(topFolder).filter((f) => !f.endsWith('.ts')));
    expect([...folders].filter((f) => RANK[f] === undefined)).toEqual([]);
  });

  it('finds an upward or sideways import (the check itself)', () => {
    expect(violations([{ from: 'store', to: 'services', file: 'store/x.ts' }])).toEqual(['store/x.ts imports services/']);
    expect(violations([{ from: 'audit', to: 'services', file: 'audit/x.ts' }])).toEqual(['audit/x.ts imports services/']);
    expect(violations([{ from: 'services', to: 'store', file: 'services/x.ts' }])).toEqual([]);
    expect(relativeImports(`import a from './a.js';\nexport { b } from "../b/c.js";\nconst m = await import('../m.js');`)).toEqual(['./a.js', '../b/c.js', '../m.js']);
  });

  it('imports point down only', () => {
    expect(violations(all)).toEqual([]);
  });

  it('the wire never sees store rows: protocol/ imports nothing from store/', () => {
    expect(all.filter((e) => e.from === 'protocol' && e.to === 'store').map((e) => e.file)).toEqual([]);
  });
});
