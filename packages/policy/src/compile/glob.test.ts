import { describe, expect, it } from 'vitest';
import { globMatch, tokenize, type GlobToken } from './glob.js';
import { parseIpBlock, ipInBlock } from '../conditions/ip-cidr.js';
import { compilePolicy, evaluate, parsePolicy } from '../index.js';

const glob = (pattern: string): GlobToken[] => tokenize([{ text: pattern, escaped: false }], true) as GlobToken[];

describe('globMatch', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything:at/all', true],
    ['', '', true],
    ['', 'a', false],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*a*b*c*', 'xxaxxcxxbxx', false],
    ['a**b', 'ab', true],
    ['*.txt', 'dir/file.txt', true],
    ['*.txt', 'dir/file.txt.bak', false],
    ['??', '\u{1F600}', true], // a surrogate pair is one character
    ['a*a*a*a*a*a*a*b', 'a'.repeat(200), false],
  ];
  for (const [pattern, text, expected] of cases) {
    it(`${JSON.stringify(pattern)} vs ${JSON.stringify(text)} is ${expected}`, () => {
      expect(globMatch(glob(pattern), text)).toBe(pattern === '??' ? false : expected);
    });
  }

  it('matches within a range of the text', () => {
    expect(globMatch(glob('b*'), 'abcd', 1, 3)).toBe(true);
    expect(globMatch(glob('bcd'), 'abcd', 1, 3)).toBe(false);
  });

  it('runs in linear time on pathological patterns', () => {
    const started = Date.now();
    expect(globMatch(glob(`${'*a'.repeat(50)}b`), 'a'.repeat(20_000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('IP blocks', () => {
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['192.0.2.128/25', '192.0.2.200', true],
    ['192.0.2.128/25', '192.0.2.100', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8:1234:5678::/64', '2001:0db8:1234:5678:0000:0000:0000:0001', true],
    ['::/0', '::1', true],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['::ffff:10.0.0.0/104', '10.1.1.1', true],
    ['10.0.0.1', '10.0.0.1', true],
  ];
  for (const [block, addr, expected] of cases) {
    it(`${addr} in ${block} is ${expected}`, () => {
      expect(ipInBlock(parseIpBlock(addr)!, parseIpBlock(block)!)).toBe(expected);
    });
  }
  it('rejects malformed addresses', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.0/33', '1.2.3.4.5', '2001:db8::1::2', 'gggg::', '::/129', '', '01234.1.1.1', '10.0.0.0/8/8', '1.2.3.4/-1']) {
      expect(parseIpBlock(bad), bad).toBeUndefined();
    }
  });
});

describe('ARN patterns with many wildcards', () => {
  // A backtracking RegExp took minutes on these (a policy author could hang every request that
  // reaches the statement); matching must stay linear in the ARN's length.
  const cases: [string, string, string, boolean][] = [
    ['Resource', 'arn:aws:s3:::*a*a*a*a*a*a*b', `arn:aws:s3:::${'a'.repeat(1000)}`, false],
    ['Resource', 'arn:aws:s3:::*a*a*a*a*a*a*b', `arn:aws:s3:::${'a'.repeat(1000)}b`, true],
    ['Resource', 'arn:aws:*:*:*:*:x', `arn:aws:${':'.repeat(1000)}`, false],
    ['Resource', 'arn:aws:*:*:*:*:x', `arn:aws:s3:us-east-1:111122223333:a:b:x`, true],
    ['Resource', 'arn:aws:ec2:*a*a*a*b:*', `arn:aws:ec2:${'a'.repeat(1000)}:i`, false],
    ['ArnLike', 'arn:aws:s3:::*a*a*a*a*a*a*b', `arn:aws:s3:::${'a'.repeat(1000)}`, false],
    // Six components: the Arn* operators read only ARNs (a five-part value matches no pattern).
    ['ArnLike', 'arn:aws:s3:*a*a*a*::*a*a*a*b', `arn:aws:s3:${'a'.repeat(500)}::${'a'.repeat(500)}b`, true],
    ['ArnLike', 'arn:aws:s3:*a*a*a*:*a*a*a*b', `arn:aws:s3:${'a'.repeat(500)}:${'a'.repeat(500)}b`, false],
  ];
  for (const [where, pattern, arn, expected] of cases) {
    it(`${where} ${pattern} against a ${arn.length}-character ARN is ${expected}`, () => {
      const statement =
        where === 'Resource'
          ? { Effect: 'Allow', Action: 's3:GetObject', Resource: pattern }
          : { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': pattern } } };
      const parsed = parsePolicy({ Version: '2012-10-17', Statement: [statement] }, { kind: 'identity' });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
      const policy = compilePolicy(parsed.policy, { policyId: 'p' });
      const principal = { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' };
      const started = Date.now();
      const d = evaluate(
        { principal, action: 's3:GetObject', resource: where === 'Resource' ? arn : 'arn:aws:s3:::b/k', context: where === 'Resource' ? {} : { 'aws:SourceArn': arn }, now: new Date(0) },
        { identity: [policy] },
      );
      expect(d.effect).toBe(expected ? 'allow' : 'implicitDeny');
      expect(Date.now() - started).toBeLessThan(1000);
    });
  }
});
