import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdpAddressRefused, IdpNetworkGuard, internalAddressReason, type ResolvedAddress } from './idp-network-guard.js';

describe('internalAddressReason', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.100.100.200', 'shared (carrier-grade NAT)'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::169.254.169.254', 'IPv4-compatible'],
    ['fe80::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['ff02::1', 'multicast'],
    ['fe80::1%eth0', 'not an IP address'],
    ['192.0.0.170', 'IETF protocol assignments'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    // IPv6 forms that carry an internal IPv4 address: judged as that address.
    ['64:ff9b::a9fe:a9fe', 'NAT64 form of a link-local address'],
    ['64:ff9b::169.254.169.254', 'NAT64 form of a link-local address'],
    ['64:ff9b::7f00:1', 'NAT64 form of a loopback address'],
    ['64:ff9b::10.0.0.1', 'NAT64 form of a private address'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated form of a link-local address'],
    ['::ffff:0:192.168.0.1', 'IPv4-translated form of a private address'],
    ['2002:a9fe:a9fe::', '6to4 form of a link-local address'],
    ['2002:7f00:1:1::1', '6to4 form of a loopback address'],
    ['2002:c0a8:101::5', '6to4 form of a private address'],
    // Refused whatever they carry.
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001::1', 'Teredo'],
    ['64:ff9b:1::808:808', 'local-use NAT64'],
    ['64:ff9b:1:ffff::1', 'local-use NAT64'],
  ])('refuses %s as %s', (address, reason) => {
    expect(internalAddressReason(address)).toBe(reason);
  });

  it.each([
    '8.8.8.8', '172.15.255.255', '172.32.0.1', '100.63.255.255', '169.253.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2600:1f18::1',
    '192.0.1.1', '198.17.255.255', '198.20.0.1',
    // The same embeddings of a public IPv4 address, and the neighbours of the refused ranges.
    '64:ff9b::808:808', '64:ff9b::8.8.8.8', '::ffff:0:808:808', '2002:808:808::1', '2001:1::1', '2001:db9::1', '64:ff9b:2::1', '64:ff9a::a9fe:a9fe',
  ])('lets the public address %s through', (address) => {
    expect(internalAddressReason(address)).toBeUndefined();
  });
});

