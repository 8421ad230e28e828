import { BlockList, isIP } from 'node:net';
import { canonicalIp, normalizeIp, parseTrustedProxy } from '../config/trusted-proxies.js';

/**
 * Decides the caller's address (`aws:SourceIp`) and whether the request came over TLS. The TCP
 * peer is the answer unless it is a configured trusted proxy, in which case `X-Forwarded-For` is
 * walked from the right, skipping trusted proxies; a client can never set its own address.
 */
export class SourceIpResolver {
  /**
   * Node's own address matchers, one per family: a single list would match IPv4 addresses against
   * IPv6 ranges through their mapped form, so `::/0` would trust every IPv4 peer.
   */
  private readonly proxies = { ipv4: new BlockList(), ipv6: new BlockList() };
  private readonly none: boolean;

  /** `trustedProxies`: IP addresses or CIDR ranges, IPv4 (`10.0.0.0/8`) or IPv6 (`fd00::/8`). */
  constructor(trustedProxies: readonly string[] = []) {
    this.none = trustedProxies.length === 0;
    for (const entry of trustedProxies) {
      const proxy = parseTrustedProxy(entry);
      if (typeof proxy === 'string') throw new Error(proxy);
      const list = this.proxies[proxy.family];
      if (proxy.prefixLength === undefined) list.addAddress(proxy.address, proxy.family);
      else list.addSubnet(proxy.address, proxy.prefixLength, proxy.family);
    }
  }

  /** `ip` is canonical (see `canonicalIp`): IPv4-mapped addresses are IPv4 already. */
  private trusted(ip: string): boolean {
    const kind = isIP(ip);
    if (kind === 4) return this.proxies.ipv4.check(ip, 'ipv4');
    return kind === 6 && this.proxies.ipv6.check(ip, 'ipv6');
  }

  /** The source address and TLS flag for a request from `peer` with the given headers. */
  resolve(peer: string, forwardedFor: string | undefined, forwardedProto: string | undefined, peerSecure: boolean): { sourceIp: string; secureTransport: boolean } {
    const direct = normalizeIp(peer);
    // Without trusted proxies (the default) the peer is the answer: nothing to parse.
    if (this.none || !this.trusted(direct)) return { sourceIp: direct, secureTransport: peerSecure };
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
