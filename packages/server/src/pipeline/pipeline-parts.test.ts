import { describe, expect, it } from 'vitest';
import type { Principal, RequestContext } from '../domain/context.js';
import { credentialFacts } from '../domain/credential-facts.js';
import { buildConditionContext } from './condition-context.js';
import { OperationRegistry } from './operation-registry.js';
import type { OperationSpec } from './operation-spec.js';
import { SourceIpResolver } from './source-ip.js';
import { rootPrincipal, userPrincipal } from './test-support.js';

const NOW = new Date('2026-05-06T07:08:09.123Z');
const ctx = (caller: Principal): RequestContext => ({ requestId: 'r', now: NOW, caller, sourceIp: '192.0.2.1', userAgent: 'ua', region: 'eu-west-1' });
const session = (mfa: boolean): Principal => ({
  type: 'AssumedRole',
  accountId: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/admin/s1',
  principalId: 'AROAEXAMPLEROLEID0001:s1',
  mfaAuthenticated: mfa,
  session: {
    issuerArn: 'arn:aws:iam::123456789012:role/admin',
    issuerType: 'Role',
    issuerName: 'admin',
    issuerPrincipalId: 'AROAEXAMPLEROLEID0001',
    sessionName: 's1',
    createdAt: new Date('2026-05-06T07:00:00Z'),
    expiresAt: new Date('2026-05-06T08:00:00Z'),
    mfaAuthenticated: mfa,
    tags: { team: 'blue' },
  },
});

