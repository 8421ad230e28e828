/**
 * The network side of fetching an identity provider's documents: whoever may call
 * `iam:CreateOpenIDConnectProvider` chooses the URLs the server fetches, so without a guard they
 * could make it read the cloud's metadata service (`169.254.169.254`, `fd00:ec2::254`), loopback
 * services or the private network, and probe them through the answers' timing and errors.
 *
 * - The check is made on the address actually connected to: a `lookup` of our own resolves the
 *   name when the socket connects and hands only permitted addresses to it, so a name that
 *   resolves to a public address when checked and to an internal one when used (DNS rebinding)
 *   gains nothing. Literal addresses in the URL (which Node connects to without a lookup) are
 *   checked before the request.
 * - Refused by default: unspecified, loopback, link-local, private (RFC 1918, fc00::/7, the
 *   deprecated fec0::/10), shared (100.64.0.0/10, where some clouds keep their metadata service),
 *   IETF protocol assignments (192.0.0.0/24), benchmarking (198.18.0.0/15), multicast and reserved
 *   addresses, the IPv4-compatible form (`::a.b.c.d`), Teredo (2001::/32, whose server and client
 *   addresses are not ours to judge) and local-use NAT64 (64:ff9b:1::/48, a prefix the site maps as
 *   it likes). IPv6 forms that carry an IPv4 address are judged as that address: IPv4-mapped
 *   (`::ffff:a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), well-known NAT64
 *   (`64:ff9b::a.b.c.d`, RFC 6052) and 6to4 (`2002:AABB:CCDD::/48`, RFC 3056), since a host with
 *   such a gateway or relay reaches the internal IPv4 address through them.
 * - `allow` (`--oidc-allow-network`) names host names, reached whatever they resolve to, and
 *   address ranges that are permitted anyway: tests and identity providers on the private network.
 * - A refusal fails the fetch like an unreachable host: the caller of AssumeRoleWithWebIdentity
 *   sees AWS's `IDPCommunicationError`, never the address or the reason, which go to `onRefusal`
 *   (the server's log) for the operator.
 *
 * @module
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { parseIdpAllowEntry } from '../../config/idp-networks.js';
import { canonicalIp } from '../../config/trusted-proxies.js';

/** One resolved address. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Options of {@link IdpNetworkGuard}. */
export interface IdpNetworkGuardOptions {
  /** Host names and address ranges permitted although internal (`--oidc-allow-network`). Default is none. */
  allow?: readonly string[];
  /** Resolves a host name to all its addresses (tests). Default is the system resolver (`dns.lookup`). */
  resolve?: (hostname: string, family: 0 | 4 | 6) => Promise<ResolvedAddress[]>;
  /** Told of each refused connection, for the server's log. */
  onRefusal?: (refusal: { host: string; address: string; reason: string }) => void;
}

/** Why a connection was not made; only ever a cause, never shown to the caller. */
export class IdpAddressRefused extends Error {
  constructor(readonly host: string, readonly address: string, readonly reason: string) {
    super(`${host} resolves only to addresses an identity provider may not have (${address}: ${reason}); --oidc-allow-network permits them`);
    this.name = 'IdpAddressRefused';
  }
}

/** The internal ranges, first match names the reason: the more specific ones come first. */
const INTERNAL: ReadonlyArray<readonly [reason: string, family: 'ipv4' | 'ipv6', network: string, prefix: number]> = [
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['shared (carrier-grade NAT)', 'ipv4', '100.64.0.0', 10],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['IETF protocol assignments', 'ipv4', '192.0.0.0', 24],
  ['benchmarking', 'ipv4', '198.18.0.0', 15],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['IPv4-compatible', 'ipv6', '::', 96],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['site-local', 'ipv6', 'fec0::', 10],
  ['private', 'ipv6', 'fc00::', 7],
  ['multicast', 'ipv6', 'ff00::', 8],
  ['Teredo', 'ipv6', '2001::', 32],
  ['local-use NAT64', 'ipv6', '64:ff9b:1::', 48],
];

/**
 * IPv6 ranges whose addresses carry an IPv4 address, judged as that address: the range, and the
 * first of the four bytes it sits in.
 */
const EMBEDDING: ReadonlyArray<readonly [name: string, network: string, prefix: number, v4Offset: number]> = [
  ['NAT64', '64:ff9b::', 96, 12],
  ['IPv4-translated', '::ffff:0:0:0', 96, 12],
  ['6to4', '2002::', 16, 2],
];
const EMBEDDING_LISTS = EMBEDDING.map(([name, network, prefix, v4Offset]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, 'ipv6');
  return { name, v4Offset, list };
});

