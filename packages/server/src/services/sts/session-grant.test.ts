import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIamDataCatalog, type IamDataCatalog } from '../../catalog/iam-data-catalog.js';
import type { Principal } from '../../domain/context.js';
import { inheritedTags, sessionGrant } from './session-grant.js';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] });

describe('sessionGrant', () => {
  let deps: { catalog: IamDataCatalog };
  beforeAll(async () => {
    deps = { catalog: await loadIamDataCatalog() };
  });

  it('keeps policies, policy ARNs, tags and transitive keys, and measures the packed size', () => {
    const g = sessionGrant(deps, { policy: POLICY, policyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], tags: [{ Key: 'team', Value: 'blue' }], transitiveTagKeys: ['TEAM'] });
    expect(g).toMatchObject({ policies: [POLICY], policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], tags: { team: 'blue' }, transitiveTagKeys: ['team'] });
    expect(g.packedPolicySize).toBeGreaterThan(0);
    expect(g.packedPolicySize).toBeLessThanOrEqual(100);
    expect(sessionGrant(deps, {})).toEqual({});
  });

  it.each([
    { name: 'a malformed policy', input: { policy: '{"Version":' }, code: 'MalformedPolicyDocument' },
    { name: 'a policy ARN that is not a policy', input: { policyArns: [{ arn: 'arn:aws:iam::123456789012:user/x' }] }, code: 'InvalidParameterValue' },
    { name: 'eleven policy ARNs', input: { policyArns: Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::123456789012:policy/p${i}` })) }, code: 'InvalidParameterValue' },
    { name: 'duplicate tag keys in any case', input: { tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }, code: 'InvalidParameterValue' },
    { name: 'a tag key with the reserved aws: prefix, in any case', input: { tags: [{ Key: 'Aws:team', Value: '1' }] }, code: 'InvalidParameterValue' },
    { name: 'a transitive key without its tag', input: { tags: [{ Key: 'a', Value: '1' }], transitiveTagKeys: ['b'] }, code: 'InvalidParameterValue' },
    {
      name: 'tags past the packed space',
      input: { tags: Array.from({ length: 50 }, () => ({ Key: randomBytes(64).toString('hex'), Value: randomBytes(128).toString('hex') })) },
      code: 'PackedPolicyTooLarge',
    },
  ])('refuses $name with $code', ({ input, code }) => {
    expect(() => sessionGrant(deps, input)).toThrow(expect.objectContaining({ code }));
  });

  it('measures tags apart from policies: a full policy leaves the tags their whole space', () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: randomBytes(20).toString('hex') }));
    const alone = sessionGrant(deps, { tags }).packedPolicySize!;
    // Random object keys barely compress: 2,044 characters, within the 2,048 the wire allows.
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 25 }, () => `arn:aws:s3:::b/${randomBytes(45).toString('base64url')}`) }] });
    expect(big.length).toBeLessThanOrEqual(2048);
    const policyAlone = sessionGrant(deps, { policy: big }).packedPolicySize!;
    expect(alone + policyAlone).toBeGreaterThan(100);
    expect(sessionGrant(deps, { policy: big, tags }).packedPolicySize).toBe(Math.max(alone, policyAlone));
  });

  it('passes a calling session’s transitive tags on, and refuses any session tag with an inherited key', () => {
    const caller = { session: { tags: { team: 'blue', cost: '1' }, transitiveTagKeys: ['team'] } } as unknown as Principal;
    const inherited = inheritedTags(caller);
    expect(inherited).toEqual({ tags: { team: 'blue' }, keys: ['team'] });
    expect(sessionGrant(deps, { tags: [{ Key: 'x', Value: 'y' }] }, inherited)).toMatchObject({ tags: { x: 'y', team: 'blue' }, transitiveTagKeys: ['team'] });
    for (const tag of [{ Key: 'Team', Value: 'red' }, { Key: 'team', Value: 'blue' }]) {
      expect(() => sessionGrant(deps, { tags: [tag] }, inherited)).toThrow(expect.objectContaining({ code: 'InvalidParameterValue' }));
    }
  });

  it('measures inherited tags when the caller passes none (a chained AssumeRole still packs them)', () => {
    const caller = { session: { tags: { team: 'blue' }, transitiveTagKeys: ['team'] } } as unknown as Principal;
    const g = sessionGrant(deps, {}, inheritedTags(caller));
    expect(g).toMatchObject({ tags: { team: 'blue' }, transitiveTagKeys: ['team'] });
    expect(g.packedPolicySize).toBeGreaterThan(0);
    expect(g.packedPolicySize).toBe(sessionGrant(deps, { tags: [{ Key: 'team', Value: 'blue' }] }).packedPolicySize);
  });
});
