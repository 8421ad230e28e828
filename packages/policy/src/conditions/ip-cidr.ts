/**
 * IPv4 and IPv6 addresses and CIDR blocks for the IpAddress/NotIpAddress operators.
 * An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is treated as the IPv4 address.
 */

/** An address or block as four 32-bit words (IPv4 uses the last word only) and a prefix length. */
export interface IpBlock {
  readonly version: 4 | 6;
  readonly words: readonly [number, number, number, number];
  readonly prefix: number;
}

/** Dotted-quad IPv4 to a 32-bit number, without allocating (it runs on every IP condition). */
export function parseV4(text: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (n * 256 + part) >>> 0;
}

function parseV6(text: string): [number, number, number, number] | undefined {
  let groups: number[] = [];
  let tail = text;
  // An embedded IPv4 tail counts for two groups.
  const lastColon = text.lastIndexOf(':');
  let v4Tail: number | undefined;
  if (text.includes('.', lastColon)) {
    v4Tail = parseV4(text.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    tail = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = tail.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  if (!head) return undefined;
  if (halves.length === 2) {
    const rest = parseGroups(halves[1]!);
    if (!rest || head.length + rest.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  const w = (i: number): number => ((groups[i]! << 16) | groups[i + 1]!) >>> 0;
  const words: [number, number, number, number] = [w(0), w(2), w(4), w(6)];
  if (v4Tail !== undefined) words[3] = v4Tail;
  return words;
}

/** Parses an address (`192.0.2.1`, `2001:db8::1`) or a block (`192.0.2.0/24`). */
export function parseIpBlock(text: string): IpBlock | undefined {
  const slash = text.indexOf('/');
  const addr = (slash < 0 ? text : text.slice(0, slash)).trim();
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1).trim();
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (!addr.includes(':')) {
    const v = parseV4(addr);
    if (v === undefined) return undefined;
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    return { version: 4, words: [0, 0, 0, v], prefix };
  }
  const words = parseV6(addr);
  if (!words) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (prefix > 128) return undefined;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff && prefix >= 96) {
    return { version: 4, words: [0, 0, 0, words[3]], prefix: prefix - 96 };
  }
  return { version: 6, words, prefix };
}

/** True when `addr` (a single address) lies inside `block`. */
export function ipInBlock(addr: IpBlock, block: IpBlock): boolean {
  if (addr.version !== block.version) return false;
  let bits = block.prefix;
  const first = block.version === 4 ? 3 : 0;
  for (let i = first; i < 4; i++) {
    if (bits <= 0) return true;
    const take = Math.min(32, bits);
    const mask = take === 32 ? 0xffffffff : (0xffffffff << (32 - take)) >>> 0;
    if (((addr.words[i]! & mask) >>> 0) !== ((block.words[i]! & mask) >>> 0)) return false;
    bits -= take;
  }
  return true;
}

/** The network bits of an IPv4 block, for a test without allocation: `(addr & mask) === network`. */
export function v4Mask(block: IpBlock): { mask: number; network: number } {
  const mask = block.prefix === 0 ? 0 : (0xffffffff << (32 - block.prefix)) >>> 0;
  return { mask, network: (block.words[3] & mask) >>> 0 };
}