/** Each internal range in a list of its own, so the first that holds an address names the reason. */
const INTERNAL_LISTS = INTERNAL.map(([reason, family, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { reason, family, list };
});

/**
 * Why `address` is internal (`'loopback'`, `'link-local'`, …), or `undefined` for a public
 * address. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function internalAddressReason(address: string): string | undefined {
  const ip = canonicalIp(address);
  // Not an address we can read (a zone id, garbage): never connect to it.
  if (ip === undefined) return 'not an IP address';
  const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  const direct = INTERNAL_LISTS.find((r) => r.family === family && r.list.check(ip, family))?.reason;
  if (direct !== undefined || family === 'ipv4') return direct;
  const embedding = EMBEDDING_LISTS.find((e) => e.list.check(ip, 'ipv6'));
  if (!embedding) return undefined;
  const bytes = ipv6Bytes(ip).subarray(embedding.v4Offset, embedding.v4Offset + 4);
  const v4reason = internalAddressReason(bytes.join('.'));
  return v4reason === undefined ? undefined : `${embedding.name} form of a ${v4reason} address`;
}

/** The 16 bytes of a valid IPv6 address in text (`::` and a trailing dotted quad included). */
function ipv6Bytes(ip: string): Uint8Array {
  let text = ip;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    bytes[2 * i] = v >> 8;
    bytes[2 * i + 1] = v & 0xff;
  });
  return bytes;
}

const systemResolve = async (hostname: string, family: 0 | 4 | 6): Promise<ResolvedAddress[]> =>
  (await dnsLookup(hostname, { all: true, family })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Refuses connections to internal addresses; {@link IdpNetworkGuard.fetch} is a `fetch` that goes through it. */
export class IdpNetworkGuard {
  readonly #hosts = new Set<string>();
  readonly #ranges = { ipv4: new BlockList(), ipv6: new BlockList() };
  readonly #resolve: NonNullable<IdpNetworkGuardOptions['resolve']>;
  readonly #onRefusal: IdpNetworkGuardOptions['onRefusal'];
  // Agents of their own, without keep-alive: a socket another part of the process opened
  // (without this lookup) is never reused here, and each fetch connects, so resolves, anew.
  readonly #agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

  constructor(options: IdpNetworkGuardOptions = {}) {
    for (const entry of options.allow ?? []) {
      const parsed = parseIdpAllowEntry(entry);
      if (typeof parsed === 'string') throw new Error(parsed);
      if (parsed.kind === 'host') this.#hosts.add(parsed.name);
      else if (parsed.range.prefixLength === undefined) this.#ranges[parsed.range.family].addAddress(parsed.range.address, parsed.range.family);
      else this.#ranges[parsed.range.family].addSubnet(parsed.range.address, parsed.range.prefixLength, parsed.range.family);
    }
    this.#resolve = options.resolve ?? systemResolve;
    this.#onRefusal = options.onRefusal;
  }

  /** Why connecting to `address` for `host` is refused, or `undefined` when it is permitted. */
  refusal(host: string, address: string): string | undefined {
    if (this.#hosts.has(host.toLowerCase().replace(/\.$/, ''))) return undefined;
    const reason = internalAddressReason(address);
    if (reason === undefined) return undefined;
    const ip = canonicalIp(address);
    const family = ip !== undefined && isIP(ip) === 4 ? 'ipv4' : 'ipv6';
    return ip !== undefined && this.#ranges[family].check(ip, family) ? undefined : reason;
  }

  #refused(host: string, address: string, reason: string): IdpAddressRefused {
    this.#onRefusal?.({ host, address, reason });
    return new IdpAddressRefused(host, address, reason);
  }

  /** The `lookup` of our sockets: the name's addresses, less the refused ones; none left is an error. */
  readonly #lookup: LookupFunction = (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    this.#resolve(hostname, family).then(
      (addresses) => {
        const permitted = addresses.filter((a) => this.refusal(hostname, a.address) === undefined);
        if (permitted.length === 0) {
          const first = addresses[0];
          const err = first ? this.#refused(hostname, first.address, this.refusal(hostname, first.address) ?? '') : Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          callback(err as NodeJS.ErrnoException, '', 0);
        } else if (options.all) {
          (callback as unknown as (err: null, addresses: ResolvedAddress[]) => void)(null, permitted);
        } else {
          callback(null, permitted[0]!.address, permitted[0]!.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  /**
   * A `fetch` for GET requests over http(s) through the guard. Redirects are not followed (an
   * answer with a 3xx status is returned as such, and the callers take only 200).
   */
  readonly fetch = ((input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return Promise.reject(new TypeError(`cannot fetch ${url.protocol} URLs`));
    // URL spells an IPv6 host in brackets; Node connects to a literal address without a lookup.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) {
      const reason = this.refusal(host, host);
      if (reason !== undefined) return Promise.reject(this.#refused(host, host, reason));
    }
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const secure = url.protocol === 'https:';
    return new Promise<Response>((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        { method: 'GET', headers, agent: secure ? this.#agents.https : this.#agents.http, lookup: this.#lookup, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) {
            res.destroy();
            reject(new Error(`${url.host} answered HTTP status ${status}`));
            return;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) for (const one of [value ?? []].flat()) responseHeaders.append(name, one);
          const noBody = status === 204 || status === 205 || status === 304;
          if (noBody) res.resume();
          resolve(new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers: responseHeaders }));
        },
      );
      request.on('error', reject);
      request.end();
    });
  }) as typeof fetch;
}