describe('global condition keys', () => {
  const cases: Array<{ name: string; caller: Principal; present: Record<string, string>; absent: string[] }> = [
    {
      name: 'account root',
      caller: rootPrincipal(),
      present: { 'aws:PrincipalType': 'Account', 'aws:PrincipalArn': 'arn:aws:iam::123456789012:root', 'aws:userid': '123456789012', 'aws:CurrentTime': '2026-05-06T07:08:09Z', 'aws:EpochTime': '1778051289', 'aws:RequestedRegion': 'eu-west-1', 'aws:SecureTransport': 'true' },
      absent: ['aws:username', 'aws:MultiFactorAuthPresent', 'aws:TokenIssueTime'],
    },
    {
      name: 'IAM user with a long-term key',
      caller: userPrincipal('bob'),
      present: { 'aws:PrincipalType': 'User', 'aws:username': 'bob', 'aws:userid': 'AIDACASTELLANUSER0001', 'aws:SourceIp': '192.0.2.1', 'aws:UserAgent': 'ua' },
      absent: ['aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge'],
    },
    {
      name: 'role session with MFA',
      caller: session(true),
      present: { 'aws:PrincipalType': 'AssumedRole', 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/admin', 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '489', 'aws:TokenIssueTime': '2026-05-06T07:00:00Z', 'aws:PrincipalTag/team': 'blue' },
      absent: ['aws:username'],
    },
    { name: 'role session without MFA', caller: session(false), present: { 'aws:MultiFactorAuthPresent': 'false' }, absent: ['aws:MultiFactorAuthAge'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const keys = buildConditionContext(ctx(c.caller), { method: 'sigv4-header', ...credentialFacts(c.caller) }, { secureTransport: true });
      expect(keys).toMatchObject(c.present);
      for (const k of c.absent) expect(keys).not.toHaveProperty(k);
    });
  }
});

describe('source address', () => {
  const cases: Array<{ name: string; trusted: string[]; peer: string; xff?: string; proto?: string; ip: string; secure: boolean }> = [
    { name: 'no proxy: the peer, headers ignored', trusted: [], peer: '203.0.113.1', xff: '1.2.3.4', proto: 'https', ip: '203.0.113.1', secure: false },
    { name: 'IPv4-mapped peer', trusted: [], peer: '::ffff:10.1.2.3', ip: '10.1.2.3', secure: false },
    { name: 'trusted proxy: rightmost untrusted hop', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, 198.51.100.2, 10.0.0.7', proto: 'https', ip: '198.51.100.2', secure: true },
    { name: 'trusted proxy by exact address, no header', trusted: ['127.0.0.1'], peer: '127.0.0.1', ip: '127.0.0.1', secure: false },
    { name: 'a hop with the port its proxy appended', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, 198.51.100.2:4567', ip: '198.51.100.2', secure: false },
    { name: 'a bracketed IPv6 hop with a port', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, [2001:db8::7]:4567', ip: '2001:db8::7', secure: false },
    { name: 'empty entries are no hops', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, , 198.51.100.2,', ip: '198.51.100.2', secure: false },
    // A hop that is no address stops the walk: what the client wrote left of it is never believed.
    { name: 'an unreadable hop: the last trusted proxy', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, unknown', ip: '10.0.0.1', secure: false },
    { name: 'an unreadable hop behind trusted ones', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, 198.51.100.2:x, 10.0.0.9', ip: '10.0.0.9', secure: false },
    // X-Forwarded-Proto: the rightmost value is the trusted peer's; what lies left of it may be the client's.
    { name: 'proto: a client-written https left of the proxy\'s http', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6', proto: 'https, http', ip: '6.6.6.6', secure: false },
    { name: 'proto: the proxy\'s https right of a client-written http', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6', proto: 'http,HTTPS', ip: '6.6.6.6', secure: true },
    { name: 'proto: an empty rightmost value is no claim', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6', proto: 'https, ', ip: '6.6.6.6', secure: false },
    { name: 'proto: ignored from an untrusted peer', trusted: ['10.0.0.1'], peer: '10.0.0.2', xff: '6.6.6.6', proto: 'https', ip: '10.0.0.2', secure: false },
    // IPv6: trusted entries and hops compare in one spelling; zone ids are no address.
    { name: 'ipv6: a trusted entry in another case', trusted: ['10.0.0.0/8', '2001:DB8::1'], peer: '10.0.0.1', xff: '6.6.6.6, 2001:db8::1', ip: '6.6.6.6', secure: false },
    { name: 'ipv6: a trusted entry with a zero group spelt out', trusted: ['10.0.0.0/8', '2001:db8:0::1'], peer: '10.0.0.1', xff: '6.6.6.6, [2001:DB8::1]:443', ip: '6.6.6.6', secure: false },
    { name: 'ipv6: a trusted IPv6 peer spelt differently in the config', trusted: ['2001:db8:0:0:0:0:0:1'], peer: '2001:db8::1', xff: '6.6.6.6', ip: '6.6.6.6', secure: false },
    { name: 'ipv6: the hop answered in canonical form', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '2001:DB8:0::7', ip: '2001:db8::7', secure: false },
    { name: 'ipv6: an IPv4-mapped hop as IPv4', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, ::FFFF:10.0.0.9', ip: '6.6.6.6', secure: false },
    { name: 'ipv6: a zone id is no address', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, fe80::1%eth0', ip: '10.0.0.1', secure: false },
    { name: 'ipv6: a bracketed zone id is no address', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '6.6.6.6, [fe80::1%25eth0]:443, 10.0.0.9', ip: '10.0.0.9', secure: false },
    // Ambiguous by nature (the port reads as the last group): read as an address; the README says to bracket.
    { name: 'ipv6: an unbracketed port is read as part of the address', trusted: ['10.0.0.0/8'], peer: '10.0.0.1', xff: '2001:db8::7:4567', ip: '2001:db8::7:4567', secure: false },
    { name: 'ipv6: a trusted CIDR range', trusted: ['fd00::/8'], peer: 'fd12::1', xff: '6.6.6.6, [FD34::2]:443', ip: '6.6.6.6', secure: false },
    { name: 'ipv6: an address outside the trusted range', trusted: ['fd00::/8'], peer: 'fd12::1', xff: '6.6.6.6, fe00::2', ip: 'fe00::2', secure: false },
    { name: 'ipv4 and ipv6 ranges together', trusted: ['10.0.0.0/8', '2001:db8::/32'], peer: '2001:db8:1::1', xff: '6.6.6.6, 10.2.3.4', ip: '6.6.6.6', secure: false },
    { name: 'a /32 IPv4 range is one address', trusted: ['10.0.0.1/32'], peer: '10.0.0.2', xff: '6.6.6.6', ip: '10.0.0.2', secure: false },
    { name: 'ipv6: a range covering the IPv4-mapped block trusts no IPv4 peer', trusted: ['::/0'], peer: '10.0.0.1', xff: '6.6.6.6', ip: '10.0.0.1', secure: false },
    { name: 'an IPv4-mapped range is the IPv4 range it maps', trusted: ['::ffff:10.0.0.0/104'], peer: '10.9.9.9', xff: '6.6.6.6', ip: '6.6.6.6', secure: false },
    { name: 'untrusted peer claiming to be a proxy', trusted: ['10.0.0.1'], peer: '10.0.0.2', xff: '1.1.1.1', ip: '10.0.0.2', secure: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(new SourceIpResolver(c.trusted).resolve(c.peer, c.xff, c.proto, false)).toEqual({ sourceIp: c.ip, secureTransport: c.secure });
    });
  }
  it('rejects a malformed trusted proxy entry', () => expect(() => new SourceIpResolver(['nope'])).toThrow(/not an IP address/));
  for (const entry of ['::ffff:10.0.0.0/95', '::ffff:10.0.0.0/129', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8.5', 'fd00::/129', 'fd00::/1e2']) {
    it(`rejects the prefix length of \`${entry}\``, () => expect(() => new SourceIpResolver([entry])).toThrow(/invalid prefix length/));
  }
  it('rejects a range of no address', () => expect(() => new SourceIpResolver(['nope/8'])).toThrow(/not an IP address or CIDR range/));
  it('rejects a trusted proxy entry with a zone id', () => expect(() => new SourceIpResolver(['fe80::1%eth0'])).toThrow(/not an IP address/));
});

describe('operation registry', () => {
  const spec: OperationSpec = { service: 'iam', name: 'ListUsers', readOnly: true, resource: () => '*', execute: () => ({ Users: [] }) };
  it('finds registered operations by service and name', () => {
    const r = new OperationRegistry().register(spec);
    expect(r.get('iam', 'ListUsers')?.name).toBe('ListUsers');
    expect(r.get('sts', 'ListUsers')).toBeUndefined();
    expect(r.list()).toEqual(['iam:ListUsers']);
  });
  it('refuses a second registration of the same operation', () => {
    expect(() => new OperationRegistry().register(spec, spec)).toThrow(/registered twice/);
  });
});
