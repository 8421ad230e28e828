/**
 * Secrets, signatures, MACs and tokens are compared in constant time (`constantTimeEquals`,
 * `timingSafeEqual`), never with `===`/`!==`, which stop at the first difference. A guard over the
 * sources of the packages that check credentials (server, authorizer-client, cli), like
 * layering.test.ts: a comparison whose operand is named like a secret fails it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['server/src', 'authorizer-client/src', 'cli/src'];

/** An operand's last name (`entry.sessionToken` → `sessionToken`) that names a secret. */
const SECRET_NAME = /(secret|secretaccesskey|signature|sessiontoken|csrf|csrftoken|mac|password|bootstrapsecret)$/i;
/** Operands that make a comparison about presence or shape, not content. */
const NOT_CONTENT = /^(undefined|null|\d+|length|kind|status|type)$|^['"`]/;
const OPERAND = String.raw`[\w$.?!\[\]()'"\`-]+`;
const COMPARISON = new RegExp(`(${OPERAND})\\s*(?:===|!==)\\s*(${OPERAND})`, 'g');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const lastName = (operand: string) => operand.replace(/[()!?]/g, '').split('.').pop() ?? '';

/** `file:line: text` of each `===`/`!==` between a secret-named operand and content. */
function secretComparisons(text: string, file: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
    for (const m of line.matchAll(COMPARISON)) {
      const names = [lastName(m[1]!), lastName(m[2]!)];
      if (names.some((n) => NOT_CONTENT.test(n))) continue;
      if (names.some((n) => SECRET_NAME.test(n))) found.push(`${file}:${i + 1}: ${line.trim()}`);
    }
  });
  return found;
}

describe('secret comparisons', () => {
  it('finds the comparisons it is meant to find', () => {
    expect(secretComparisons('if (last.secret === secret) return;', 'x.ts')).toHaveLength(1);
    expect(secretComparisons('if (!entry || entry.sessionToken !== sig.sessionToken) go();', 'x.ts')).toHaveLength(1);
    expect(secretComparisons('if (sig.sessionToken === undefined || secret.length !== 40) go();', 'x.ts')).toEqual([]);
  });

  it('no secret, signature, MAC or token is compared with === or !==', () => {
    const found = SCANNED.flatMap((dir) => sources(join(PACKAGES, dir)).flatMap((file) => secretComparisons(readFileSync(file, 'utf8'), relative(PACKAGES, file))));
    expect(found).toEqual([]);
  });
});