describe('IdpNetworkGuard', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** A resolver that answers from a table and records the names it was asked. */
  const resolver = (table: Record<string, string[]>) => {
    const asked: string[] = [];
    const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
      asked.push(hostname);
      const addresses = table[hostname];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return { resolve, asked };
  };

  /** The fetch's outcome: the body, or the refusal that failed it. */
  const outcome = async (guard: IdpNetworkGuard, url: string): Promise<unknown> => {
    try {
      return await (await guard.fetch(url, { signal: AbortSignal.timeout(5000) })).json();
    } catch (err) {
      const refused = err instanceof IdpAddressRefused ? err : (err as { cause?: unknown }).cause;
      return refused instanceof IdpAddressRefused ? { refused: refused.reason } : { failed: String(err) };
    }
  };

  const cases: { name: string; url: () => string; allow: string[]; table: Record<string, string[]>; expect: unknown }[] = [
    { name: 'a loopback literal', url: () => `http://127.0.0.1:${port}/`, allow: [], table: {}, expect: { refused: 'loopback' } },
    { name: 'an IPv4-mapped loopback literal', url: () => `http://[::ffff:127.0.0.1]:${port}/`, allow: [], table: {}, expect: { refused: 'loopback' } },
    { name: 'a link-local literal (the metadata service), without connecting', url: () => 'http://169.254.169.254/latest/meta-data/', allow: [], table: {}, expect: { refused: 'link-local' } },
    { name: 'a name resolving to loopback, checked after resolution', url: () => `http://idp.example.com:${port}/`, allow: [], table: { 'idp.example.com': ['127.0.0.1'] }, expect: { refused: 'loopback' } },
    { name: 'a name resolving to the metadata service', url: () => 'http://idp.example.com/', allow: [], table: { 'idp.example.com': ['169.254.169.254'] }, expect: { refused: 'link-local' } },
    { name: 'a loopback literal in an allowed range', url: () => `http://127.0.0.1:${port}/`, allow: ['127.0.0.0/8'], table: {}, expect: { ok: true } },
    { name: 'a loopback literal allowed as an address', url: () => `http://127.0.0.1:${port}/`, allow: ['127.0.0.1'], table: {}, expect: { ok: true } },
    { name: 'a name resolving into an allowed range', url: () => `http://idp.example.com:${port}/`, allow: ['127.0.0.1/32'], table: { 'idp.example.com': ['127.0.0.1'] }, expect: { ok: true } },
    { name: 'an allowed name, whatever it resolves to', url: () => `http://IdP.Example.com:${port}/`, allow: ['idp.example.com'], table: { 'idp.example.com': ['127.0.0.1'] }, expect: { ok: true } },
    { name: 'a name resolving to a refused and an allowed address: only the allowed one is used', url: () => `http://idp.example.com:${port}/`, allow: ['127.0.0.0/8'], table: { 'idp.example.com': ['169.254.169.254', '127.0.0.1'] }, expect: { ok: true } },
    { name: 'another range than the one allowed', url: () => `http://idp.example.com:${port}/`, allow: ['10.0.0.0/8', 'other.example.com'], table: { 'idp.example.com': ['127.0.0.1'] }, expect: { refused: 'loopback' } },
  ];
  it.each(cases)('$name', async ({ url, allow, table, expect: expected }) => {
    const { resolve } = resolver(table);
    const guard = new IdpNetworkGuard({ allow, resolve: async (host) => resolve(host.toLowerCase()) });
    expect(await outcome(guard, url())).toEqual(expected);
  });

  // DNS rebinding: the name is resolved for the connection itself, every time, so a name that
  // answered a public address before cannot be made to answer an internal one afterwards.
  it('resolves the name at each connection and checks what it resolves to then', async () => {
    let answer = '127.0.0.1';
    const asked: string[] = [];
    const refusals: string[] = [];
    const guard = new IdpNetworkGuard({
      allow: ['127.0.0.1'],
      resolve: async (host) => {
        asked.push(host);
        return [{ address: answer, family: 4 }];
      },
      onRefusal: (r) => refusals.push(`${r.host} ${r.address} ${r.reason}`),
    });
    const before = hits;
    expect(await outcome(guard, `http://idp.example.com:${port}/`)).toEqual({ ok: true });
    answer = '127.0.0.2';
    expect(await outcome(guard, `http://idp.example.com:${port}/`)).toEqual({ refused: 'loopback' });
    expect(asked).toEqual(['idp.example.com', 'idp.example.com']);
    expect(hits - before).toBe(1);
    expect(refusals).toEqual(['idp.example.com 127.0.0.2 loopback']);
  });

  it('uses the system resolver by default: localhost is refused, and allowed by name', async () => {
    expect(await outcome(new IdpNetworkGuard(), `http://localhost:${port}/`)).toMatchObject({ refused: 'loopback' });
    expect(await outcome(new IdpNetworkGuard({ allow: ['localhost'] }), `http://localhost:${port}/`)).toEqual({ ok: true });
  });

  it('answers a redirect as such, without following it', async () => {
    const redirecting = createServer((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://169.254.169.254/');
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const guard = new IdpNetworkGuard({ allow: ['127.0.0.1'] });
      const response = await guard.fetch(`http://127.0.0.1:${(redirecting.address() as { port: number }).port}/`);
      expect(response.status).toBe(302);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('refuses a bad allow entry at construction', () => {
    expect(() => new IdpNetworkGuard({ allow: ['10.0.0.0/40'] })).toThrow(/10\.0\.0\.0\/40/);
  });
});
