import { isIP, SocketAddress } from 'node:net';

/** One `--trusted-proxies` entry: an address, or a CIDR range when `prefixLength` is set. */
export interface TrustedProxy {
  address: string;
  family: 'ipv4' | 'ipv6';
  prefixLength?: number;
}

/**
 * An entry (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`) parsed, or the problem with it as a message that
 * names the entry, so a bad setting stops the server at start rather than trusting the wrong hosts.
 */
export function parseTrustedProxy(entry: string): TrustedProxy | string {
  return parseAddressRange(entry, 'trusted proxy');
}

/** An address or CIDR range, or the problem with it as a message starting with `what` and the entry. */
export function parseAddressRange(entry: string, what: string): TrustedProxy | string {
  const slash = entry.indexOf('/');
  const written = slash < 0 ? entry : entry.slice(0, slash);
  const address = canonicalIp(written);
  if (address === undefined) return `${what} \`${entry}\` is not an IP address or CIDR range`;
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) return { address, family };
  const bits = entry.slice(slash + 1);
  // An IPv4-mapped range (`::ffff:10.0.0.0/104`) is read as the IPv4 range it maps (`10.0.0.0/8`).
  const mapped = family === 'ipv4' && isIP(written) === 6 ? 96 : 0;
  const prefixLength = Number(bits) - mapped;
  if (!/^\d{1,3}$/.test(bits) || prefixLength < 0 || prefixLength > (family === 'ipv4' ? 32 : 128)) return `${what} \`${entry}\` has an invalid prefix length`;
  return { address, family, prefixLength };
}

/**
 * An address in one spelling, so trusted entries and hops compare as text: IPv6 in its canonical
 * form (`2001:DB8:0::1` -> `2001:db8::1`), IPv4-mapped as IPv4. `undefined` for no address, and
 * for an IPv6 zone id (`fe80::1%eth0`), which names an interface of the sender, not a host.
 */
export function canonicalIp(text: string): string | undefined {
  const kind = isIP(text);
  if (kind === 4) return text;
  if (kind !== 6 || text.includes('%')) return undefined;
  return normalizeIp(new SocketAddress({ address: text, family: 'ipv6' }).address);
}

/** `::ffff:10.0.0.1` -> `10.0.0.1`. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
