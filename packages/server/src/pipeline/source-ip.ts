import { isIP, SocketAddress } from 'node:net';

/**
 * Decides the caller's address (`aws:SourceIp`) and whether the request came over TLS. The TCP
 * peer is the answer unless it is a configured trusted proxy, in which case `X-Forwarded-For` is
 * walked from the right, skipping trusted proxies; a client can never set its own address.
 */
export class SourceIpResolver {
  private readonly exact = new Set<string>();
  private readonly v4Ranges: Array<{ base: number; mask: number }> = [];

  /** `trustedProxies`: IP addresses or IPv4 CIDR ranges (`10.0.0.0/8`). */
  constructor(trustedProxies: readonly string[] = []) {
    for (const entry of trustedProxies) {
      const [addr, bits] = entry.split('/');
      if (bits !== undefined && isIP(addr ?? '') === 4) {
        const n = Number(bits);
        if (!Number.isInteger(n) || n < 0 || n > 32) throw new Error(`trusted proxy \`${entry}\` has an invalid prefix length`);
        const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
        this.v4Ranges.push({ base: (ipv4ToInt(addr!) & mask) >>> 0, mask });
      } else if (canonicalIp(entry) !== undefined) {
        this.exact.add(canonicalIp(entry)!);
      } else {
        throw new Error(`trusted proxy \`${entry}\` is not an IP address or IPv4 CIDR range`);
      }
    }
  }

  private trusted(ip: string): boolean {
    if (this.exact.has(ip)) return true;
    if (this.v4Ranges.length === 0) return false;
    if (isIP(ip) !== 4) return false;
    const n = ipv4ToInt(ip);
    return this.v4Ranges.some((r) => ((n & r.mask) >>> 0) === r.base);
  }

  /** The source address and TLS flag for a request from `peer` with the given headers. */
  resolve(peer: string, forwardedFor: string | undefined, forwardedProto: string | undefined, peerSecure: boolean): { sourceIp: string; secureTransport: boolean } {
    const direct = normalizeIp(peer);
    // Without trusted proxies (the default) the peer is the answer: nothing to parse.
    if ((this.exact.size === 0 && this.v4Ranges.length === 0) || !this.trusted(direct)) return { sourceIp: direct, secureTransport: peerSecure };
    let sourceIp = direct;
    const hops = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = forwardedAddress(hops[i]!);
      // A hop that is no address stops the walk: the entries left of it may be the client's own
      // writing, so the last trusted proxy is the answer rather than anything they claim.
      if (hop === undefined) break;
      sourceIp = hop;
      if (!this.trusted(sourceIp)) break;
    }
    // The rightmost value is the one the trusted peer set (overwrote or appended); anything left of
    // it may be the client's own writing, passed through, so a plain-HTTP client cannot claim TLS.
    const proto = forwardedProto === undefined ? undefined : forwardedProto.slice(forwardedProto.lastIndexOf(',') + 1).trim().toLowerCase();
    return { sourceIp, secureTransport: proto ? proto === 'https' : peerSecure };
  }
}

/**
 * One `X-Forwarded-For` entry as an address: as is, or with the port some proxies append
 * (`198.51.100.2:4567`, `[2001:db8::7]:4567`); `undefined` when it is no address (`unknown`).
 * An unbracketed IPv6 address with a port (`2001:db8::7:4567`) cannot be told from an address
 * and is read as one: IPv6 hops with ports must be bracketed.
 */
function forwardedAddress(entry: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  const withPort = /^([\d.]+):\d{1,5}$/.exec(entry);
  return canonicalIp(bracketed?.[1] ?? withPort?.[1] ?? entry);
}

/**
 * An address in one spelling, so trusted entries and hops compare as text: IPv6 in its canonical
 * form (`2001:DB8:0::1` -> `2001:db8::1`), IPv4-mapped as IPv4. `undefined` for no address, and
 * for an IPv6 zone id (`fe80::1%eth0`), which names an interface of the sender, not a host.
 */
function canonicalIp(text: string): string | undefined {
  const kind = isIP(text);
  if (kind === 4) return text;
  if (kind !== 6 || text.includes('%')) return undefined;
  return normalizeIp(new SocketAddress({ address: text, family: 'ipv6' }).address);
}

/** `::ffff:10.0.0.1` -> `10.0.0.1`. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** A dotted IPv4 address (checked by `isIP` first) as an unsigned 32-bit number, without splitting it. */
function ipv4ToInt(ip: string): number {
  let acc = 0;
  let part = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46 /* . */) {
      acc = ((acc << 8) | part) >>> 0;
      part = 0;
    } else part = part * 10 + (c - 48);
  }
  return ((acc << 8) | part) >>> 0;
}
