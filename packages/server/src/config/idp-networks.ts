/**
 * `--oidc-allow-network` entries: the hosts and address ranges an OpenID Connect fetch may reach
 * although they are loopback, link-local, private or otherwise internal (see
 * `services/credentials/idp-network-guard.ts`, which refuses those by default).
 */
import { parseAddressRange, type TrustedProxy } from './trusted-proxies.js';

/** One entry: a host name allowed whatever it resolves to, or an address range. */
export type IdpAllowEntry = { kind: 'host'; name: string } | { kind: 'range'; range: TrustedProxy };

/** A DNS name: dot-separated labels of letters, digits and inner hyphens (a trailing dot is dropped). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * `10.0.0.0/8`, `::1`, `fd00::/8` (a range) or `idp.corp.example` (a host, matched exactly and
 * case-insensitively), or the problem with it as a message naming the entry.
 */
export function parseIdpAllowEntry(entry: string): IdpAllowEntry | string {
  const text = entry.trim();
  // Something with a colon or a slash, or only digits and dots, is meant as an address.
  if (/[:/]/.test(text) || /^[\d.]+$/.test(text)) {
    const range = parseAddressRange(text, 'network');
    return typeof range === 'string' ? range : { kind: 'range', range };
  }
  const name = text.toLowerCase().replace(/\.$/, '');
  if (!HOST_NAME.test(name)) return `network \`${entry}\` is not a host name, an IP address or a CIDR range`;
  return { kind: 'host', name };
}
